"""Safety stock on the tiny fixture, worked by hand (26-week window ending 30 June 2025)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.settings import Settings
from cmdash.stock.safety import compute
from tests.fixtures import write_tiny_dataset

END = dt.date(2025, 6, 30)


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory):
    eng = open_engine(Dataset.open(write_tiny_dataset(tmp_path_factory.mktemp("tiny"))))
    return compute(eng, None, Settings().replace(stock__window_weeks=26), END)


def _line(result, customer: str, product: str):
    lines = result.lines.set_index(["customer_id", "product_id"])
    return lines.loc[(customer, product)]


def test_profitable_line_uses_1_3(result) -> None:
    # 3205002 ordered 25, 22 and 24 条 of P02 (二类: profitable) in 3 order cycles
    line = _line(result, "3205002", "P02")
    assert line["cycles"] == 3
    assert line["per_cycle"] == pytest.approx(71 / 3)
    assert line["coefficient"] == 1.3
    assert line["safety_stock"] == pytest.approx(71 / 3 * 1.3)
    assert line["suggested_order"] == 31


def test_steady_line_uses_1_2_and_returns_net_off(result) -> None:
    # 3205004: 30 and 18 条 of P04 (四类: steady), then 6 returned; 2 order cycles
    line = _line(result, "3205004", "P04")
    assert line["per_cycle"] == pytest.approx((30 + 18 - 6) / 2)
    assert line["safety_stock"] == pytest.approx(21 * 1.2)
    # a line not ordered every cycle averages over all the retailer's cycles
    p03 = _line(result, "3205007", "P03")
    assert p03["per_cycle"] == pytest.approx(20 / 3)


def test_coefficients_and_classes_are_settings(tmp_path: Path) -> None:
    eng = open_engine(Dataset.open(write_tiny_dataset(tmp_path)))
    s = Settings().replace(stock__window_weeks=26, stock__coef_profitable=1.5,
                           stock__profitable_tiers="一类")
    res = compute(eng, None, s, END)
    assert res.lines.set_index(["customer_id", "product_id"]).loc[
        ("3205002", "P02"), "coefficient"] == 1.2  # 二类 is now a steady seller
    assert res.lines.set_index(["customer_id", "product_id"]).loc[
        ("3205007", "P01"), "coefficient"] == 1.5


def test_stock_check_against_visits(result) -> None:
    c = result.customers.set_index("customer_id")
    # V004 found 3205007's stock short on 13 March, the day of an order that met the
    # suggestion for every line it had; V007 found 3205002's stock fine
    assert c.loc["3205007", "stock_short_share"] == 1.0
    assert c.loc["3205007", "short_after_full_order"] == 1.0
    assert c.loc["3205002", "stock_short_share"] == 0.0
