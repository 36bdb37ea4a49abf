"""Every page renders under AppTest in both languages; filters and links change what shows."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.kpi import compute
from cmdash.query import Filters
from tests.app.opener import PAGES, card, latest_cases, new_app, switch


@pytest.fixture
def app(demo_root: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CMDASH_DATA_ROOTS", str(demo_root.parent))

    def make(lang: str = "zh", **params: str | list[str]) -> AppTest:
        return new_app(lang, 180, **params)

    return make


@pytest.fixture(scope="module")
def engine(demo_root: Path):
    return open_engine(Dataset.open(demo_root))


@pytest.fixture(scope="module")
def narrow(demo_root: Path) -> dict[str, str]:
    """A region and a date range from the data, as URL parameters."""
    import pyarrow.parquet as pq

    region = sorted(set(pq.read_table(demo_root / "managers.parquet")["region"].to_pylist()))
    return {"region": region[0], "dates": ["2025-06-01", "2026-03-31"]}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_page_renders(app, name: str, lang: str, narrow: dict) -> None:
    # Chinese unfiltered, English with a region and a date range applied
    at = app(lang, **(narrow if lang == "en" else {})).run()
    if lang == "en":
        assert at.sidebar.multiselect(key="region").value == [narrow["region"]]
        assert str(at.sidebar.date_input(key="dates").value[0]) == narrow["dates"][0]
    assert not at.exception, at.exception
    switch(at, name)
    assert not at.error, [e.value for e in at.error]
    assert at.title, "every page has a title"
    cjk = any("\u4e00" <= ch <= "\u9fff" for ch in at.title[0].value)
    assert cjk == (lang == "zh"), at.title[0].value


def test_region_filter_narrows_the_overview(app, engine) -> None:
    at = app("en").run()
    assert card(at) == latest_cases(engine, Filters(), "en")
    regions = at.sidebar.multiselect(key="region")
    first = regions.options[0]
    regions.select(first).run()
    assert not at.exception
    assert card(at) == latest_cases(engine, Filters(regions=(first,)), "en")
    assert card(at) != latest_cases(engine, Filters(), "en")


def test_drill_down_goes_from_regions_to_districts(app, engine) -> None:
    at = app("en").run()
    regions = compute(engine, ["sales_cases"], ("region",), "all").values["region"]
    at.selectbox(key="drill_pick_0").select(regions.iloc[0]).run()
    assert not at.exception
    assert any(b.label.endswith(regions.iloc[0]) for b in at.button)  # the breadcrumb
    by_district = compute(engine, ["sales_cases"], ("region", "district"), "all").values
    districts = set(by_district.loc[by_district["region"] == regions.iloc[0], "district"])
    # now picking a district, among the region's own
    assert districts and districts <= set(at.selectbox(key="drill_pick_1").options)


def test_managers_table_and_downloads(app, engine) -> None:
    at = app("en").run()
    switch(at, "managers")
    shown = at.dataframe[0].value
    managers = compute(engine, ["sales_cases"], ("manager",), "all").values
    assert len(shown) == len(managers)
    volume = shown.set_index("ID")["Volume (cases)"]
    expected = managers.set_index("manager")["sales_cases"].round(1)  # 箱: one decimal
    pd.testing.assert_series_equal(volume.sort_index(), expected.sort_index(),
                                   check_names=False, check_index_type=False)
    config = json.loads(at.dataframe[0].proto.columns)
    assert config["Volume (cases)"]["type_config"]["format"] == "%,.1f"  # 1,936.0
    assert config["Assessment total (points)"]["type_config"]["format"] == "%,.1f"
    assert config["Name"]["pinned"] is True
    buttons = at.get("download_button")
    assert len(buttons) == 2
    # built on the click, not on every run of the page: no file is made during the run
    assert all(b.proto.deferred_file_id and not b.proto.url for b in buttons)


def test_profile_follows_the_link(app, engine) -> None:
    managers = compute(engine, ["sales_cases"], ("manager",), "all").values
    who = managers.sort_values("sales_cases")["manager"].iloc[-1]
    at = app("en", who=who).run()
    switch(at, "profile")
    assert at.selectbox(key="who").value == who
    volume = managers.set_index("manager").loc[who, "sales_cases"]
    assert at.metric[0].value == f"{volume:,.1f}"


def test_excel_download_matches_the_table() -> None:
    from cmdash.export import to_excel

    table = pd.DataFrame({"姓名": ["张伟"], "销量（箱）": [1.5]})
    back = pd.read_excel(io.BytesIO(to_excel(table)))
    pd.testing.assert_frame_equal(back, table)


def test_data_page_shows_the_report_and_row_counts(app, demo_root: Path) -> None:
    import pyarrow.dataset as pads

    from cmdash.contract import TABLES

    at = app("en").run()
    switch(at, "data")
    assert any("Validation passed" in s.value for s in at.success)
    counts = next(d.value for d in at.dataframe
                  if {"Table", "Rows", "Present"} <= set(d.value.columns))
    # one row per contract table, each with the number of rows the files hold
    assert len(counts) == len(TABLES)
    on_disk = {name: pads.dataset(path).count_rows() for name in TABLES
               for path in (demo_root / name, demo_root / f"{name}.parquet") if path.exists()}
    shown = {name: int(n) for name in TABLES for label, n in zip(
        counts["Table"], counts["Rows"], strict=True) if label.endswith(f"({name})")}
    assert shown == {name: on_disk.get(name, 0) for name in TABLES}
    assert shown["sales"] > 1000
