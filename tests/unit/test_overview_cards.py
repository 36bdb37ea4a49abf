"""Overview cards: rates change in 百分点, large sums in 万, colour by the span's direction."""

from __future__ import annotations

import pandas as pd

from cmdash.present.colours import span_colour
from cmdash.present.overview import cards


def _months(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    return pd.DataFrame({"period": pd.date_range("2026-01-01", periods=n, freq="MS"),
                         **columns})


def test_a_rate_changes_in_points_and_a_volume_in_percent() -> None:
    frame = _months(target_attainment=[90.0, 97.4], target_attainment__prior=[None, 98.0],
                    sales_cases=[100.0, 123456.7], sales_cases__prior=[None, 100000.0])
    by_kpi = {c.kpi: c for c in cards(frame, ["target_attainment", "sales_cases"], "zh")}
    assert by_kpi["target_attainment"].value == "97.4%"
    assert by_kpi["target_attainment"].delta == "-0.6 百分点"  # 97.4 − 98.0, not −0.6 %
    assert by_kpi["sales_cases"].value == "12.35万箱"  # 123,456.7 箱
    assert by_kpi["sales_cases"].delta == "+23.5%"  # 123,456.7 ÷ 100,000 − 1
    assert by_kpi["sales_cases"].label == "销量"  # the unit travels with the value


def test_a_rising_year_with_a_last_month_dip_is_green() -> None:
    frame = _months(sales_cases=[100.0, 120.0, 140.0, 130.0])
    (card,) = cards(frame, ["sales_cases"], "en")
    assert card.delta_color == "green"  # 100 → 130 over the sparkline, though −7 % last month
    (red,) = cards(frame, ["sales_cases"], "en", red_up=True)
    assert red.delta_color == "red"  # 红涨绿跌: up is red


def test_span_colour() -> None:
    assert span_colour([5.0, 3.0], "lower") == "green"  # e.g. return rate fell: better
    assert span_colour([5.0, 3.0], "higher") == "red"
    assert span_colour([5.0, 3.0], "higher", red_up=True) == "green"
    assert span_colour([5.0, 5.0], "higher") == "gray"
    assert span_colour([5.0], "higher") == "gray"
    assert span_colour([1.0, 2.0], "neutral") == "gray"


def test_actual_and_attainment_come_first() -> None:
    from cmdash.kpi import KPIS, OVERVIEW_KPIS
    from cmdash.present.overview import CARD_KPIS, fold, headline_order

    order = headline_order(CARD_KPIS)
    assert order[:4] == ["target_units_sold", "sales_target", "target_attainment",
                         "sales_amount"]
    assert sorted(order) == sorted(CARD_KPIS)  # none lost, none doubled
    assert set(OVERVIEW_KPIS) <= set(order)
    # attainment divides the first card by the second, in the same unit
    att = KPIS["target_attainment"]
    assert (att.numerator, att.denominator) == ("target_units_sold", "sales_target")
    assert KPIS["target_units_sold"].unit == KPIS["sales_target"].unit == "units"
    shown, folded = fold(order)
    assert shown == order[:4] and folded == order[4:]


def test_year_to_date_compares_the_same_days_last_year() -> None:
    from cmdash.present.overview import year_to_date, ytd_cards

    ytd = year_to_date(pd.Timestamp("2026-03-10"))
    assert ytd.current == (pd.Timestamp("2026-01-01"), pd.Timestamp("2026-03-10"))
    assert ytd.yoy == (pd.Timestamp("2025-01-01"), pd.Timestamp("2025-03-10"))
    current = pd.DataFrame({"sales_cases": [250.0], "coverage": [80.0]})
    last_year = pd.DataFrame({"sales_cases": [200.0], "coverage": [82.5]})
    monthly = _months(sales_cases=[90.0, 100.0, 110.0, 120.0, 40.0],
                      coverage=[70.0, 70, 70, 70, 70])  # 2026-01 … 2026-05
    monthly["period"] = pd.date_range("2025-12-01", periods=5, freq="MS")
    by_kpi = {c.kpi: c for c in ytd_cards(current, last_year, monthly, ytd,
                                          ["sales_cases", "coverage"], "zh")}
    assert by_kpi["sales_cases"].value == "250.0箱"
    assert by_kpi["sales_cases"].delta == "+25.0%"  # 250 vs 200 the same days last year
    assert by_kpi["coverage"].delta == "-2.5 百分点"  # 80.0 vs 82.5
    assert by_kpi["sales_cases"].trend == [100.0, 110.0, 120.0, 40.0]  # this year's months
