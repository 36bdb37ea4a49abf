"""Timing: one untimed run of every case, then repeats interleaved case by case (so a
noisy neighbour slows every case alike), medians; and the statements a filter change runs."""

from __future__ import annotations

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
    overview,
)
from cmdash.kpi.scan import table_rows


def time_cases(w: Workload, cases: Sequence[Case], repeats: int,
               progress: Callable[[str], None] = lambda _m: None) -> dict[str, dict]:
    samples: dict[str, list[float]] = {c.name: [] for c in cases}
    for c in cases:  # builds what the case needs; the seen filter's first (missing) visit
        progress(f"first run: {c.name}")
        c.run(w)
    for r in range(repeats):
        progress(f"repeat {r + 1}/{repeats}")
        for c in cases:
            w.turn = r + 1
            gc.collect()
            t0 = time.perf_counter()
            result = c.run(w)
            samples[c.name].append(time.perf_counter() - t0)
            del result
    return {name: {"median_s": statistics.median(s), "min_s": min(s), "samples_s": s}
            for name, s in samples.items()}


def ratios(timings: dict[str, dict], floor: str, naive: str) -> None:
    """Adds `ratio_to_floor` (case ÷ floor) and `speedup_vs_naive` (naive ÷ case), both
    from medians of this run."""
    f, n = timings[floor]["median_s"], timings[naive]["median_s"]
    for t in timings.values():
        m = t["median_s"]
        t["ratio_to_floor"] = m / f if f > 0 else None
        t["speedup_vs_naive"] = n / m if m > 0 else None


def filter_change_statements(w: Workload) -> dict:
    """What a new filter sends to the engine, and what a seen one does (nothing)."""
    table_rows(w.engine)  # row counts are asked once per engine, not per filter
    counting = CountingEngine(w.engine)
    filters = w.new_region_filter()
    overview(counting, filters)
    scanned = [fact_of(sql, counting.dialect) for sql in counting.statements]
    facts = [f for f in scanned if f]
    memo = FilterMemo(counting)
    memo.overview(filters)
    before = len(counting.statements)
    memo.overview(filters)
    return {
        "filter": {"regions": list(filters.regions)},
        "statements": len(scanned),
        "fact_scans": len(facts),
        "facts_scanned": facts,
        "facts_expected": list(OVERVIEW_FACTS),
        "lookups": len(scanned) - len(facts),  # sales date range, scope, attribute tables
        "tables_drawn": len(OVERVIEW_TABLES),
        "seen_filter_statements": len(counting.statements) - before,
        "memo": {"hits": memo.hits, "misses": memo.misses},
    }
