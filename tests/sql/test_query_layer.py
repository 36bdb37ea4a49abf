"""The query layer on the tiny fixture, against values computed by hand from its lines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.query import Filters, explain, run
from tests.fixtures import write_tiny_dataset
from tests.sql.queries import FIXTURE_QUERIES as Q


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_dataset(tmp_path_factory.mktemp("tiny"), partition_sales=True)


@pytest.fixture(scope="module")
def engine(tiny: Path):
    eng = open_engine(Dataset.open(tiny))
    yield eng
    eng.close()


def _row(frame: pd.DataFrame, **where: object) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for col, value in where.items():
        mask &= frame[col] == value
    assert mask.sum() == 1, f"expected one row for {where}, got {mask.sum()}"
    return frame[mask].iloc[0]


def test_monthly_sales_cases_use_units_per_case_and_keep_returns(engine) -> None:
    frame = run(engine, Q["monthly_sales_by_manager"])
    feb = _row(frame, manager_id="KM-0003", month=pd.Timestamp("2025-02-01"))
    # O-2502-02: 10 条 of P03 (250/箱, 120 元) + O-2502-04: 5 条 of P02 (250/箱, 190 元)
    assert feb["cases"] == pytest.approx(10 / 250 + 5 / 250)
    assert feb["amount"] == pytest.approx(10 * 120 + 5 * 190)
    assert (feb["active_customers"], feb["return_lines"], feb["lines"]) == (2, 0, 2)
    # KM-0002 in March: 18 条 of P04 and a return of 6: P04 has no units_per_case, so no 箱
    mar = _row(frame, manager_id="KM-0002", month=pd.Timestamp("2025-03-01"))
    assert mar["cases"] == 0
    assert mar["amount"] == pytest.approx((18 - 6) * 75)
    assert (mar["active_customers"], mar["return_lines"]) == (1, 1)


def test_sales_credit_the_manager_on_the_line_not_todays_owner(engine) -> None:
    # 3205005 belongs to KM-0002 today; its Jan–Mar lines stay KM-0003's.
    frame = run(engine, Q["monthly_sales_by_manager"], Filters(districts=("吴中片区",)))
    assert set(frame["manager_id"]) == {"KM-0003"}
    assert frame["cases"].sum() == pytest.approx((8 + 10 + 5 + 12) / 250)
    km2 = run(engine, Q["monthly_sales_by_manager"], Filters(managers=("KM-0002",)))
    apr = _row(km2, month=pd.Timestamp("2025-04-01"))
    # O-2504-02 and O-2504-03 (the customer KM-0002 took over)
    assert apr["cases"] == pytest.approx(14 / 250 + 10 / 250)


def test_region_and_date_filters_are_bound(engine) -> None:
    frame = run(engine, Q["monthly_sales_by_manager"],
                Filters(regions=("无锡",), start=dt.date(2025, 5, 1), end=dt.date(2025, 5, 31)))
    assert list(frame["manager_id"]) == ["KM-0004"]
    row = frame.iloc[0]
    assert row["cases"] == pytest.approx((14 - 2) / 250)
    assert row["amount"] == pytest.approx((14 - 2) * 450)


@pytest.mark.parametrize("hostile", ["x' OR '1'='1", "苏州'; DROP TABLE sales; --", "%"])
def test_hostile_filter_values_match_nothing(engine, hostile: str) -> None:
    assert run(engine, Q["monthly_sales_by_manager"], Filters(regions=(hostile,))).empty
    assert not run(engine, Q["monthly_sales_by_manager"]).empty  # the table is still there


def test_visits_feedback_and_last_order(engine) -> None:
    visits = run(engine, Q["monthly_visits_by_manager"])
    mar = _row(visits, manager_id="KM-0004", month=pd.Timestamp("2025-03-01"))
    assert (mar["visits"], mar["on_site_visits"], mar["visits_with_order"]) == (1, 1, 1)
    feedback = run(engine, Q["feedback_by_manager"])
    assert _row(feedback, manager_id="KM-0001")["mean_rating"] == 5.0
    km3 = _row(feedback, manager_id="KM-0003")
    assert km3["complaints"] == 1 and pd.isna(km3["mean_rating"])
    last = _row(run(engine, Q["customer_last_order"]), customer_id="3205004")
    assert last["last_order"] == pd.Timestamp("2025-03-18")
    assert last["orders"] == 3
    assert last["amount"] == pytest.approx((30 + 18 - 6) * 75)


def test_absent_optional_table_is_an_empty_view(tiny: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "no-events"
    shutil.copytree(tiny, copy)
    (copy / "events.parquet").unlink()
    eng = open_engine(Dataset.open(copy))
    assert "events" not in eng.present and "sales" in eng.present
    frame = eng.query("SELECT count(*) AS n FROM events", {})
    assert frame["n"].iloc[0] == 0


def test_explain_shows_parameters_not_values() -> None:
    sql = explain(Q["monthly_sales_by_manager"])
    assert "$start" in sql and "$regions" in sql and "WITH scope AS" in sql
    assert ":start" in explain(Q["monthly_sales_by_manager"], "spark")
