"""Who is ranked, against whom, and in which periods (docs/assessment.md).

A period is *complete* when its last day is on or before the last day the data (or the
viewer's range) covers: a month with one day of data is month-to-date, never scored or ranked
as a month. A manager who left is not ranked in the periods that start after the day they
left. Territory-dependent components (单箱值, volume, …) are ranked within comparable peers
(the district by default, a setting), falling back to the whole company when a peer group is
smaller than a set size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: why a row is not ranked: "" (it is), the period is month-to-date, or the manager had left
RANKED, PARTIAL, LEFT = "", "partial", "left"
PEER_GROUPS = ("district", "region", "company")
_OFFSETS = {"week": "7D", "month": "MS", "quarter": "QS", "half": "6MS", "year": "YS"}


@dataclass(frozen=True)
class Roster:
    """Managers' peer groups and leaving dates, and the last day the data covers."""

    managers: pd.DataFrame  # manager, district, region, left_date
    end: pd.Timestamp

    @classmethod
    def of(cls, managers: pd.DataFrame, end) -> Roster:
        frame = managers.rename(columns={"manager_id": "manager"})
        cols = [c for c in ("manager", "district", "region", "left_date") if c in frame]
        frame = frame[cols].copy()
        frame["manager"] = frame["manager"].astype(str)
        return cls(frame.drop_duplicates("manager").set_index("manager"), pd.Timestamp(end))


def roster_of(scan) -> Roster:
    """The roster a KPI scan carries (its managers' attributes and its last day)."""
    return Roster.of(scan.managers, scan.end)


def period_last_day(periods: pd.Series, grain: str) -> pd.Series:
    """The last day of each period, from its first day."""
    start = pd.to_datetime(pd.Series(periods))
    if grain == "week":
        return start + pd.Timedelta(days=6)
    offset = {"month": pd.offsets.MonthBegin(1), "quarter": pd.offsets.QuarterBegin(
        1, startingMonth=1), "half": pd.DateOffset(months=6), "year": pd.offsets.YearBegin(1)}
    return start + offset[grain] - pd.Timedelta(days=1)


def is_partial(periods: pd.Series, grain: str, end) -> np.ndarray:
    """True where the period ends after `end` (the data's, or the range's, last day)."""
    return (period_last_day(periods, grain) > pd.Timestamp(end)).to_numpy()


def row_status(keys: pd.DataFrame, roster: Roster | None, grain: str) -> np.ndarray:
    """Per (manager, period) row: RANKED, PARTIAL or LEFT."""
    out = np.full(len(keys), RANKED, dtype=object)
    if roster is None or keys.empty:
        return out
    start = pd.to_datetime(keys["period"])
    lefts = roster.managers.get("left_date")
    if lefts is None or lefts.empty:  # an empty managers table: nobody is known to have left
        gone = np.zeros(len(keys), dtype=bool)
    else:
        left = pd.to_datetime(lefts.reindex(keys["manager"].astype(str)).to_numpy())
        gone = (start.to_numpy() > left).astype(bool)
    out[gone] = LEFT
    out[is_partial(keys["period"], grain, roster.end)] = PARTIAL
    return out


def peer_labels(keys: pd.DataFrame, roster: Roster | None, by: str, ranked: np.ndarray,
                min_size: int) -> pd.Series:
    """Each row's peer group within its period; a group with fewer than `min_size` ranked
    managers in the period falls back to the whole company."""
    company = pd.Series("*", index=keys.index)
    if roster is None or by == "company" or by not in roster.managers:
        return company
    group = keys["manager"].astype(str).map(roster.managers[by]).astype(object).fillna("*")
    sizes = group[ranked].groupby([keys["period"][ranked], group[ranked]]).transform("size")
    big = pd.Series(False, index=keys.index)
    big[ranked] = sizes >= min_size
    return group.where(big, "*")
