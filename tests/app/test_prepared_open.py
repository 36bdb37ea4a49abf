"""The app builds the prepared layer on the first open of a data version, then only reads
it; the Overview draws the same numbers from it as from the fact files."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmdash.dataset import Dataset
from cmdash.prepared import Store
from cmdash.prepared import build as build_mod
from tests.app.opener import open_page
from tests.fixtures import write_tiny_dataset


def _cards(at) -> list[tuple[str, str]]:
    return [(m.label, m.value) for m in at.metric]


def test_first_open_builds_the_layer_then_pages_read_it(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_tiny_dataset(tmp_path / "data" / "tiny")
    monkeypatch.setenv("CMDASH_DATA_ROOTS", str(tmp_path / "data"))
    monkeypatch.setenv("CMDASH_WORKSPACE", str(tmp_path / "ws"))
    direct = _cards(open_page("overview"))  # CMDASH_PREPARE_ON_OPEN=0 (conftest)
    ds = Dataset.open(root)
    store = Store(ds.workspace, ds.version())
    assert store.layer() is None and direct

    builds: list[int] = []
    real = build_mod.write_tables
    monkeypatch.setattr(build_mod, "write_tables",
                        lambda *a, **k: builds.append(1) or real(*a, **k))
    monkeypatch.setenv("CMDASH_PREPARE_ON_OPEN", "1")
    import streamlit as st

    st.cache_resource.clear()  # a fresh server process: no scan in memory
    st.cache_data.clear()
    first = open_page("overview")
    assert store.layer() is not None and builds == [1]
    assert _cards(first) == direct  # the same numbers, now cut from the layer
    st.cache_resource.clear()
    st.cache_data.clear()
    again = open_page("managers")  # another process, another page: reads, never rebuilds
    assert not again.exception and builds == [1]


def test_a_restarted_server_reads_the_overviews_tables_back(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    """The first process keeps the overview's KPI tables and scores in the layer; a new
    process (every in-memory cache cleared) shows the same page without rolling any KPI
    up: `kpi_table` and `score` would fail if called."""
    write_tiny_dataset(tmp_path / "data" / "tiny")
    monkeypatch.setenv("CMDASH_DATA_ROOTS", str(tmp_path / "data"))
    monkeypatch.setenv("CMDASH_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.setenv("CMDASH_PREPARE_ON_OPEN", "1")
    first = open_page("overview")
    assert not first.exception
    import streamlit as st

    from cmdash.ui import cache, page_data

    st.cache_resource.clear()
    st.cache_data.clear()

    def never(*_a, **_k):
        raise AssertionError("rolled up again after a restart")

    monkeypatch.setattr(cache, "kpi_table", never)
    monkeypatch.setattr(page_data, "score", never)
    again = open_page("overview")
    assert not again.exception
    assert _cards(again) == _cards(first)
    assert again.dataframe[0].value.equals(first.dataframe[0].value)  # the ranking


def test_viewers_who_see_the_same_managers_share_the_tables(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """An analyst who filters on 苏州 rolls the overview's tables up; the city head of 苏州,
    in a new process, sees the same managers and reads them back without rolling anything
    up. The city head of 无锡 sees other managers: nothing of 苏州's is handed to them."""
    write_tiny_dataset(tmp_path / "data" / "tiny")
    monkeypatch.setenv("CMDASH_DATA_ROOTS", str(tmp_path / "data"))
    monkeypatch.setenv("CMDASH_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.setenv("CMDASH_PREPARE_ON_OPEN", "1")
    import streamlit as st

    from cmdash.ui import cache, page_data

    analyst = open_page("overview", as_role="Analyst / HR", region="苏州")
    st.cache_resource.clear()
    st.cache_data.clear()
    rolled: list[str] = []
    real_kpis, real_score = cache.kpi_table, page_data.score
    monkeypatch.setattr(cache, "kpi_table", lambda *a, **k: rolled.append(f"kpis by {a[2]}")
                        or real_kpis(*a, **k))
    monkeypatch.setattr(page_data, "score", lambda *a, **k: rolled.append("score") or
                        real_score(*a, **k))
    head = open_page("overview", as_role="City head", as_region="苏州")
    # only the drill's own level differs: the analyst's filter stands on the city (its
    # districts are drawn), the city head's scope starts above it (their city's bar)
    assert not head.exception and rolled == ["kpis by ('region',)"]
    assert _cards(head) == _cards(analyst)
    other = open_page("overview", as_role="City head", as_region="无锡")
    assert not other.exception and "kpis by ('manager',)" in rolled and "score" in rolled
    assert _cards(other) != _cards(head)
