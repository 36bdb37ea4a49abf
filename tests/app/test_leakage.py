"""Leakage: every page a scoped role may open shows nothing from outside its scope.

For a coach (one 片区), a region head (one region) and a manager (own book), each page is
rendered under AppTest and every piece of text it shows is collected — markdown, captions,
titles, metric labels and values, widget options, dataframe cells and plotly specs. No
manager or customer id or name from outside the scope may appear, and scoped totals must
equal the sum over the scope computed independently.

The demo-mode role picker itself (`as_role`, `as_region`, `as_district`, `as_manager`) is
left out: it lists whom one may impersonate, and does not exist when a login is configured.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from cmdash.access import ROLES
from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.kpi import compute
from cmdash.query import Filters
from tests.app.opener import ROOT, card, latest_cases, open_page

PICKER_KEYS = {"as_role", "as_region", "as_district", "as_manager"}


@dataclass(frozen=True)
class Scope:
    role: str
    params: dict[str, str]  # URL parameters (bound widgets carry their shown label)
    filters: Filters  # the same scope as plain filters, for the independent totals
    managers: frozenset[str]


@pytest.fixture(scope="module")
def org(demo_root: Path) -> dict[str, pd.DataFrame]:
    managers = pd.read_parquet(demo_root / "managers.parquet")
    customers = pd.read_parquet(demo_root / "customers.parquet")
    sold = pd.read_parquet(demo_root / "sales", columns=["customer_id", "manager_id"])
    return {"managers": managers, "customers": customers,
            "sold": sold.drop_duplicates().astype(str)}


def scope_for(role: str, org: dict[str, pd.DataFrame]) -> Scope:
    m = org["managers"].astype({"manager_id": str})
    label = ROLES[role].label("en")
    if role == "coach":
        district = sorted(m["district"].unique())[0]
        ids = m.loc[m["district"] == district, "manager_id"]
        return Scope(role, {"as_role": label, "as_district": district},
                     Filters(districts=(district,)), frozenset(ids))
    if role == "region_head":
        counts = m["region"].value_counts()
        region = sorted(counts.index[counts < len(m)])[0]  # not the whole company
        ids = m.loc[m["region"] == region, "manager_id"]
        return Scope(role, {"as_role": label, "as_region": region},
                     Filters(regions=(region,)), frozenset(ids))
    # the first manager with a book of their own (a 市场经理 may be the earliest hire)
    owners = set(org["customers"]["manager_id"].astype(str))
    first = m[m["manager_id"].isin(owners)].sort_values("manager_id").iloc[0]
    return Scope(role, {"as_role": label, "as_manager": f"{first['name']} · "
                        f"{first['manager_id']}"},
                 Filters(managers=(first["manager_id"],)), frozenset([first["manager_id"]]))


def shown_text(at: AppTest) -> str:
    """Everything the page shows, as one text (the role picker left out)."""
    parts: list[str] = []

    def walk(node) -> None:
        if getattr(node, "key", None) in PICKER_KEYS:
            return
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "DESCRIPTOR"):
            parts.append(text_format.MessageToString(proto, as_utf8=True))
        if node.type == "arrow_data_frame":
            parts.append(node.value.to_csv())
        if node.type == "plotly_chart":
            parts.append(json.dumps(json.loads(node.proto.spec), ensure_ascii=False))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def leaks(text: str, scope: Scope, org: dict[str, pd.DataFrame]) -> dict[str, list[str]]:
    m, c, sold = org["managers"], org["customers"], org["sold"]
    inside_m = m["manager_id"].astype(str).isin(scope.managers)
    inside_c_ids = set(c.loc[c["manager_id"].astype(str).isin(scope.managers), "customer_id"]
                       .astype(str)) | set(sold.loc[sold["manager_id"].isin(scope.managers),
                                                    "customer_id"])
    inside_c = c["customer_id"].astype(str).isin(inside_c_ids)
    own_names = set(m.loc[inside_m, "name"]) | set(c.loc[inside_c, "name"])

    def foreign_names(names: pd.Series) -> list[str]:
        # a name also borne inside the scope (or part of one) proves nothing
        return sorted(n for n in set(names) - own_names
                      if n in text and not any(n in o for o in own_names))

    ids = set(re.findall(r"KM\d{4}", text))
    cids = set(re.findall(r"\d{12}", text))
    return {
        "manager ids": sorted(ids - scope.managers),
        "manager names": foreign_names(m.loc[~inside_m, "name"]),
        "customer ids": sorted(cids & (set(c["customer_id"].astype(str)) - inside_c_ids)),
        "customer names": foreign_names(c.loc[~inside_c, "name"]),
    }


@pytest.fixture
def app(demo_root: Path, module_workspace: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CMDASH_DATA_ROOTS", str(demo_root.parent))
    monkeypatch.setenv("CMDASH_WORKSPACE", str(module_workspace))

    def render(scope: Scope, page: str, **extra: str) -> AppTest:
        at = open_page(page, **{**scope.params, **extra})
        assert not at.error, [e.value for e in at.error]
        return at

    return render


@pytest.fixture(scope="module")
def engine(demo_root: Path):
    return open_engine(Dataset.open(demo_root))


CASES = [(role, page) for role in ("coach", "region_head", "manager")
         for page in ROLES[role].pages]


@pytest.mark.parametrize(("role", "page"), CASES)
def test_no_page_shows_anything_outside_the_scope(app, org, role: str, page: str) -> None:
    scope = scope_for(role, org)
    at = app(scope, page)
    text = shown_text(at)
    assert len(text) > 500, "the page drew something"
    found = leaks(text, scope, org)
    assert not any(found.values()), found


@pytest.mark.parametrize("role", ["coach", "region_head", "manager"])
def test_overview_volume_is_the_sum_over_the_scope(app, org, engine, role: str) -> None:
    scope = scope_for(role, org)
    at = app(scope, "overview")
    assert card(at) == latest_cases(engine, scope.filters, "en")
    assert card(at) != latest_cases(engine, Filters(), "en")


@pytest.mark.parametrize("role", ["coach", "region_head"])
def test_managers_table_is_exactly_the_scope(app, org, engine, role: str) -> None:
    scope = scope_for(role, org)
    at = app(scope, "managers")
    shown = at.dataframe[0].value
    assert set(shown["ID"].astype(str)) <= scope.managers
    expected = compute(engine, ["sales_cases"], ("manager",), "all", scope.filters).values
    volume = shown.set_index("ID")["Volume (cases)"].sort_index()
    pd.testing.assert_series_equal(volume, expected.set_index("manager")["sales_cases"]
                                   .sort_index().round(1),  # 箱: one decimal, as shown
                                   check_names=False, check_index_type=False)


def test_sidebar_filters_offer_only_the_scope(app, org) -> None:
    scope = scope_for("coach", org)
    at = app(scope, "overview")
    options = at.sidebar.multiselect(key="manager").options
    assert {o.rsplit(" · ", 1)[-1] for o in options} == scope.managers
    assert at.sidebar.multiselect(key="district").options == list(scope.filters.districts)


def test_a_foreign_filter_in_the_url_cannot_widen_the_scope(app, org, engine) -> None:
    """?manager=<someone else> is dropped: the scope is bound in the query, not the page."""
    scope = scope_for("coach", org)
    outsider = sorted(set(org["managers"]["manager_id"].astype(str)) - scope.managers)[0]
    at = app(scope, "managers", manager=outsider)
    shown = at.dataframe[0].value
    assert outsider not in set(shown["ID"].astype(str))
    assert not leaks(shown_text(at), scope, org)["manager ids"]


def test_profile_of_someone_outside_the_scope_is_not_shown(app, org) -> None:
    scope = scope_for("manager", org)
    outsider = sorted(set(org["managers"]["manager_id"].astype(str)) - scope.managers)[0]
    at = app(scope, "profile", who=outsider)
    assert at.selectbox(key="who").value in scope.managers
    assert not any(leaks(shown_text(at), scope, org).values())


def test_a_manager_sees_a_labelled_company_benchmark(app, org) -> None:
    """One manager has no peers in scope: the cards compare with a company-wide median
    over at least k managers, and say so."""
    at = app(scope_for("manager", org), "profile")
    assert any("Company benchmark" in c.value for c in at.caption)


def test_pages_outside_the_role_are_not_in_the_navigation(app, org) -> None:
    at = app(scope_for("manager", org), "overview")
    for page in ("managers", "coaching", "whatif", "data"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(str(ROOT / "pages" / f"{page}.py"))


def test_the_detector_sees_a_leak_when_there_is_one(app, org) -> None:
    """The check is not vacuous: the unscoped analyst's managers page, read against a
    coach's scope, shows other districts' managers and names."""
    coach = scope_for("coach", org)
    unscoped = Scope("analyst", {}, Filters(), coach.managers)
    found = leaks(shown_text(app(unscoped, "managers")), coach, org)
    assert found["manager ids"] and found["manager names"]
