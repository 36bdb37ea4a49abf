"""One benchmark run: data, timings, baselines, memory, targets — all from the same run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cmdash.bench import report
from cmdash.bench.baselines import FLOOR_SQL, check_naive, day_floor_sql, naive_overview
from cmdash.bench.cases import CASES, DAY_FLOOR, FLOOR, NAIVE, Case
from cmdash.bench.data import ensure_dataset
from cmdash.bench.machine import machine
from cmdash.bench.measure import (
    filter_change_statements,
    ratios,
    same_work_ratio,
    time_cases,
)
from cmdash.bench.memory import peak_rss
from cmdash.bench.workload import ASSESSMENT_FACTS, OVERVIEW_FACTS, Workload, overview_rollups
from cmdash.prepared.layer import FACTS_PREPARED

JSON_VERSION = 1


@dataclass
class BenchConfig:
    size: str = "medium"
    data: Path | None = None  # default data/_bench/<size>
    repeats: int = 5
    cases: tuple[str, ...] = ()  # default: every case (the two baselines always run)
    memory: bool = True  # peak RSS per case in a child process
    check: bool = True  # confirm the naive baseline's numbers equal the KPI layer's
    naive: bool = True  # the naive baseline (≈ 17 GB peak at large: skip it there)
    months: int | None = None  # a shorter demo (tests)
    progress: Callable[[str], None] = field(default=lambda _m: None)


def _selected(names: tuple[str, ...], naive: bool = True) -> list[Case]:
    unknown = set(names) - {c.name for c in CASES}
    if unknown:
        raise ValueError(f"unknown case(s) {sorted(unknown)}; choose from "
                         f"{[c.name for c in CASES]}")
    wanted = {c.name for c in CASES} if not names else {FLOOR, NAIVE, *names}
    if "prepare.cold" in wanted:
        wanted.add(DAY_FLOOR)
    if not naive:
        wanted.discard(NAIVE)
    return [c for c in CASES if c.name in wanted]


def run_bench(cfg: BenchConfig, root: Path | None = None) -> dict:
    """Times every case against the floor and the naive baseline. With `root`, that
    dataset is measured as it is (no generation)."""
    cases = _selected(cfg.cases, cfg.naive)
    if root is None:
        root, how = ensure_dataset(cfg.size, cfg.data, cfg.months,
                                   lambda f, m: cfg.progress(f"demo {f:4.0%} {m}"))
    else:
        how = "given"
    memory: dict[str, dict] = {}
    if cfg.memory:  # first, while this process is small (see memory.py)
        for c in cases:
            cfg.progress(f"peak RSS: {c.name}")
            memory[c.name] = peak_rss(root, c.name)
    w = Workload(root)
    try:
        from cmdash.kpi.scan import table_rows

        rows = table_rows(w.engine)
        timings = time_cases(w, cases, cfg.repeats, cfg.progress)
        ratios(timings, FLOOR, NAIVE)
        same_work_ratio(timings, "prepare.cold", DAY_FLOOR)
        fc = filter_change_statements(w)
        check = check_naive(naive_overview(root), overview_rollups(w.overview_scan)) \
            if cfg.check and cfg.naive else None
    finally:
        w.close()
    result = {
        "version": JSON_VERSION,
        "machine": machine(),
        "dataset": {"size": cfg.size, "path": str(root), "how": how, "rows": rows},
        "config": {"repeats": cfg.repeats, "cases": [c.name for c in cases],
                   "timing": "one untimed run per case, then repeats interleaved case by "
                   "case; median over repeats; ratios are medians of this run"},
        "baselines": {
            FLOOR: {"facts": list(OVERVIEW_FACTS),
                    "sql": {f: FLOOR_SQL[f] for f in OVERVIEW_FACTS},
                    "median_s": timings[FLOOR]["median_s"]},
            **({DAY_FLOOR: {"facts": list(FACTS_PREPARED),
                            "sql": {f: day_floor_sql(f) for f in FACTS_PREPARED},
                            "median_s": timings[DAY_FLOOR]["median_s"]}}
               if DAY_FLOOR in timings else {}),
            NAIVE: {"median_s": timings[NAIVE]["median_s"] if cfg.naive else None,
                    "check": check},
        },
        "facts": {"overview": list(OVERVIEW_FACTS), "assessment": list(ASSESSMENT_FACTS)},
        "cases": {c.name: {"group": c.group, "what": c.what.strip(), **timings[c.name],
                           **memory.get(c.name, {})} for c in cases},
        "filter_change": fc,
    }
    result["targets"] = report.targets(result)
    return result
