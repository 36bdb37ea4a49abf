"""Every page renders under AppTest in both languages, with and without filters."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.query import Filters, run
from cmdash.summary import headline

LANG_IN_URL = {"zh": "中文", "en": "English"}  # bound widgets carry their shown label
PAGES = ("overview", "managers", "profile", "coaching", "retention", "whatif", "data")


@pytest.fixture
def app(demo_root: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CMDASH_DATA_ROOTS", str(demo_root.parent))

    def make(lang: str = "zh") -> AppTest:
        at = AppTest.from_file("app.py", default_timeout=120)
        at.query_params["lang"] = LANG_IN_URL[lang]
        return at

    return make


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_page_renders(app, name: str, lang: str) -> None:
    at = app(lang).run()
    assert not at.exception, at.exception
    at.switch_page(f"pages/{name}.py").run()
    assert not at.exception, at.exception
    assert at.title, "every page has a title"
    cjk = any("\u4e00" <= ch <= "\u9fff" for ch in at.title[0].value)
    assert cjk == (lang == "zh"), at.title[0].value


def test_region_filter_narrows_the_overview(app, demo_root: Path) -> None:
    at = app("en").run()
    regions = at.sidebar.multiselect[0]
    first = regions.options[0]
    before = at.metric[1].value
    regions.select(first).run()
    assert not at.exception
    after = at.metric[1].value
    assert after != before
    engine = open_engine(Dataset.open(demo_root))
    expected = headline(run(engine, "monthly_sales_by_manager", Filters(regions=(first,))))
    assert after == f"{expected.cases:,.1f}"


def test_data_page_shows_the_report_and_row_counts(app) -> None:
    at = app("en").run()
    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert any("Validation passed" in s.value for s in at.success)
    assert len(at.dataframe) >= 1
