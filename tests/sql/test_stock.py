"""Safety stock on the tiny fixture, worked by hand (26-week window ending 30 June 2025)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from cmdash.all_settings import Settings
from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.stock.safety import compute, safety_stock
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
    # counted 8 条 on hand on 20 June (the 2 May count is older, the 1 July one after the
    # window): 30.77 − 8 = 22.77 → 23 条, net of stock
    assert (line["on_hand"], line["basis"]) == (8, "net_of_stock")
    assert line["suggested_order"] == 23


def test_without_a_count_the_suggestion_is_an_order_up_to_level(result) -> None:
    line = _line(result, "3205004", "P04")  # never counted
    assert pd.isna(line["on_hand"]) and line["basis"] == "order_up_to"
    assert line["suggested_order"] == 26  # ⌈21 × 1.2 = 25.2⌉
    empty = _line(result, "3205007", "P03")  # counted empty on 27 June: the full level
    assert (empty["on_hand"], empty["basis"]) == (0, "net_of_stock")
    assert empty["suggested_order"] == 8  # ⌈20 / 3 × 1.2 = 8.0⌉ (no float dust to 9)


def test_slow_lines_are_not_rounded_up_every_cycle() -> None:
    # 10 cycles: A sells 3 条 (0.3 a cycle), B 20 条 (2 a cycle), C 3 条 but counted 0 on hand
    lines = pd.DataFrame({"customer_id": ["c", "c", "d"], "product_id": ["A", "B", "C"],
                          "price_tier": ["三类"] * 3, "units": [3.0, 20.0, 3.0]})
    cycles = pd.Series({"c": 10, "d": 10})
    counts = pd.DataFrame({"customer_id": ["d"], "product_id": ["C"], "on_hand": [0.0]})
    out = safety_stock(lines, cycles, Settings(), counts).set_index("product_id")
    # A: 0.3 × 1.2 = 0.36 条 a cycle: not 1 条 every cycle, but 1 every ⌈1 / 0.3⌉ = 4 cycles
    assert out.loc["A", "suggested_order"] == 0 and out.loc["A", "order_every"] == 4
    assert out.loc["B", "suggested_order"] == 3 and pd.isna(out.loc["B", "order_every"])
    # C sells as slowly, but the shop has none: ⌈0.36 − 0⌉ = 1
    assert out.loc["C", "suggested_order"] == 1
    fewer = safety_stock(lines, cycles, Settings().replace(stock__slow_per_cycle=0.2), counts)
    assert fewer.set_index("product_id").loc["A", "suggested_order"] == 1


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
