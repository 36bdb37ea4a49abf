"""The overview's first cards, actual against target (完成量), the target (目标量) and
attainment, worked by hand for the company from tests/fixtures.py: targets are set for
April–June 2025 (KM-0003, who left in April, has one for April only)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.kpi import compute
from tests.fixtures import write_tiny_dataset

# month -> (units sold by the managers with a target that month, their targets summed)
BY_HAND = {
    "2025-04-01": (22 + 14 + 10 + 35, 40 + 30 + 20 + 45),  # KM-0003 sold nothing in April
    "2025-05-01": ((11 + 18) + 7 + (14 - 2), 42 + 35 + 45),  # the return counts negative
    "2025-06-01": (24 + (9 + 5 + 6) + 38, 42 + 38 + 48),
}


@pytest.fixture(scope="module")
def monthly(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    root: Path = write_tiny_dataset(tmp_path_factory.mktemp("tiny"))
    kpis = ["sales_units", "target_units_sold", "sales_target", "target_attainment"]
    return compute(open_engine(Dataset.open(root)), kpis, (), "month").values.set_index(
        "period")


@pytest.mark.parametrize("month", sorted(BY_HAND))
def test_actual_target_and_attainment_by_hand(monthly: pd.DataFrame, month: str) -> None:
    sold, target = BY_HAND[month]
    row = monthly.loc[pd.Timestamp(month)]
    assert row["target_units_sold"] == pytest.approx(sold)
    assert row["sales_target"] == pytest.approx(target)
    assert row["target_attainment"] == pytest.approx(100 * sold / target)


def test_months_without_targets_have_none_not_zero(monthly: pd.DataFrame) -> None:
    before = monthly.loc[monthly.index < pd.Timestamp("2025-04-01")]
    assert len(before) == 3 and before["sales_units"].gt(0).all()  # January–March sold
    assert before["sales_target"].isna().all()
    assert before["target_units_sold"].isna().all()
