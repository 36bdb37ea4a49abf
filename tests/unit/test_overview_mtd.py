"""The Overview's month-to-date windows and cards (issue 16), worked by hand."""

from __future__ import annotations

import pandas as pd

from cmdash.present.overview import month_to_date, mtd_cards

T = pd.Timestamp


def test_no_windows_at_a_month_end() -> None:
    assert month_to_date(T("2026-11-30")) is None
    assert month_to_date(T("2024-02-29")) is None


def test_like_for_like_windows() -> None:
    mtd = month_to_date(T("2026-12-01"))
    assert mtd.month == T("2026-12-01") and mtd.days == 1
    assert mtd.current == (T("2026-12-01"), T("2026-12-01"))
    assert mtd.prior == (T("2026-11-01"), T("2026-11-01"))
    assert mtd.yoy == (T("2025-12-01"), T("2025-12-01"))
    # 30 March: the month before has 28 days, so its window stops on 28 February
    mtd = month_to_date(T("2025-03-30"))
    assert mtd.prior == (T("2025-02-01"), T("2025-02-28"))
    assert mtd.yoy == (T("2024-03-01"), T("2024-03-30"))


def test_cards_compare_the_same_days() -> None:
    mtd = month_to_date(T("2026-12-10"))
    current = pd.DataFrame({"period": [T("2026-12-01")], "sales_cases": [110.0]})
    prior = pd.DataFrame({"period": [T("2026-11-01")], "sales_cases": [100.0]})
    yoy = pd.DataFrame({"period": [T("2025-12-01")], "sales_cases": [88.0]})
    monthly = pd.DataFrame({"period": pd.to_datetime(["2026-10-01", "2026-11-01",
                                                      "2026-12-01"]),
                            "sales_cases": [300.0, 310.0, 110.0]})
    (card,) = mtd_cards(current, prior, yoy, monthly, mtd, ["sales_cases"], "en")
    assert card.period == T("2026-12-01")
    assert card.delta == "+10.0%"  # 110 vs the first 10 days of November (100)
    assert card.yoy == "+25.0%"  # 110 vs the first 10 days of December 2025 (88)
    assert card.trend == [300.0, 310.0]  # whole months only: no 110 dip in the sparkline
