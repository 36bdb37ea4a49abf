"""China's official workdays, the fallback outside the package's years, and the company's
own calendar overriding both."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cmdash.kpi.workdays import count_workdays, covered_years, workday_flags


def _days(*iso: str) -> np.ndarray:
    return np.array(iso, dtype="datetime64[D]")


def test_official_holidays_and_make_up_days() -> None:
    # 国庆 2025: 1–8 October off; Sunday 28 September and Saturday 11 October worked (调休)
    got = workday_flags(_days("2025-09-28", "2025-09-30", "2025-10-01", "2025-10-08",
                              "2025-10-09", "2025-10-11", "2025-10-12"))
    assert got.tolist() == [True, True, False, False, True, True, False]
    # October 2025: 23 weekdays, 6 of them holidays (1–3, 6–8), 2 make-up days
    assert count_workdays(_days("2025-10-01"), _days("2025-10-31")).tolist() == [23 - 6 + 1]


def test_years_the_package_does_not_know_are_monday_to_friday() -> None:
    first, last = covered_years()
    later = np.datetime64(f"{last + 1}-01-01", "D")
    days = later + np.arange(14)
    weekday = (days.astype(np.int64) + 3) % 7
    assert first <= 2004 and (workday_flags(days) == (weekday < 5)).all()


def test_the_company_calendar_overrides_day_by_day() -> None:
    company = pd.DataFrame({"date": pd.to_datetime(["2025-10-08", "2025-10-13", "2025-10-14"]),
                            "is_workday": [True, False, None]})
    got = workday_flags(_days("2025-10-08", "2025-10-13", "2025-10-14"), company)
    assert got.tolist() == [True, False, True]  # a blank says nothing: official Tuesday
    assert count_workdays(_days("2025-10-01", "2025-10-31"), _days("2025-10-31", "2025-10-01"),
                          company).tolist() == [18, 0]
