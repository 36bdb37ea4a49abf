"""The What-if page: a lever moves people, the scenario travels in the URL, reset works."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cmdash.all_settings import SETTINGS
from tests.app.opener import open_page, switch


@pytest.fixture
def whatif(demo_root: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CMDASH_DATA_ROOTS", str(demo_root.parent))

    def make(**params: str) -> AppTest:
        return open_page("whatif", timeout=240, **params)

    return make


def _totals(at: AppTest):
    return next(d.value for d in at.dataframe if "measure" in d.value.columns).set_index(
        "measure")


def _movers(at: AppTest):
    heads = [h.value for h in at.subheader]
    assert any(h.startswith("Who moves") for h in heads), heads
    return next(h for h in heads if h.startswith("Who moves"))


def test_a_weight_moves_people_and_reset_restores(whatif) -> None:
    at = whatif()
    assert _movers(at) == "Who moves (0)"
    assert not any("add up to" in w.value for w in at.warning)  # the defaults sum to 100
    at.slider(key="wi:assessment.weight.service").set_value(60.0).run()
    assert not at.exception
    assert _movers(at) != "Who moves (0)"
    # service raised to 60: the six now add up to 100 − its default + 60, which the page says
    total = 100 - SETTINGS["assessment.weight.service"].default + 60
    assert any(f"add up to {total:g}, not 100" in w.value for w in at.warning)
    # the movers' table (the levers' column, with the changed settings, is drawn after it)
    moved = next(d.value for d in at.dataframe if "rank_move" in d.value.columns)
    assert {"rank_before", "rank_after", "type_before", "grade_action_after"} <= set(moved.columns)
    # each move as an arrow: rank 5 → 2 reads "↑ 3"
    for b, a, text in zip(moved["rank_before"], moved["rank_after"], moved["rank_move"],
                          strict=True):
        if pd.notna(b) and pd.notna(a) and b != a:
            assert text == f"{'↑' if a < b else '↓'} {abs(int(a) - int(b))}"
    at.button[0].click().run()  # reset
    assert _movers(at) == "Who moves (0)"


def test_elimination_share_changes_the_flag_count(whatif) -> None:
    at = whatif()
    at.slider(key="wi:assessment.elimination_pct").set_value(30.0).run()
    totals = _totals(at)
    flagged = totals.loc["Flagged for elimination review"]
    assert flagged["after"] > flagged["before"]
    # money to its unit's decimals (yuan: none), so a phone's narrow column shows it whole
    pay = totals.loc["Monthly pay cost (yuan)", ["before", "after"]].astype(float)
    assert (pay > 0).all() and (pay % 1 == 0).all(), pay


def test_a_ladder_line_changes_grade_verdicts(whatif) -> None:
    at = whatif()
    at.slider(key="wi:ladder.principal.keep.score").set_value(90.0).run()
    totals = _totals(at)
    demotions = totals.loc["Demotions"]
    assert demotions["after"] > demotions["before"]


def test_the_scenario_travels_in_the_url(whatif) -> None:
    at = whatif(**{"wi:assessment.weight.service": "60"})
    assert at.slider(key="wi:assessment.weight.service").value == 60.0
    assert _movers(at) != "Who moves (0)"


def test_a_settings_file_next_to_the_dataset_is_the_baseline(demo_root: Path, tmp_path: Path,
                                                              monkeypatch) -> None:
    import shutil

    copy = tmp_path / "root" / "tuned"
    shutil.copytree(demo_root, copy, ignore=shutil.ignore_patterns("_truth"))
    (copy / "cmdash-settings.toml").write_text("[assessment.weight]\nservice = 60.0\n")
    monkeypatch.setenv("CMDASH_DATA_ROOTS", str(copy.parent))
    at = open_page("whatif", timeout=240)
    assert at.slider(key="wi:assessment.weight.service").value == 60.0  # the file's value
    (copy / "cmdash-settings.toml").write_text("[assessment.weight]\nservice = 600\n")
    at.run()
    assert any("settings file is invalid" in w.value for w in at.sidebar.warning)
    # memory limits are a server process's, not a dataset's: the file's are named as
    # not applied here, and the rest of the file still is
    (copy / "cmdash-settings.toml").write_text(
        "[assessment.weight]\nservice = 60.0\n[memory]\ncache_mib = 4096\n")
    at.run()
    assert not at.sidebar.warning
    notes = [c.value for c in at.sidebar.caption if "CMDASH_CACHE_MIB" in c.value]
    assert len(notes) == 1 and "memory.cache_mib" in notes[0], notes
    assert "cache 2048 MiB" in notes[0]  # the server's own, from its environment


def _with_risk(demo_root: Path, monkeypatch, retention_first: bool) -> AppTest:
    monkeypatch.setenv("CMDASH_DATA_ROOTS", str(demo_root.parent))
    at = open_page("retention" if retention_first else "whatif")  # retention trains, scores
    if retention_first:
        switch(at, "whatif")
    assert "Customers at high risk" not in _totals(at).index  # only on request
    at.toggle(key="wi_risk").set_value(True).run()
    assert not at.exception, at.exception
    return at


def test_risk_totals_do_not_depend_on_opening_retention_first(demo_root: Path,
                                                               monkeypatch) -> None:
    import streamlit as st

    alone = _totals(_with_risk(demo_root, monkeypatch, retention_first=False))
    st.cache_data.clear()
    st.cache_resource.clear()
    after_retention = _totals(_with_risk(demo_root, monkeypatch, retention_first=True))
    assert alone.loc["Customers at high risk", "before"] > 0
    pd.testing.assert_frame_equal(alone, after_retention)


def test_risk_cut_off_moves_customers_at_risk(demo_root: Path, monkeypatch) -> None:
    at = _with_risk(demo_root, monkeypatch, retention_first=False)
    before = _totals(at).loc["Customers at high risk"]
    at.slider(key="wi:retention.risk_cutoff").set_value(0.1).run()
    after = _totals(at).loc["Customers at high risk"]
    assert after["after"] > after["before"] == before["before"]
