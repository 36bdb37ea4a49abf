"""Hostile text in the URL and the app's text inputs: nothing executes, invalid bound values
are ignored (the page draws as without them), free text shows a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cmdash.access import ROLES
from cmdash.coaching import verdicts
from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.query import Filters
from tests.app.opener import card, latest_cases, open_page

HOSTILE = ("x' OR '1'='1", "'; DROP TABLE sales; --", "../../etc/passwd", "..\\..\\%00",
           "东城'; --" + "长" * 5000)
URL_KEYS = ("ds", "region", "district", "manager", "dates", "who", "as_role", "as_region",
            "as_district", "as_manager")
TABLES = ("managers", "customers", "sales", "visits")


@pytest.fixture
def app(demo_root: Path, module_workspace: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CMDASH_DATA_ROOTS", str(demo_root.parent))
    monkeypatch.setenv("CMDASH_WORKSPACE", str(module_workspace))

    def make(page: str = "overview", **params: str) -> AppTest:
        return open_page(page, **params)

    return make


@pytest.fixture(scope="module")
def engine(demo_root: Path):
    return open_engine(Dataset.open(demo_root))


def counts(engine) -> dict[str, int]:
    return {t: int(engine.query(f"SELECT count(*) AS n FROM {t}", {})["n"].iloc[0])
            for t in TABLES}


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_url_params_are_ignored(app, engine, text: str) -> None:
    before = counts(engine)
    at = app(**dict.fromkeys(URL_KEYS, text))
    assert not at.error, [e.value for e in at.error]
    # every bound value was invalid: the default view (the analyst, no filter)
    assert card(at) == latest_cases(engine, Filters(), "en")
    assert counts(engine) == before


def test_a_hostile_district_for_a_coach_never_widens_the_scope(app, engine, demo_root) -> None:
    import pandas as pd

    first = sorted(pd.read_parquet(demo_root / "managers.parquet")["district"].unique())[0]
    at = app(as_role=ROLES["coach"].label("en"), as_district="x' OR '1'='1")
    # an invalid pick falls back to the first district: still one district, never everyone
    assert card(at) == latest_cases(engine, Filters(districts=(first,)), "en")


@pytest.mark.parametrize("text", HOSTILE[1:2] + HOSTILE[-1:], ids=["sql", "long"])
def test_whatif_text_settings_from_the_url(app, engine, text: str) -> None:
    before = counts(engine)
    at = app("whatif", **{"wi:stock.profitable_tiers": text, "wi:coaching.peer_group": text})
    # the peer group must be one of its choices: a message naming the setting
    assert any("peer_group" in e.value for e in at.error), [e.value for e in at.error]
    assert counts(engine) == before


def test_a_hostile_coach_note_is_stored_as_text(app, engine, demo_root: Path) -> None:
    before = counts(engine)
    at = app("coaching")
    box = next(s for s in at.selectbox if s.key == "coaching_manager")
    for i in range(len(box.options)):
        box.select_index(i).run()
        box = next(s for s in at.selectbox if s.key == "coaching_manager")
        if any((w.key or "").startswith("note_") for w in at.text_input):
            break  # a flagged manager: the card shows the verdict form
    note = next(w for w in at.text_input if w.key.startswith("note_"))
    note.input("'; DROP TABLE sales; -- ../../etc/passwd")
    # the verdict has no preselection: the coach chooses one
    next(r for r in at.radio if (r.key or "").startswith("verdict_choice_")).set_value(
        "confirmed")
    next(b for b in at.button if b.label in ("保存判断", "Save verdict")
         ).click().run()
    assert not at.exception
    saved = verdicts.load(Dataset.open(demo_root).workspace)
    assert saved.iloc[-1]["note"] == "'; DROP TABLE sales; -- ../../etc/passwd"
    assert counts(engine) == before
