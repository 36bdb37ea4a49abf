"""Cached view data shared by the performance pages: KPI tables and assessment scores."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cmdash.assessment import ASSESSMENT_KPIS, score
from cmdash.kpi import KPIS, OVERVIEW_KPIS, KpiFrame
from cmdash.query import Filters
from cmdash.settings import Settings
from cmdash.ui import cache
from cmdash.ui.context import ViewContext

MONTHLY_KPIS = tuple(dict.fromkeys([*OVERVIEW_KPIS, *ASSESSMENT_KPIS]))
ALL_KPIS = tuple(k for k in KPIS if k != "sell_through_rate")


def kpis(ctx: ViewContext, kpi_ids: tuple[str, ...], by: tuple[str, ...], period: str,
         comparisons: tuple[str, ...] = ()) -> KpiFrame:
    return cache.kpis(ctx.root, ctx.version, ctx.filters, kpi_ids, by, period, comparisons,
                      ctx.settings)


@st.cache_data(show_spinner=False, ttl=3600, max_entries=64)
def _scores(root: str, version: str, filters: Filters, period: str,
            settings: Settings) -> pd.DataFrame:
    frame = cache.kpis(root, version, filters, MONTHLY_KPIS, ("manager",), period, (),
                       settings)
    return score(frame.values, settings)


def scores(ctx: ViewContext, period: str = "month") -> pd.DataFrame:
    """Assessment per manager and period (recomputed from cached KPIs when settings move)."""
    return _scores(ctx.root, ctx.version, ctx.filters, period, ctx.settings)


def directory(ctx: ViewContext) -> pd.DataFrame:
    """Every manager's name and place, for labels (not filtered: names are looked up)."""
    return ctx.query("manager_directory", ctx.unfiltered)


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
    from cmdash.access import K_ANONYMITY_DEFAULT

    return _benchmark(ctx.root, ctx.version, kpi_ids, ctx.filters.start, ctx.filters.end,
                      K_ANONYMITY_DEFAULT)
