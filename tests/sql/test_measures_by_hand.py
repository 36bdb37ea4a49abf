"""Measures the roll-up executes from their declarations, against tests/fixtures.py by hand.

In Q1 2025 KM-0003 visited 3205005 once (V003, February), a customer that now belongs to
KM-0002; KM-0002 visited its own 3205003 (V002, January). In Q2 KM-0004 sold 14 条 of P01
(250 条 a 箱) and took 2 back (P04's lines have no case size): net 12/250 箱, gross 14/250."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.kpi.measures import inputs
from cmdash.kpi.rollup import rollup
from cmdash.kpi.scan import scan
from tests.fixtures import write_tiny_dataset

Q1, Q2 = pd.Timestamp("2025-01-01"), pd.Timestamp("2025-04-01")


@pytest.fixture(scope="module")
def tiny_scan(tmp_path_factory: pytest.TempPathFactory):
    root: Path = write_tiny_dataset(tmp_path_factory.mktemp("tiny"))
    return scan(open_engine(Dataset.open(root)))


def _row(frame: pd.DataFrame, manager: str, period: pd.Timestamp = Q1) -> pd.Series:
    got = frame[(frame["manager"] == manager) & (frame["period"] == period)]
    assert len(got) == 1
    return got.iloc[0]


def test_customers_visited_by_their_owner_and_by_anyone(tiny_scan) -> None:
    m = rollup(tiny_scan, ("manager",), "quarter", {"customers_visited",
                                                    "customers_visited_any"})
    km3 = _row(m, "KM-0003")
    # 3205005 is KM-0002's now: KM-0003's visit counts for anyone, not for its owner
    assert (km3["customers_visited"], km3["customers_visited_any"]) == (0, 1)
    km2 = _row(m, "KM-0002")
    assert (km2["customers_visited"], km2["customers_visited_any"]) == (1, 1)


def test_gross_cases_is_net_cases_plus_the_returned(tiny_scan) -> None:
    km4 = _row(rollup(tiny_scan, ("manager",), "quarter", inputs({"gross_cases"})),
               "KM-0004", Q2)
    assert km4["cases"] == pytest.approx(12 / 250)
    assert km4["return_cases"] == pytest.approx(2 / 250)
    assert km4["gross_cases"] == pytest.approx(14 / 250)


def test_a_book_counts_only_while_its_owner_is_employed(tmp_path: Path) -> None:
    """Ownership is today's: KM-0004, hired 2025-03-10 here, holds 3205007 and 3205008
    from March on; in January and February an unnamed predecessor held them, so they are
    in no book (no 0 % coverage for a manager not yet hired), at any grouping."""
    root = write_tiny_dataset(tmp_path / "tiny")
    managers = pd.read_parquet(root / "managers.parquet")
    managers.loc[managers["manager_id"] == "KM-0004", "hire_date"] = pd.Timestamp(
        "2025-03-10").date()
    managers.to_parquet(root / "managers.parquet", index=False)
    s = scan(open_engine(Dataset.open(root)))
    by_manager = rollup(s, ("manager",), "month", {"book_customers", "units"})
    km4 = by_manager[by_manager["manager"] == "KM-0004"].set_index("period")
    book = km4["book_customers"].reindex(pd.to_datetime(["2025-01-01", "2025-02-01",
                                                          "2025-03-01", "2025-04-01"]))
    assert book.fillna(0).tolist() == [0, 0, 2, 2]
    company = rollup(s, (), "month", {"book_customers", "units"}).set_index("period")
    # 8 customers; 3205006 opens 2025-02-01, 3205004 closes 2025-03-31; KM-0004's two
    # count from March: Jan 8 − 1 − 2 = 5, Feb 6, Mar 8, Apr 7
    assert company.loc[pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01",
                                       "2025-04-01"]), "book_customers"].tolist() == [5, 6, 8, 7]
