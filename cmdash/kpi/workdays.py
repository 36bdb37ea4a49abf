"""Which days are workdays: China's official calendar, then the company's own.

Official holidays and 调休 make-up workdays (a Saturday or Sunday worked in exchange for a
longer holiday) come from the `chinese-calendar` package, which covers the years its
release knows (2004–2026 for 1.11); outside them a day is a workday Monday to Friday. The
optional `calendar` table (date, is_workday) overrides both, day by day, for a company
whose workdays differ or for years the package does not cover yet.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd


@lru_cache(maxsize=1)
def _official() -> tuple[int, int, frozenset, frozenset]:
    """(first year, last year covered, holiday dates, make-up workday dates) as datetime64[D]."""
    from chinese_calendar import constants

    holidays = frozenset(np.datetime64(d, "D") for d in constants.holidays)
    makeup = frozenset(np.datetime64(d, "D") for d in constants.workdays)
    years = [d.year for d in constants.holidays]
    return min(years), max(years), holidays, makeup


def covered_years() -> tuple[int, int]:
    """The years the official calendar knows (outside them: Monday–Friday)."""
    first, last, _, _ = _official()
    return first, last


def official_workdays(days: np.ndarray) -> np.ndarray:
    """Per day (datetime64[D]): a workday by China's official calendar."""
    days = np.asarray(days, dtype="datetime64[D]")
    first, last, holidays, makeup = _official()
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    out = weekday < 5
    years = days.astype("datetime64[Y]").astype(np.int64) + 1970
    known = (years >= first) & (years <= last)
    if known.any():
        off = np.fromiter((d in holidays for d in days[known]), bool, int(known.sum()))
        on = np.fromiter((d in makeup for d in days[known]), bool, int(known.sum()))
        out[known] = (out[known] & ~off) | on
    return out


def workday_flags(days: np.ndarray, company: pd.DataFrame | None = None) -> np.ndarray:
    """Per day: a workday, the company's `calendar` rows (date, is_workday) overriding the
    official calendar where they say something (a null is_workday says nothing)."""
    days = np.asarray(days, dtype="datetime64[D]")
    out = official_workdays(days)
    if company is not None and not company.empty:
        given = company.dropna(subset=["date", "is_workday"])
        table = pd.Series(given["is_workday"].astype(bool).to_numpy(),
                          index=pd.to_datetime(given["date"]).to_numpy().astype("datetime64[D]"))
        table = table[~table.index.duplicated(keep="last")]
        at = pd.Index(table.index).get_indexer(days)
        out = np.where(at >= 0, table.to_numpy()[np.maximum(at, 0)], out)
    return out


def count_workdays(first: np.ndarray, last: np.ndarray,
                   company: pd.DataFrame | None = None) -> np.ndarray:
    """Workdays in each inclusive span [first, last] (0 where last < first)."""
    first = np.asarray(first, dtype="datetime64[D]")
    last = np.asarray(last, dtype="datetime64[D]")
    if not len(first):
        return np.zeros(0)
    ok = last >= first
    if not ok.any():
        return np.zeros(len(first))
    lo, hi = first[ok].min(), last[ok].max()
    days = np.arange(lo, hi + np.timedelta64(1, "D"))
    cum = np.r_[0, np.cumsum(workday_flags(days, company))]
    a = np.clip((first - lo).astype(np.int64), 0, len(days))
    b = np.clip((last - lo).astype(np.int64) + 1, 0, len(days))
    return np.where(ok, cum[b] - cum[np.minimum(a, b)], 0).astype("float64")
