"""Cached view data shared by the performance pages: KPI tables and assessment scores."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from cmdash.all_settings import Settings
from cmdash.assessment import ASSESSMENT_KPIS, score
from cmdash.assessment.compute import scoring_frame
from cmdash.assessment.roster import roster_of
from cmdash.kpi import KPIS, OVERVIEW_KPIS, KpiFrame
from cmdash.kpi.catalog import RANGE_KPIS
from cmdash.query import Filters
from cmdash.ui import cache
from cmdash.ui.context import ViewContext

MONTHLY_KPIS = tuple(dict.fromkeys([*OVERVIEW_KPIS, *ASSESSMENT_KPIS]))
ALL_KPIS = tuple(k for k in KPIS if k not in RANGE_KPIS)


def kpis(ctx: ViewContext, kpi_ids: tuple[str, ...], by: tuple[str, ...], period: str,
         comparisons: tuple[str, ...] = ()) -> KpiFrame:
    return cache.kpis(ctx.root, ctx.version, ctx.filters, kpi_ids, by, period, comparisons,
                      ctx.settings)


@st.cache_data(show_spinner=False, ttl=3600, max_entries=64)
def _scores(root: str, version: str, filters: Filters, period: str,
            settings: Settings) -> pd.DataFrame:
    def compute() -> pd.DataFrame:
        frame = cache.kpis(root, version, filters, MONTHLY_KPIS, ("manager",), period, (),
                           settings)
        roster = roster_of(cache.scan(root, version, filters, "month", settings))
        return score(scoring_frame(frame), settings, roster, period)

    return cache.kept_result(root, version, settings, ("scores", root, cache.seen(
        root, version, filters), period, settings), compute)


def scores(ctx: ViewContext, period: str = "month") -> pd.DataFrame:
    """Assessment per manager and period (recomputed from cached KPIs when settings move);
    partial periods and managers who had left keep no score (`status` says why)."""
    return _scores(ctx.root, ctx.version, ctx.filters, period, ctx.settings)


def directory(ctx: ViewContext) -> pd.DataFrame:
    """Every manager's name and place, for labels (not filtered: names are looked up)."""
    return ctx.query("manager_directory", ctx.unfiltered)


def manager_names(directory: pd.DataFrame) -> dict[str, str]:
    """manager id → name, from a `manager_directory` result: the one lookup every label uses
    (an id without a row keeps its id: `names.get(m, m)`)."""
    return dict(zip(directory["manager_id"], directory["name"], strict=True))


def last_day(ctx: ViewContext) -> pd.Timestamp:
    """The range's last day: the filter's end, else the last day with sales."""
    if ctx.filters.end:
        return pd.Timestamp(ctx.filters.end)
    span = ctx.query("sales_date_range", Filters())
    day = pd.Timestamp(span.iloc[0]["last_day"]) if len(span) else pd.NaT
    # no sales at all: the view ends today, as the KPI scan's range does
    return day if not pd.isna(day) else pd.Timestamp.today().normalize()


@st.cache_data(show_spinner=False, ttl=3600, max_entries=16)
def _benchmark(root: str, version: str, kpi_ids: tuple[str, ...], start, end,
               k: int) -> pd.DataFrame:
    everyone = Filters(start=start, end=end)
    values = cache.kpis(root, version, everyone, kpi_ids, ("manager",), "all").values
    # a KPI whose table is empty is absent: measured on no manager, so no benchmark
    values = values.reindex(columns=list(kpi_ids))
    counts = values.notna().sum()
    medians = values.median()
    # only aggregates over at least k managers ever leave this function
    return pd.DataFrame({"median": medians.where(counts >= k), "managers": counts})


def benchmark(ctx: ViewContext, kpi_ids: tuple[str, ...]) -> pd.DataFrame:
    """Company-wide medians per KPI, for viewers whose own scope is too small for peers;
    a KPI measured on fewer than k managers gets no benchmark."""
    return _benchmark(ctx.root, ctx.version, kpi_ids, ctx.filters.start, ctx.filters.end,
                      ctx.access.k_anonymity)


@st.cache_data(show_spinner=False, ttl=3600, max_entries=16)
def _window(root: str, version: str, filters: Filters, kpi_ids: tuple[str, ...], start, end,
            settings: Settings) -> pd.DataFrame:
    from cmdash.kpi import compute
    from cmdash.kpi.params import measure_params

    window = dataclasses.replace(filters, start=start.date(), end=end.date())
    return cache.kept_result(
        root, version, settings, ("window", root, cache.seen(root, version, window), kpi_ids,
                                  settings),
        lambda: compute(cache.engine_for(root, version), kpi_ids, (), "all", window,
                        measure_params(settings)).values)


def month_to_date(ctx: ViewContext, kpi_ids: tuple[str, ...]):
    """(windows, current, prior, yoy) company KPI rows when the range ends mid-month, else
    None: the partial month is shown to date, against the same days before."""
    from cmdash.present.overview import month_to_date as windows_for

    mtd = windows_for(last_day(ctx))
    if mtd is None:
        return None
    frames = [_window(ctx.root, ctx.version, ctx.filters, kpi_ids, a, b, ctx.settings)
              for a, b in (mtd.current, mtd.prior, mtd.yoy)]
    return mtd, *frames


def year_to_date(ctx: ViewContext, kpi_ids: tuple[str, ...]):
    """(windows, current, yoy) company KPI rows for 本年累计: 1 January to the range's last
    day, and the same days a year earlier."""
    from cmdash.present.overview import year_to_date as windows_for

    ytd = windows_for(last_day(ctx))
    frames = [_window(ctx.root, ctx.version, ctx.filters, kpi_ids, a, b, ctx.settings)
              for a, b in (ytd.current, ytd.yoy)]
    return ytd, *frames
