"""Timing: one untimed run of every case, then repeats interleaved case by case (so a
noisy neighbour slows every case alike), medians; and the statements a filter change runs."""

from __future__ import annotations

import datetime as dt
import gc
import statistics
import time
from collections.abc import Callable, Sequence

from cmdash.bench.cases import Case
from cmdash.bench.workload import (
    OVERVIEW_FACTS,
    OVERVIEW_TABLES,
    CountingEngine,
    FilterMemo,
    Workload,
    fact_of,
)
from cmdash.kpi.scan import table_rows
from cmdash.query import Filters


def time_cases(w: Workload, cases: Sequence[Case], repeats: int,
               progress: Callable[[str], None] = lambda _m: None) -> dict[str, dict]:
    samples: dict[str, list[float]] = {c.name: [] for c in cases}
    cpu: dict[str, list[float]] = {c.name: [] for c in cases}
    for c in cases:  # builds what the case needs; the seen filter's first (missing) visit
        progress(f"first run: {c.name}")
        c.run(w)
    for r in range(repeats):
        progress(f"repeat {r + 1}/{repeats}")
        for c in cases:
            w.turn = r + 1
            gc.collect()
            t0, c0 = time.perf_counter(), time.process_time()
            result = c.run(w)
            samples[c.name].append(time.perf_counter() - t0)
            cpu[c.name].append(time.process_time() - c0)
            del result
    return {name: {"median_s": statistics.median(s), "min_s": min(s), "samples_s": s,
                   "cpu_median_s": statistics.median(cpu[name]), "cpu_samples_s": cpu[name]}
            for name, s in samples.items()}


def ratios(timings: dict[str, dict], floor: str, naive: str) -> None:
    """Adds `ratio_to_floor` (case ÷ floor) and `speedup_vs_naive` (naive ÷ case), both
    from wall-clock medians of this run, and the same two from CPU time (`cpu_…`: user +
    system of this process, all threads — steadier than wall time on a shared machine)."""
    for prefix in ("", "cpu_"):
        f = timings[floor][f"{prefix}median_s"]
        n = timings[naive][f"{prefix}median_s"] if naive in timings else None
        for t in timings.values():
            m = t[f"{prefix}median_s"]
            t[f"{prefix}ratio_to_floor"] = m / f if f > 0 else None
            t[f"{prefix}speedup_vs_naive"] = n / m if n is not None and m > 0 else None


def same_work_ratio(timings: dict[str, dict], case: str, floor: str) -> None:
    """Adds `ratio_to_same_work` (case ÷ its same-work floor), wall-clock and CPU, when
    both ran."""
    if case in timings and floor in timings:
        for prefix in ("", "cpu_"):
            f = timings[floor][f"{prefix}median_s"]
            timings[case][f"{prefix}ratio_to_same_work"] = (
                timings[case][f"{prefix}median_s"] / f if f > 0 else None)


def filter_change_statements(w: Workload) -> dict:
    """What filter changes send to the engine, through the app's cache in miniature: a new
    date range scans each fact once (not once per chart), a new region or scope only looks
    up who is in it (its view is cut from the cached scan), a seen filter sends nothing."""
    table_rows(w.engine)  # row counts are asked once per engine, not per filter
    counting = CountingEngine(w.engine)
    memo = FilterMemo(counting)

    def sent(filters: Filters) -> list[str]:
        before = len(counting.statements)
        memo.overview(filters)
        return counting.statements[before:]

    def facts(statements: list[str]) -> list[str]:
        return [f for f in (fact_of(sql, counting.dialect) for sql in statements) if f]

    dates = sent(Filters())
    region = w.new_region_filter()
    org = sent(region)
    seen = sent(region)
    out = {
        "filter": {"regions": list(region.regions)},
        "statements": len(dates),
        "fact_scans": len(facts(dates)),
        "facts_scanned": facts(dates),
        "facts_expected": list(OVERVIEW_FACTS),
        "lookups": len(dates) - len(facts(dates)),  # date range, attribute tables
        "tables_drawn": len(OVERVIEW_TABLES),
        "org_filter_statements": len(org),
        "org_filter_fact_scans": len(facts(org)),
        "seen_filter_statements": len(seen),
        "memo": {"hits": memo.hits, "misses": memo.misses},
    }
    if "prepared" in w.__dict__:  # the prepared cases ran: what their new date range sends
        from cmdash.bench.workload import OVERVIEW_COLUMNS, scan_columns

        prepared = CountingEngine(w.prepared.engine)
        scan_columns(prepared, OVERVIEW_COLUMNS, Filters(end=w.prepared.dates().end
                                                         - dt.timedelta(days=40)))
        out["prepared_dates_statements"] = len(prepared.statements)
        out["prepared_dates_fact_scans"] = len(facts(prepared.statements))
    return out
