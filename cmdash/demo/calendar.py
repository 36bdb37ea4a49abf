"""The window's days: months, workdays, holidays and Spring-Festival seasonality.

Days are integers counted from the window's first day (day 0); dates are made only when
writing. Tobacco orders peak in the weeks before 春节, stop over the holiday and trough after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from cmdash.kpi.workdays import official_workdays

#: 春节 (lunar new year's day), public calendar facts.
LUNAR_NEW_YEAR: dict[int, dt.date] = {
    y: dt.date.fromisoformat(s)
    for y, s in (
        (2015, "2015-02-19"), (2016, "2016-02-08"), (2017, "2017-01-28"),
        (2018, "2018-02-16"), (2019, "2019-02-05"), (2020, "2020-01-25"),
        (2021, "2021-02-12"), (2022, "2022-02-01"), (2023, "2023-01-22"),
        (2024, "2024-02-10"), (2025, "2025-01-29"), (2026, "2026-02-17"),
        (2027, "2027-02-06"), (2028, "2028-01-26"), (2029, "2029-02-13"),
        (2030, "2030-02-03"), (2031, "2031-01-23"), (2032, "2032-02-11"),
        (2033, "2033-01-31"), (2034, "2034-02-19"), (2035, "2035-02-08"),
    )
}  # fmt: skip

PRE_FESTIVAL_DAYS = 28  # the buying run-up before 春节
PRE_FESTIVAL_PEAK = 0.7  # extra volume at the height of the run-up
POST_FESTIVAL_DAYS = 30  # the slack weeks after the holiday
POST_FESTIVAL_TROUGH = 0.45  # volume lost right after the holiday


def default_end(today: dt.date | None = None) -> dt.date:
    """The last day of the month before `today`: the newest complete month."""
    today = today or dt.date.today()
    return today.replace(day=1) - dt.timedelta(days=1)


def _new_year(year: int) -> dt.date:
    # Outside the table, early February is a fair stand-in: only seasonality shifts.
    return LUNAR_NEW_YEAR.get(year, dt.date(year, 2, 1))


@dataclass(frozen=True)
class Calendar:
    start: dt.date  # first day of the first month
    end: dt.date  # last day covered (may fall inside its month)
    month_first: np.ndarray  # day index of each month's first day
    month_last: np.ndarray  # day index of each month's last covered day
    month_label: tuple[tuple[int, int], ...]  # (year, month)
    weekday: np.ndarray  # per day, 0 = Monday
    workday: np.ndarray  # per day: an official workday (调休 included) outside the holidays
    holiday: np.ndarray  # per day: no orders taken
    season: np.ndarray  # per day: volume multiplier
    month_of_day: np.ndarray  # per day: month index
    day_of_month: np.ndarray  # per day: 1..31

    @property
    def days(self) -> int:
        return len(self.weekday)

    @property
    def months(self) -> int:
        return len(self.month_first)

    @property
    def epoch(self) -> np.datetime64:
        return np.datetime64(self.start, "D")

    def order_weeks(self) -> np.ndarray:
        """Per month: season-weighted order weekdays ÷ 5, i.e. the weeks of ordering a planner
        expects from a retailer on a weekly cycle (holidays and the festival peak included)."""
        w = self.season * ((self.weekday < 5) & ~self.holiday) / 5
        return np.array(
            [w[a : b + 1].sum() for a, b in zip(self.month_first, self.month_last, strict=True)]
        )

    def month_length(self, m: int) -> int:
        """Days in the whole calendar month (the last month may be covered only in part)."""
        y, mo = self.month_label[m]
        nxt = dt.date(y + mo // 12, mo % 12 + 1, 1)
        return (nxt - dt.date(y, mo, 1)).days

    def next_workday(self, day: np.ndarray) -> np.ndarray:
        """The same day if a workday, else the next one (the last day if none is left)."""
        idx = np.flatnonzero(self.workday)
        pos = np.searchsorted(idx, np.clip(day, 0, self.days - 1))
        return np.where(pos < len(idx), idx[np.minimum(pos, len(idx) - 1)], self.days - 1)

    def exceptions(self) -> tuple[np.ndarray, np.ndarray]:
        """The days whose workday status differs from Monday–Friday (holidays on weekdays,
        调休 weekends), as (dates, is_workday): the company calendar the demo writes."""
        differs = np.flatnonzero(self.workday != (self.weekday < 5))
        return self.epoch + differs, self.workday[differs]

    def day_of(self, date: dt.date) -> int:
        return (date - self.start).days

    @classmethod
    def build(cls, end: dt.date, months: int) -> Calendar:
        y, m = end.year, end.month - (months - 1)
        while m < 1:
            y, m = y - 1, m + 12
        start = dt.date(y, m, 1)
        n = (end - start).days + 1
        dates = np.arange(np.datetime64(start, "D"), np.datetime64(end, "D") + 1)
        weekday = ((dates.astype(np.int64) + 3) % 7).astype(np.int8)  # 1970-01-01 was Thursday
        ym = dates.astype("datetime64[M]")
        month_idx = (ym - ym[0]).astype(np.int64)
        dom = (dates - ym.astype("datetime64[D]")).astype(np.int64) + 1
        firsts = np.flatnonzero(np.r_[True, month_idx[1:] != month_idx[:-1]])
        lasts = np.r_[firsts[1:] - 1, n - 1]
        labels = tuple((int(str(v)[:4]), int(str(v)[5:7])) for v in ym[firsts])

        season = np.ones(n)
        holiday = np.zeros(n, dtype=bool)
        offs = np.arange(n)
        for year in range(start.year, end.year + 2):
            ny = (_new_year(year) - start).days
            rel = offs - ny
            run_up = (rel >= -PRE_FESTIVAL_DAYS) & (rel < -1)
            season[run_up] += PRE_FESTIVAL_PEAK * np.clip(
                (rel[run_up] + PRE_FESTIVAL_DAYS) / (PRE_FESTIVAL_DAYS - 7), 0, 1
            )
            holiday |= (rel >= -1) & (rel <= 5)
            slack = (rel > 5) & (rel <= 5 + POST_FESTIVAL_DAYS)
            season[slack] -= POST_FESTIVAL_TROUGH * (1 - (rel[slack] - 5) / POST_FESTIVAL_DAYS)
        months_of_year = np.array([lab[1] for lab in labels])[month_idx]
        holiday |= (months_of_year == 10) & (dom <= 5)  # 国庆
        season[(months_of_year == 9) & (dom >= 12)] *= 1.12  # 中秋/国庆 gifting
        season[np.isin(months_of_year, (7, 8))] *= 0.95  # summer lull
        # check-ins, visits and inspections follow China's official workdays (holidays and
        # 调休 make-up days), as the KPIs count them; no work on the order-free festival days
        workday = official_workdays(dates) & ~holiday
        return cls(
            start=start,
            end=end,
            month_first=firsts,
            month_last=lasts,
            month_label=labels,
            weekday=weekday,
            workday=workday,
            holiday=holiday,
            season=season,
            month_of_day=month_idx,
            day_of_month=dom,
        )
