"""Chart axes a reader can read: months as 2025-01, counts from zero in whole numbers."""

from __future__ import annotations

import pandas as pd

from cmdash import charts
from cmdash.charts.coaching import counts_over_time


def test_one_month_is_one_month_wide() -> None:
    frame = pd.DataFrame({"period": [pd.Timestamp("2026-10-01")], "sales_cases": [5.0]})
    fig = charts.trend_lines(frame, "sales_cases", "t", "x", "y", "this", "last")
    axis = fig.layout.xaxis
    assert axis.tickformat == "%Y-%m" and axis.dtick == "M1"
    lo, hi = (pd.Timestamp(v) for v in axis.range)
    assert (lo, hi) == (pd.Timestamp("2026-09-16"), pd.Timestamp("2026-10-16"))


def test_long_spans_keep_plotly_ticks() -> None:
    months = pd.date_range("2024-01-01", periods=24, freq="MS")
    fig = charts.trend_lines(pd.DataFrame({"period": months, "k": range(24)}), "k",
                             "t", "x", "y", "this", "last")
    assert fig.layout.xaxis.tickformat == "%Y-%m"
    assert fig.layout.xaxis.dtick is None and fig.layout.xaxis.range is None


def test_counts_without_flags_start_at_zero() -> None:
    frame = pd.DataFrame({"as_of": ["2026-10"], "type": ["none"], "count": [1]})
    fig = counts_over_time(frame, {}, "t", "x", "y", "legend")
    assert fig.layout.yaxis.rangemode == "tozero"
    assert tuple(fig.layout.yaxis.range) == (0, 1.05) and fig.layout.yaxis.dtick == 1


def test_radar_series_differ_and_scatter_has_quadrants() -> None:
    fig = charts.radar(["① 经济运行", "④ 营销服务"], {"me": [50.0, 60.0], "peers": [40, 70]},
                       "t")
    assert fig.data[0].line.color != fig.data[1].line.color
    assert fig.layout.margin.l >= 60 and fig.layout.margin.r >= 60  # labels not cut
    frame = pd.DataFrame({"x": [10.0, 80.0], "y": [20.0, 90.0], "label": ["a", "b"]})
    fig = charts.scatter_highlight(frame, "x", "y", "b", "label", "t", "x", "y",
                                   split=(45.0, 55.0), corners={(True, True): "德才兼备"})
    lines = {(s.type, s.x0, s.y0) for s in fig.layout.shapes}
    assert ("line", 45.0, 0) in lines and ("line", 0, 55.0) in lines
    assert [a.text for a in fig.layout.annotations] == ["德才兼备"]


def _contrast(hex_colour: str, background: str = "#ffffff") -> float:
    """WCAG 2 contrast ratio."""
    def luminance(h: str) -> float:
        rgb = [int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(hex_colour), luminance(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_last_year_line_meets_wcag_aa() -> None:
    frame = pd.DataFrame({"period": pd.date_range("2026-01-01", periods=3, freq="MS"),
                          "k": [1.0, 2, 3], "k__yoy": [1.0, 1, 2]})
    fig = charts.trend_lines(frame, "k", "t", "x", "y", "this", "last")
    assert _contrast(fig.data[1].line.color) >= 4.5  # the 去年同期 line was about 1.8:1
    assert _contrast(fig.data[0].line.color) >= 4.5


def test_calendar_weeks_start_on_monday_with_iso_ticks() -> None:
    days = pd.DataFrame({"day": pd.to_datetime(["2026-01-04", "2026-01-05", "2026-01-11"]),
                         "visits": [1, 2, 3]})  # a Sunday, the next Monday, that Sunday
    fig = charts.calendar_heatmap(days, "visits", "t", list("一二三四五六日"), "w", "v")
    heat = fig.data[0]
    weeks = [pd.Timestamp(x) for x in heat.x]
    assert weeks == [pd.Timestamp("2025-12-29"), pd.Timestamp("2026-01-05")]  # Mondays
    assert heat.z[6][0] == 1 and heat.z[0][1] == 2 and heat.z[6][1] == 3  # row 0 = Monday
    assert fig.layout.xaxis.tickformat == "%Y-%m-%d"
