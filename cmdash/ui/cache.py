"""Heavy work happens once per dataset and filter change; everything else reads the cache.

`scan` is the one heavy call per filter change (one query per fact); KPI tables, scores and
charts are rolled up from it, cached in turn, so a slider or a chart switch never rescans.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pandas as pd
import streamlit as st

from cmdash.all_settings import Settings
from cmdash.dataset import Dataset
from cmdash.engine import Engine, open_engine
from cmdash.kpi import KpiFrame, Scan, kpi_table, shared_scan
from cmdash.kpi.params import measure_params
from cmdash.kpi.scan import cut, sees_everything
from cmdash.memo.budget import Budget
from cmdash.memo.process import new_process_budget
from cmdash.query import Filters, run
from cmdash.validate import Report
from cmdash.validation.kept import kept_report

T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def memory() -> Budget:
    """The process's one budget for heavy results (scans, cuts, reviews, models): the
    least recently used go first once they pass `memory.cache_mib`. The same budget holds
    the prepared layers' tables kept in memory (`cmdash.memo.process`)."""
    return new_process_budget()


@st.cache_resource(show_spinner=False, max_entries=8)
def engine_for(root: str, version: str) -> Engine:
    """One DuckDB database per dataset version; each thread queries through its own cursor.
    Its scans read the version's prepared layer when there is one (`cmdash.prepared`)."""
    from cmdash.prepared import attach

    ds = Dataset.open(root)
    engine = open_engine(ds)
    attach(engine, ds, version)
    return engine


@st.cache_data(show_spinner=False, ttl=5)
def dataset_version(root: str) -> str:
    """Stat the files at most every few seconds, not on every widget change."""
    return Dataset.open(root).version()


@st.cache_data(show_spinner=False, ttl=3600, max_entries=512)
def query(root: str, version: str, name: str, filters: Filters,
          extra: tuple[tuple[str, object], ...] = ()) -> pd.DataFrame:
    """A catalog query; `extra` holds further bound parameters as (name, value) pairs."""
    return run(engine_for(root, version), name, filters, dict(extra))


@st.cache_data(show_spinner=False, ttl=3600, max_entries=16)
def trade(root: str, version: str, setting: str) -> str:
    """The dataset's trade for wording (`cmdash.kpi.wording`): the setting, or detected."""
    from cmdash.kpi.wording import trade_of

    if setting != "auto":
        return trade_of(setting, 0)
    n = run(engine_for(root, version), "case_sizes_given")["n"].iloc[0]
    return trade_of(setting, int(n))


@st.cache_data(show_spinner=False, ttl=3600, max_entries=16)
def validation_report(root: str, version: str) -> Report:
    """The dataset's validation, kept in its workspace per version and day
    (`cmdash.validation.kept`): a restarted server does not check every file again."""
    return kept_report(root, version)


def company_scan(root: str, version: str, start, end, period: str,
                 measure_params: tuple[tuple[str, float], ...]) -> Scan:
    """Every manager's facts for a date range: the one heavy scan, shared by every viewer
    and filter of those dates (their views are cut from it, see `scan`).

    Kept as a resource (not copied per rerun: it is large and read-only; callers must not
    mutate it) and keyed by everything that changes its rows: the dates, the period and
    the measure settings (the two the scan's SQL binds, and the look-backs the roll-up
    reads with the scan: lost days, sell-through days, core-range share).
    """
    return memory().get(
        ("scan", root, version, start, end, period, measure_params),
        lambda: shared_scan(engine_for(root, version), Filters(start=start, end=end),
                            dict(measure_params), period))


def scan(root: str, version: str, filters: Filters, period: str = "month",
         settings: Settings = Settings()) -> Scan:  # noqa: B008 - immutable default
    """The facts a viewer may see with these filters: the company-wide scan itself, or
    the rows of the managers in scope cut from it (a look-up, not a scan, so a new
    viewer or org filter answers in a fraction of a scan's time)."""
    return _view(root, version, filters, period,
                 tuple(sorted(measure_params(settings).items())))


def _view(root: str, version: str, filters: Filters, period: str,
          measure_params: tuple[tuple[str, float], ...]) -> Scan:
    base = company_scan(root, version, filters.start, filters.end, period, measure_params)
    if sees_everything(filters):
        return base
    return memory().get(("cut", root, version, seen(root, version, filters), period,
                         measure_params),
                        lambda: cut(engine_for(root, version), base, filters))


def seen(root: str, version: str, filters: Filters) -> tuple:
    """What a viewer's scan, KPI tables and scores depend on: the dates and the managers in
    scope, not who is looking. Cached and kept results are keyed by it, so two viewers who
    see the same managers (a city head, and an analyst who filters on that city) share
    them; a viewer still only ever reaches the key of their own scope."""
    if sees_everything(filters):
        return (filters.start, filters.end, "everyone")
    ids = query(root, version, "scope_managers", filters)["manager_id"]
    return (filters.start, filters.end, tuple(sorted(map(str, ids))))


@st.cache_data(show_spinner=False, ttl=3600, max_entries=256)
def kpis(root: str, version: str, filters: Filters, kpi_ids: tuple[str, ...],
         by: tuple[str, ...], period: str, comparisons: tuple[str, ...] = (),
         settings: Settings = Settings()) -> KpiFrame:  # noqa: B008 - immutable default
    """A KPI table rolled up from the cached scan (no engine work)."""
    base = "week" if period == "week" else "day" if period == "day" else "month"
    return kept_result(
        root, version, settings, ("kpis", root, seen(root, version, filters), kpi_ids, by,
                                  period, comparisons, settings),
        lambda: kpi_table(scan(root, version, filters, base, settings), kpi_ids, by, period,
                          comparisons))


def kept_result(root: str, version: str, settings: Settings, what: tuple,
                compute: Callable[[], T]) -> T:
    """`compute()`, or its result kept on disk in the version's prepared layer by any
    server process before (`cmdash.prepared.kept`): a restarted server's first page reads
    its tables back instead of rolling them up again."""
    from cmdash.prepared.kept import kept

    store = getattr(engine_for(root, version), "prepared", None)
    layer = store.layer(measure_params(settings)) if store is not None else None
    return kept(layer.path if layer is not None else None, what, compute)
