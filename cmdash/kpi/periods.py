"""Roll-up periods: which scans can give which periods, and where each period starts."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Periods from finest to coarsest; "all" is the whole range as one period.
PERIOD_ORDER = ("day", "week", "month", "quarter", "half", "year", "all")


def regroup(periods: pd.Series, target: str, start: pd.Timestamp) -> pd.Series:
    """Base-period starts mapped to the start of the coarser `target` period."""
    p = pd.to_datetime(periods)
    if target == "all":
        return pd.Series(start, index=periods.index)
    if target == "quarter":
        return p.dt.to_period("Q").dt.start_time
    if target == "half":
        return pd.to_datetime(pd.DataFrame({"year": p.dt.year, "month": np.where(
            p.dt.month <= 6, 1, 7), "day": 1}))
    if target == "year":
        return p.dt.to_period("Y").dt.start_time
    return p


def period_start(day: pd.Timestamp, target: str, start: pd.Timestamp) -> pd.Timestamp:
    """First day of the `target` period holding `day` (any day, not only a base-period
    start: a range may begin mid-month)."""
    day = pd.Timestamp(day).normalize()
    if target == "day":
        return day
    if target == "week":
        return day - pd.Timedelta(days=day.weekday())
    if target == "month":
        return day.replace(day=1)
    return regroup(pd.Series([day]), target, start).iloc[0]


def can_roll(scan_period: str, target: str) -> bool:
    if target in ("day", "week"):
        return scan_period == target
    return scan_period in ("day", "month") or target == "all"
