"""Interface fixes of issue 19: the profile picker, the drill's URL filter, 中文 pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.opener import PAGES, open_page


@pytest.fixture
def app(demo_root: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CMDASH_DATA_ROOTS", str(demo_root.parent))

    def make(lang: str = "zh", page: str | None = None, **params: str) -> AppTest:
        return open_page(page or "overview", lang, 180, **params)

    return make


#: a code identifier (a KPI, feature or setting id) where a reader expects words
IDENTIFIER = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")


def shown_texts(at: AppTest) -> list[str]:
    """Every text a reader sees in the tree: headings, captions, messages, metric and widget
    labels and help, expander and tab labels."""
    out: list[str] = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning",
                 "error", "success"):
        out += [e.value for e in at.get(kind)]
    for m in at.metric:
        out += [m.label, str(m.value)]
    for kind in ("button", "selectbox", "multiselect", "slider", "toggle", "radio",
                 "text_input", "date_input", "checkbox", "number_input", "expander", "tab"):
        for w in at.get(kind):
            out += [getattr(w, "label", "") or "", getattr(w, "help", "") or ""]
    return [t for t in out if t]


def _english_phrases() -> list[str]:
    """The English side of every label that is a phrase of its own (no placeholder, not
    the same in both languages)."""
    from cmdash.labels import LABELS

    return [en for zh, en in LABELS.values()
            if en != zh and "{" not in en and len(en.split()) >= 2]


@pytest.mark.parametrize("page", PAGES)
def test_a_chinese_page_shows_no_english_ui_text(app, page: str) -> None:
    texts = shown_texts(app("zh", None if page == "overview" else page))
    assert texts
    ids = sorted({m for t in texts for m in IDENTIFIER.findall(t)})
    assert not ids, ids  # e.g. "forecast_accuracy 计0分值" on the What-if sliders
    english = sorted({p for p in _english_phrases() for t in texts if p in t})
    assert not english, english


def test_an_english_page_translates_grades_and_status(app) -> None:
    at = app("en", "managers")
    table = at.dataframe[0].value
    cjk = table["Grade"].dropna().map(lambda g: any("\u4e00" <= ch <= "\u9fff" for ch in g))
    assert len(table) and not cjk.any(), table["Grade"].unique()
    assert set(table["Status"].dropna()) <= {"Active", "Left"}


def test_profile_picker_keeps_the_first_pick(app) -> None:
    at = app("en", "profile")  # opened from the sidebar: no ?who= in the URL
    box = at.selectbox(key="who")
    first = box.value
    ids = [o.rsplit(" · ", 1)[-1] for o in box.options]  # shown as "name · id"
    assert ids[0] == first and at.query_params["who"] in (first, [first])
    other = ids[1]
    at.selectbox(key="who").set_value(other).run()
    assert not at.exception
    at.run()  # one more rerun, as any later click makes
    assert at.selectbox(key="who").value == other


def _top_manager(demo_root: Path) -> tuple[str, str]:
    """(id, name) of the manager with the most volume: a reviewed customer manager."""
    import pandas as pd

    from cmdash.dataset import Dataset
    from cmdash.engine import open_engine
    from cmdash.kpi import compute

    values = compute(open_engine(Dataset.open(demo_root)), ["sales_cases"], ("manager",),
                     "all").values
    who = values.sort_values("sales_cases")["manager"].iloc[-1]
    names = pd.read_parquet(demo_root / "managers.parquet").set_index("manager_id")["name"]
    return who, names[who]


def test_coaching_of_one_manager_counts_from_zero_and_shows_the_card(app, demo_root) -> None:
    who, name = _top_manager(demo_root)
    at = app("en", "coaching", manager=f"{name} · {who}")  # the filter's URL form
    assert at.sidebar.multiselect(key="manager").value == [who]
    assert at.metric[0].value == "1"  # one manager reviewed …
    assert not any("is not reviewed" in i.value
                   for i in at.info)  # … and not called unreviewed
    assert at.selectbox(key="coaching_manager").value == who
    at.toggle(key="coaching_history").set_value(True).run()  # the types over time, on request
    assert not at.exception, at.exception
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert fig["layout"]["yaxis"]["rangemode"] == "tozero"
    assert fig["layout"]["yaxis"]["range"][0] == 0


def test_a_drill_filters_the_page_and_the_url(app, demo_root) -> None:
    from cmdash.dataset import Dataset
    from cmdash.engine import open_engine
    from cmdash.kpi import compute
    from cmdash.query import Filters
    from tests.app.opener import card, latest_cases

    engine = open_engine(Dataset.open(demo_root))
    region = compute(engine, ["sales_cases"], ("region",), "all").values["region"].iloc[0]
    at = app("en")
    at.selectbox(key="drill_pick_0").select(region).run()
    assert not at.exception
    # the sidebar filter, the URL and the cards all follow the drill
    assert at.sidebar.multiselect(key="region").value == [region]
    assert at.query_params.get("region") in (region, [region])
    assert card(at) == latest_cases(engine, Filters(regions=(region,)), "en")
    assert card(at) != latest_cases(engine, Filters(), "en")
    assert any(b.label == f"› {region}" for b in at.button)  # the breadcrumb
    district = at.selectbox(key="drill_pick_1").options[1]
    at.selectbox(key="drill_pick_1").select(district).run()
    assert at.sidebar.multiselect(key="district").value == [district]
    next(b for b in at.button if b.key == "crumb_0").click().run()  # back to all cities
    assert not at.exception
    assert at.sidebar.multiselect(key="region").value == []
    assert at.sidebar.multiselect(key="district").value == []
    assert card(at) == latest_cases(engine, Filters(), "en")


def test_kpi_chips_follow_a_language_switch(app) -> None:
    at = app("zh", "managers")
    chips = at.multiselect(key="manager_kpis__zh")
    chosen = [*chips.value[:2], "visits"]
    chips.set_value(chosen).run()
    at.sidebar.button_group(key="lang").set_value("en").run()
    assert not at.exception
    # a widget of its own per language (its chips drawn in English), the choice kept
    assert at.multiselect(key="manager_kpis__en").value == chosen
    assert at.dataframe[0].value.columns[-1] == "Visits (visits)"


def test_every_page_names_the_dataset_and_its_last_day(app, demo_root) -> None:
    import pandas as pd

    sales = pd.read_parquet(demo_root / "sales", columns=["order_date"])
    last = f"{pd.Timestamp(sales['order_date'].max()):%Y-%m-%d}"
    for page in ("overview", "retention"):
        at = app("en", None if page == "overview" else page)
        assert any(c.value == f"Dataset {demo_root.name} · data up to {last}"
                   for c in at.caption), [c.value for c in at.caption][:3]


def test_year_to_date_switch(app, demo_root) -> None:
    import pandas as pd

    from cmdash.dataset import Dataset
    from cmdash.engine import open_engine
    from cmdash.kpi import compute
    from cmdash.numbers import format_value
    from cmdash.query import Filters
    from tests.app.opener import card

    last = pd.read_parquet(demo_root / "sales", columns=["order_date"])["order_date"].max()
    last = pd.Timestamp(last).normalize()
    year = compute(open_engine(Dataset.open(demo_root)), ["sales_cases"], (), "all",
                   Filters(start=last.replace(month=1, day=1).date(), end=last.date())).values
    at = app("en")
    at.button_group(key="span").set_value("ytd").run()
    assert not at.exception
    assert card(at) == format_value(year["sales_cases"].iloc[0], "cases", "en",
                                              compact=True)
