"""The overview: headline cards, trends, the org drill-down, the ranking and score spread."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from cmdash.i18n import pick
from cmdash.kpi.catalog import KPIS, OVERVIEW_KPIS
from cmdash.kpi.compare import change
from cmdash.kpi.grains import ORG_LEVELS
from cmdash.kpi.wording import kpi_label
from cmdash.numbers import format_change, format_points, format_value
from cmdash.present.colours import span_colour

SPARK_PERIODS = 12  # months of history in a card's sparkline
#: the first cards: actual against target, the target, attainment, and the money; the rest
#: are folded below them (a phone shows these four on its first screen)
HEADLINE_FIRST = ("target_units_sold", "sales_target", "target_attainment", "sales_amount")
#: the overview's cards: the target pair, then the catalog's headline set
CARD_KPIS = tuple(dict.fromkeys(("target_units_sold", "sales_target", *OVERVIEW_KPIS)))


def headline_order(kpi_ids) -> list[str]:
    """The cards' order: HEADLINE_FIRST (those present), then the others as given."""
    first = [k for k in HEADLINE_FIRST if k in kpi_ids]
    return first + [k for k in kpi_ids if k not in first]


def fold(cards: list) -> tuple[list, list]:
    """The first len(HEADLINE_FIRST) cards, shown at once, and the rest, folded."""
    first = len(HEADLINE_FIRST)
    return cards[:first], cards[first:]


@dataclass(frozen=True)
class Card:
    kpi: str
    label: str  # with unit
    value: str
    delta: str | None  # vs prior period: relative, or in 百分点 for a rate
    delta_color: str  # a named colour: by the KPI's better direction over the sparkline
    yoy: str | None  # vs same period last year: relative, or in 百分点 for a rate
    period: pd.Timestamp  # the period the value is from (the latest that has one)
    trend: list[float]  # recent values, oldest first, for the sparkline
    note: str


def cards(company_by_month: pd.DataFrame, kpi_ids: list[str], lang: str,
          trade: str = "general", red_up: bool = False) -> list[Card]:
    """One card per KPI for the latest period in the frame (which holds comparisons)."""
    if company_by_month.empty:
        return []
    frame = company_by_month.sort_values("period")
    last = frame.iloc[-1]
    out = []
    for k in kpi_ids:
        if k not in frame:
            continue
        kpi = KPIS[k]
        row = last
        if pd.isna(last[k]) and frame[k].notna().any():
            row = frame[frame[k].notna()].iloc[-1]  # e.g. ratings, surveyed each quarter
        value = row[k]
        delta = _delta(kpi.unit, value, row.get(f"{k}__prior"), lang)
        yoy = _delta(kpi.unit, value, row.get(f"{k}__yoy"), lang)
        label = kpi_label(k, lang, trade)  # the value carries the unit (it may be 万/亿)
        trend = frame[k].tail(SPARK_PERIODS).astype("float64").dropna()
        out.append(Card(
            k, label, format_value(value, kpi.unit, lang, compact=True),
            delta, span_colour(trend.tolist(), kpi.direction, red_up), yoy, row["period"],
            trend.round(4).tolist(),
            pick(kpi.note_zh, kpi.note_en, lang),
        ))
    return out


def _delta(unit: str, value, before, lang: str) -> str | None:
    """A rate's change in percentage points (98.0% → 97.4% is −0.6 百分点, not −0.6 %);
    any other KPI's change relative to before."""
    if unit == "pct":
        if before is None or pd.isna(before) or pd.isna(value):
            return None
        return format_points(float(value) - float(before), lang)
    return format_change(change(value, before))


def span_text(periods: pd.Series) -> str:
    """The months a chart covers, for its title: `2025-01…2026-10`, or one `2026-10`."""
    months = pd.to_datetime(pd.Series(periods)).dropna()
    if months.empty:
        return ""
    first, last = f"{months.min():%Y-%m}", f"{months.max():%Y-%m}"
    return first if first == last else f"{first}…{last}"


def titled(title: str, periods: pd.Series) -> str:
    """`月度趋势 · 2025-01…2026-10`: every chart says which period it shows."""
    span = span_text(periods)
    return f"{title} · {span}" if span else title


def trend(company_by_month: pd.DataFrame, kpi: str) -> pd.DataFrame:
    """Month, value and the same month a year earlier, for a two-line chart."""
    cols = ["period", kpi] + ([f"{kpi}__yoy"] if f"{kpi}__yoy" in company_by_month else [])
    return company_by_month[cols].sort_values("period").reset_index(drop=True)


@dataclass(frozen=True)
class DrillStep:
    level: str  # the level being shown: region, district or manager
    parent: dict[str, str]  # the choices above it, e.g. {"region": "东城"}


def drill_step(path: list[str]) -> DrillStep:
    """Where a drill path (values chosen so far, top down) leads."""
    depth = min(len(path), len(ORG_LEVELS) - 1)
    return DrillStep(ORG_LEVELS[depth], dict(zip(ORG_LEVELS, path[:depth], strict=False)))


def drill_frame(level_frame: pd.DataFrame, step: DrillStep, directory: pd.DataFrame,
                kpi: str) -> pd.DataFrame:
    """The bars at this drill level, limited to the chosen parents, best first."""
    frame = level_frame
    if step.parent:
        members = directory
        for col, value in step.parent.items():
            members = members[members[col] == value]
        frame = frame[frame[step.level].isin(members[step.level].unique())]
    frame = frame[[step.level, kpi]].dropna(subset=[kpi])
    ascending = KPIS[kpi].direction == "lower"
    return frame.sort_values(kpi, ascending=ascending).reset_index(drop=True)


