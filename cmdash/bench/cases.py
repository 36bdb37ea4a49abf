"""The timed cases. Adding one is one line: a name, its group, what it is, and a callable
of the `Workload` (anything it needs beforehand is a cached property there, built during
the untimed first run)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cmdash.assessment import score
from cmdash.bench.baselines import day_floor, floor, naive_overview
from cmdash.bench.workload import (
    OVERVIEW_COLUMNS,
    OVERVIEW_FACTS,
    Workload,
    overview,
    overview_rollups,
    scan_columns,
)


@dataclass(frozen=True)
class Case:
    name: str
    group: str  # "baseline", or the brief's item: a overview, b assessment, c filter, d re-score,
    # e the prepared layer
    what: str
    run: Callable[[Workload], Any]


FLOOR, NAIVE = "floor", "naive"
#: The prepared layer's same-work floor, timed whenever the cold `prepare` is.
DAY_FLOOR = "floor.day"

CASES: tuple[Case, ...] = (
    Case(FLOOR, "baseline", "DuckDB floor: plain scan-and-sum of the overview's tables",
         lambda w: floor(w.engine, OVERVIEW_FACTS)),
    Case("overview", "a", "overview: scan of its facts + its five roll-ups",
         lambda w: overview(w.engine)),
    Case("overview.scan", "a", "  of which the scan (one query per fact, its KPIs' columns)",
         lambda w: scan_columns(w.engine, OVERVIEW_COLUMNS)),
    Case("overview.rollups", "a", "  of which the five roll-ups (pandas, from the scan)",
         lambda w: overview_rollups(w.overview_scan)),
    Case("app.scan", "a", "the app's scan: every measure of every fact, shared by pages",
         lambda w: w.app_scan()),
    Case("assessment", "b", "assessment: kpi_table(ASSESSMENT_KPIS) + score(), cached scan",
         lambda w: w.assessment()),
    Case("filter.new", "c", "new region filter: cut from the cached scan + roll-ups",
         lambda w: w.new_region()),
    Case("filter.dates", "c", "new date range: a scan of those dates + roll-ups",
         lambda w: w.new_dates()),
    Case("filter.seen", "c", "seen filter: answered from the per-filter cache",
         lambda w: w.memo.overview(w.seen_filter)),
    Case("rescore.weights", "d", "re-score: score() with other weights, cached KPI frame",
         lambda w: score(w.assessment_values, w.other_weights)),
    Case("reclassify", "d", "coaching types after a threshold moves, cached features",
         lambda w: w.reclassify()),
    Case("whatif.slider", "d", "what-if slider: types, ranks, grades, pay + movers, cached",
         lambda w: w.whatif_slider()),
    Case("prepare.scan", "e", "a page's warm path: the overview's scan for a new date range, "
         "cut from the prepared layer (no fact file read)",
         lambda w: w.prepared.warm_scan()),
    Case("prepare.overview", "e", "  the same + the overview's five roll-ups",
         lambda w: w.prepared.warm_overview()),
    # after the warm cases: the page faults of its freed memory would land on theirs
    Case("prepare.cold", "e", "prepare: the whole prepared layer from the fact files "
         "(every fact by day and month, written atomically)", lambda w: w.prepared.cold()),
    Case(DAY_FLOOR, "baseline", "DuckDB same-work floor: every prepared fact's measures by "
         "day, one bare GROUP BY each, to Arrow", lambda w: day_floor(w.engine)),
    # last in each round: its gigabytes of garbage would otherwise slow the case after it
    Case(NAIVE, "baseline", "naive: pandas.read_parquet of whole tables + groupby, overview",
         lambda w: naive_overview(w.root)),
)

BY_NAME = {c.name: c for c in CASES}
