"""The same query definitions give the same answers on DuckDB and Spark (local mode)."""

from __future__ import annotations

import pandas as pd
import pytest

from cmdash.query import QUERIES, Filters, run
from tests.sql.queries import FIXTURE_QUERIES as Q

pytestmark = pytest.mark.spark


def _normal(frame: pd.DataFrame) -> pd.DataFrame:
    """Compare values, not engine dtypes: dates as ISO text, numbers as float."""
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_datetime64_any_dtype(s) or s.map(type).astype(str).str.contains(
            "date").any():
            out[col] = pd.to_datetime(s).dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            out[col] = s.astype("float64")
        else:
            out[col] = s.astype("string")
    return out.reset_index(drop=True)


SCOPES = {
    "all": Filters(),  # (the data's last day is used as the end)
    "narrow": None,  # filled from the data: one region, a date window
}


@pytest.mark.parametrize("name", sorted(QUERIES | Q))
@pytest.mark.parametrize("scope", sorted(SCOPES))
def test_same_result_on_both_engines(engines, name: str, scope: str) -> None:
    duck, spark = engines
    filters = SCOPES[scope]
    if filters is None:
        regions = run(duck, Q["org_tree"])["region"]
        span = run(duck, "sales_date_range").iloc[0]
        filters = Filters(
            start=pd.Timestamp(span["first_day"]).date() + pd.Timedelta(days=90),
            end=pd.Timestamp(span["last_day"]).date() - pd.Timedelta(days=90),
            regions=(regions.iloc[0],),
        )
    if filters.end is None:
        filters = Filters(end=pd.Timestamp(run(duck, "sales_date_range").iloc[0]["last_day"])
                          .date())
    busiest = run(duck, Q["monthly_sales_by_manager"], filters).groupby("manager_id")[
        "lines"].sum()
    extra = {"manager_id": busiest.idxmax()}  # for the one-manager queries, in scope
    query = (QUERIES | Q)[name]
    left = _normal(run(duck, query, filters, extra))
    right = _normal(run(spark, query, filters, extra))
    assert len(left) > 0, f"{name} returned nothing: the parity check would be empty"
    pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-9)


def test_an_engine_leaves_a_running_session_running(demo_root, spark_session) -> None:
    """An engine that found the process's Spark session (as the CLI's do inside a
    notebook or this suite) does not stop it on close: the next query still runs."""
    from cmdash.dataset import Dataset
    from cmdash.engine import open_engine

    engine = open_engine(Dataset.open(demo_root), "spark")
    assert engine.spark is spark_session
    engine.close()
    assert spark_session.sql("SELECT 1 AS one").collect()[0]["one"] == 1
