"""The coaching queries give the same answers on DuckDB and Spark (local mode)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cmdash.coaching.queries import COACHING_QUERIES
from cmdash.query import Filters, run
from tests.sql.queries import FIXTURE_QUERIES as Q
from tests.sql.test_spark_parity import _normal

pytestmark = pytest.mark.spark

PARAMS = {"win_start": dt.date(2026, 2, 1), "as_of": dt.date(2026, 10, 31),
          "long_gap_days": 45}


@pytest.mark.parametrize("name", sorted(COACHING_QUERIES))
@pytest.mark.parametrize("scope", ["all", "one_region"])
def test_same_result_on_both_engines(engines, name: str, scope: str) -> None:
    duck, spark = engines
    filters = Filters()
    if scope == "one_region":
        filters = Filters(regions=(run(duck, Q["org_tree"])["region"].iloc[0],))
    q = COACHING_QUERIES[name]
    left = _normal(run(duck, q, filters, PARAMS))
    right = _normal(run(spark, q, filters, PARAMS))
    assert len(left) > 0, f"{name} returned nothing: the parity check would be empty"
    pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-9)
