"""One way to write a number per unit, checked against hand-written text."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from cmdash.numbers import (
    column_format,
    excel_format,
    format_points,
    format_value,
    round_frame,
    with_excel_formats,
)


@pytest.mark.parametrize(("value", "unit", "lang", "compact", "text"), [
    (4819.6399999999885, "cases", "zh", False, "4,819.6箱"),
    (4819.6399999999885, "cases", "en", False, "4,819.6 cases"),
    (123456.7, "cases", "zh", True, "12.35万箱"),  # 123,456.7 ÷ 10,000
    (9999.0, "units", "zh", True, "9,999条"),  # below 万: unchanged
    (2.5e8, "units", "zh", True, "2.50亿条"),
    (12345.678, "wan_yuan", "zh", True, "1.23亿元"),  # 12,345.678 万元 = 1.2346 亿元
    (12345.678, "wan_yuan", "en", True, "123.46 M yuan"),  # 123,456,780 yuan
    (83.6273, "score", "zh", False, "83.6分"),
    (1936.0025, "yuan_per_case", "zh", False, "1,936元/箱"),
    (97.44, "pct", "zh", False, "97.4%"),
    (0.893, "share", "zh", False, "89.3%"),
    (0.025, "share_pp", "zh", False, "2.5 百分点"),
    (12.25, "days", "en", False, "12.2 days"),  # banker's rounding of the float 12.25
    (None, "cases", "zh", False, "—"),
    (float("nan"), "pct", "en", True, "—"),
])
def test_format_value(value, unit, lang, compact, text) -> None:
    assert format_value(value, unit, lang, compact=compact) == text


def test_points_and_formats() -> None:
    assert format_points(97.4 - 98.0) == "-0.6 百分点"
    assert format_points(1.25, "en") == "+1.2 pp"
    assert format_points(None) is None
    assert column_format("cases") == "%,.1f"
    assert column_format("share") == "percent"
    assert excel_format("units") == "#,##0"
    assert excel_format("wan_yuan") == "#,##0.00"
    assert excel_format("share") == "0.0%"


def test_round_frame_keeps_integers_and_text() -> None:
    frame = pd.DataFrame({"a": [4819.6399999999885], "n": [3], "s": ["x"]})
    out = round_frame(frame, {"a": "cases", "n": "units", "s": "cases"})
    assert out["a"].iloc[0] == 4819.6
    assert out["n"].dtype == frame["n"].dtype
    assert frame["a"].iloc[0] == 4819.6399999999885  # the input is not changed


def test_excel_cells_carry_the_unit_format() -> None:
    from openpyxl import load_workbook

    buffer = io.BytesIO()
    pd.DataFrame({"名": ["张"], "销量（箱）": [1234.5], "率": [0.5]}).to_excel(buffer, index=False)
    book = load_workbook(io.BytesIO(with_excel_formats(buffer.getvalue(),
                                                       {"销量（箱）": "cases", "率": "share"})))
    sheet = book.active
    assert sheet["B2"].number_format == "#,##0.0"
    assert sheet["C2"].number_format == "0.0%"
    assert sheet["A2"].number_format == "General"
    assert sheet["B2"].value == 1234.5


def test_managers_table_is_rounded_to_its_units() -> None:
    from cmdash.present.managers import manager_table

    values = pd.DataFrame({"manager": ["M1", "M2"], "sales_cases": [4819.6399999999885, 2.25],
                           "value_per_case": [1936.0025, 80.5]})
    scores = pd.DataFrame({"manager": ["M1", "M1", "M2"], "total": [83.6273, 80.0, 70.0]})
    directory = pd.DataFrame({"manager_id": ["M1", "M2"], "name": ["甲", "乙"],
                              "region": ["东"] * 2, "district": ["城"] * 2,
                              "grade": ["一级"] * 2, "status": ["active", "left"]})
    table = manager_table(values, scores, directory, ["sales_cases", "value_per_case"], "zh")
    assert table["销量（箱）"].tolist() == [4819.6, 2.2]  # 2.25 is stored as 2.2499…
    assert table["单箱值（元/箱）"].tolist() == [1936.0, 80.0]  # 80.5 rounds half to even
    assert table["考核总分（分）"].tolist() == [81.8, 70.0]  # (83.6273 + 80) / 2 = 81.81365
    assert table.attrs["units"] == {"考核总分（分）": "score", "销量（箱）": "cases",
                                    "单箱值（元/箱）": "yuan_per_case"}
    csv = table.to_csv(index=False)
    assert "4819.6," in csv and "4819.63" not in csv


def test_a_change_that_rounds_to_zero_has_no_minus() -> None:
    from cmdash.numbers import format_change

    assert format_change(-0.00001) == "+0.0%"  # was "-0.0%" on the 订货零售户 card
    assert format_change(-0.0006) == "-0.1%"
    assert format_points(-0.04) == "+0.0 百分点"


def test_arrow_change() -> None:
    from cmdash.numbers import arrow_change

    assert arrow_change(5, 2, lower_is_up=True) == "↑ 3"  # rank 5 → 2: up three places
    assert arrow_change(2, 5, lower_is_up=True) == "↓ 3"
    assert arrow_change(10.0, 11.5, 1) == "↑ 1.5"
    assert arrow_change(7, 7) == "—"
    assert arrow_change(None, 3) == "—"


def test_format_signed() -> None:
    from cmdash.numbers import format_signed

    assert format_signed(12.34, "cases") == "+12.3箱"
    assert format_signed(-1234.5, "units", "en") == "-1,234 units"  # 0 decimals, half to even
    assert format_signed(-0.6, "pct") == "-0.6 百分点"
    assert format_signed(None, "cases") is None
