"""A scoped viewer's scan cut from the company-wide one equals scanning with the scope."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from cmdash.access.model import Access
from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.kpi import KPIS, kpi_table
from cmdash.kpi.catalog import RANGE_KPIS
from cmdash.kpi.scan import Scan, scan, scoped
from cmdash.query import Filters, run
from tests.fixtures import write_tiny_dataset

START, END = dt.date(2025, 4, 1), dt.date(2025, 6, 30)
VIEWS = {
    "region filter": Filters(START, END, regions=("苏州",)),
    "district filter": Filters(START, END, districts=("吴中片区",)),
    "manager filter": Filters(START, END, managers=("KM-0002", "KM-0004")),
    "coach": Filters(START, END, access=Access("c@x", "coach", supervisor="KM-0001")),
    "manager": Filters(START, END, access=Access("m@x", "manager", managers=("KM-0003",))),
    "region head, filtered": Filters(START, END, districts=("姑苏片区",),
                                     access=Access("r@x", "region_head", regions=("苏州",))),
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    return open_engine(Dataset.open(write_tiny_dataset(tmp_path_factory.mktemp("tiny"))))


@pytest.fixture(scope="module")
def company(engine) -> Scan:
    return scan(engine, Filters(START, END))


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Values only: categories as text, rows in key order."""
    out = frame.astype({c: "object" for c in frame.columns
                        if isinstance(frame[c].dtype, pd.CategoricalDtype)})
    out = out.astype({c: "object" for c in out.columns if out[c].dtype == "str"})
    keys = [c for c in ("manager", "customer", "day", "period", "in_range") if c in out]
    return out.sort_values(keys).reset_index(drop=True)


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_cut_equals_scanned(engine, company: Scan, view: str) -> None:
    filters = VIEWS[view]
    direct = scan(engine, filters)
    cut = scoped(company, frozenset(run(engine, "scope_managers", filters)["manager_id"]))
    assert cut.scope == direct.scope and cut.scope  # the view sees someone
    assert set(cut.facts) == set(direct.facts)
    for name in direct.facts:
        pd.testing.assert_frame_equal(_plain(cut.facts[name]), _plain(direct.facts[name]),
                                      check_dtype=False, obj=f"{view}: {name}")
        for col in ("manager", "region", "district", "owner"):
            if col in cut.facts[name]:  # no label from outside the scope, even unused
                labels = set(cut.facts[name][col].cat.categories.astype(str))
                assert labels <= set(direct.facts[name][col].dropna().astype(str)), col
    for attrs in ("managers", "customers"):
        pd.testing.assert_frame_equal(
            _plain(getattr(cut, attrs)).sort_values(attrs[:-1]).reset_index(drop=True),
            _plain(getattr(direct, attrs)).sort_values(attrs[:-1]).reset_index(drop=True),
            check_dtype=False)
    kpis = [k for k in KPIS if k not in RANGE_KPIS]  # the by-product scans are asked for
    for by, period in ((("manager",), "month"), ((), "all"), (("district",), "quarter")):
        a = kpi_table(cut, kpis, by, period).values
        b = kpi_table(direct, kpis, by, period).values
        pd.testing.assert_frame_equal(a, b, check_dtype=False, check_categorical=False)


def test_only_the_unscoped_scan_is_cut(company: Scan) -> None:
    some = scoped(company, frozenset({"KM-0002"}))
    with pytest.raises(ValueError):
        scoped(some, frozenset({"KM-0002"}))


def test_owners_outside_the_scope_are_blanked(engine) -> None:
    # 3205005 moved from KM-0003 to KM-0002: KM-0003's rows for it name an owner KM-0003
    # may not see
    s = scan(engine, Filters(START, END, managers=("KM-0003",)))
    owners = set(s.facts["sales"]["owner"].dropna().astype(str))
    assert owners <= {"KM-0003"}
    assert s.facts["sales"]["owner"].isna().any()


@pytest.mark.parametrize("ordered", [False, True])
def test_unused_categories_go_as_pandas_drops_them(ordered: bool) -> None:
    """The cut's own way of dropping unused categories (codes counted, not sorted) gives
    what `cat.remove_unused_categories` gives: categories, order, values and missing ones."""
    from cmdash.kpi.scan import _used_categories

    rng = np.random.default_rng(7)
    for _ in range(200):
        cats = [f"KM-{i:04d}" for i in range(int(rng.integers(1, 30)))]
        values = rng.choice([*cats, None], size=int(rng.integers(0, 60)))
        column = pd.Series(pd.Categorical(values, categories=cats, ordered=ordered),
                           index=rng.permutation(len(values)), name="manager")
        pd.testing.assert_series_equal(_used_categories(column),
                                       column.cat.remove_unused_categories())