def ranking(scores: pd.DataFrame, monthly: pd.DataFrame, directory: pd.DataFrame,
            kpi: str = "sales_cases") -> pd.DataFrame:
    """Managers ranked by mean assessment total over the range, with a monthly trend list."""
    if scores.empty:
        return pd.DataFrame(columns=["rank", "manager", "name", "district", "total", "trend"])
    mean = scores.groupby("manager", observed=True)["total"].mean().rename("total")
    if kpi in monthly:
        trends = monthly.sort_values("period").groupby("manager", observed=True)[kpi].apply(
            lambda s: [float(v) if not np.isnan(v) else 0.0 for v in s])
    else:  # the KPI's table is empty: no trend to draw (not a line of zeros)
        trends = pd.Series([[] for _ in mean.index], index=mean.index, dtype=object)
    names = directory.set_index("manager_id")[["name", "district"]]
    out = pd.concat([mean, trends.rename("trend")], axis=1).reset_index(names="manager")
    out = out.join(names, on="manager").dropna(subset=["total"])
    out = out.sort_values("total", ascending=False).reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out[["rank", "manager", "name", "district", "total", "trend"]]


@dataclass(frozen=True)
class MonthToDate:
    """A month the data covers only in part, and the like-for-like windows it is compared
    with: the same days of the month before and of the same month a year earlier."""

    month: pd.Timestamp
    current: tuple[pd.Timestamp, pd.Timestamp]
    prior: tuple[pd.Timestamp, pd.Timestamp]
    yoy: tuple[pd.Timestamp, pd.Timestamp]

    @property
    def days(self) -> int:
        return self.current[1].day


def month_to_date(last_day: pd.Timestamp) -> MonthToDate | None:
    """The month-to-date windows when `last_day` is not its month's last day, else None.
    A window in a shorter month stops at that month's end (31 March → 28 February)."""
    last = pd.Timestamp(last_day).normalize()
    if last.is_month_end:
        return None
    month = last.replace(day=1)

    def same_days(start: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
        return start, min(start + pd.Timedelta(days=last.day - 1), start + pd.offsets.MonthEnd(0))

    return MonthToDate(month, (month, last), same_days(month - pd.DateOffset(months=1)),
                       same_days(month - pd.DateOffset(years=1)))


def mtd_cards(current: pd.DataFrame, prior: pd.DataFrame, yoy: pd.DataFrame,
              monthly: pd.DataFrame, mtd: MonthToDate, kpi_ids: list[str],
              lang: str, trade: str = "general", red_up: bool = False) -> list[Card]:
    """Cards for a month-to-date: the value over the days so far, compared with the same
    days last month and last year (one-row company frames); sparklines show whole months."""
    row = {"period": mtd.month}
    for k in kpi_ids:
        if k in current:
            row[k] = current[k].iloc[0] if len(current) else np.nan
            row[f"{k}__prior"] = prior[k].iloc[0] if k in prior and len(prior) else np.nan
            row[f"{k}__yoy"] = yoy[k].iloc[0] if k in yoy and len(yoy) else np.nan
    shown = cards(pd.DataFrame([row]), kpi_ids, lang, trade)
    whole = monthly[monthly["period"] < mtd.month].sort_values("period")
    out = []
    for c in shown:
        trend = whole[c.kpi].tail(SPARK_PERIODS).astype("float64").dropna().round(4).tolist() \
            if c.kpi in whole else []
        out.append(replace(c, trend=trend, delta_color=span_colour(
            trend, KPIS[c.kpi].direction, red_up)))
    return out


@dataclass(frozen=True)
class YearToDate:
    """本年累计: from 1 January to the range's last day, against the same days a year
    earlier (29 February falls back to 28 February)."""

    start: pd.Timestamp
    current: tuple[pd.Timestamp, pd.Timestamp]
    yoy: tuple[pd.Timestamp, pd.Timestamp]


def year_to_date(last_day: pd.Timestamp) -> YearToDate:
    last = pd.Timestamp(last_day).normalize()
    start = last.replace(month=1, day=1)
    year = pd.DateOffset(years=1)
    return YearToDate(start, (start, last), (start - year, last - year))


def ytd_cards(current: pd.DataFrame, yoy: pd.DataFrame, monthly: pd.DataFrame,
              ytd: YearToDate, kpi_ids: list[str], lang: str, trade: str = "general",
              red_up: bool = False) -> list[Card]:
    """Cards for the year so far (one-row company frames for this year and the same days
    last year); sparklines show this year's months; there is no 环比 for a year."""
    row = {"period": ytd.start}
    for k in kpi_ids:
        if k in current:
            row[k] = current[k].iloc[0] if len(current) else np.nan
            row[f"{k}__yoy"] = yoy[k].iloc[0] if k in yoy and len(yoy) else np.nan
    shown = cards(pd.DataFrame([row]), kpi_ids, lang, trade)
    this_year = monthly[monthly["period"] >= ytd.start].sort_values("period")
    out = []
    for c in shown:
        trend = this_year[c.kpi].astype("float64").dropna().round(4).tolist() \
            if c.kpi in this_year else []
        out.append(replace(c, trend=trend, delta=c.yoy, yoy=None, delta_color=span_colour(
            trend, KPIS[c.kpi].direction, red_up)))
    return out
