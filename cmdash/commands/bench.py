"""`bench`: time the KPI layer against a DuckDB floor and naive pandas, in one run."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "bench", help="benchmark the overview, assessment and filter changes",
        description="Generates (or reuses) a demo of the given size, then times the "
        "overview, the assessment, a filter change and re-scoring against a DuckDB floor "
        "and a naive pandas baseline measured in the same run. Prints medians, ratios and "
        "peak RSS per case; writes JSON.")
    p.add_argument("--size", choices=("small", "medium", "large"), default="medium")
    p.add_argument("--data", type=Path, help="data folder (default data/_bench/SIZE); a "
                   "folder holding another dataset is measured as it is")
    p.add_argument("--repeats", type=int, default=5, help="timed repeats per case")
    p.add_argument("--out", type=Path, help="JSON file (default bench-results/SIZE.json)")
    p.add_argument("--case", nargs="+", default=(), metavar="NAME",
                   help="only these cases (the floor and naive baselines always run)")
    p.add_argument("--no-memory", action="store_true", help="skip peak RSS per case")
    p.add_argument("--no-naive", action="store_true", help="skip the naive pandas baseline "
                   "(it needs ~17 GB of RAM at --size large)")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from cmdash.bench import report
    from cmdash.bench.run import BenchConfig, run_bench
    from cmdash.errors import InputError

    if args.repeats < 1:
        raise InputError("--repeats must be at least 1")

    def progress(message: str) -> None:
        if not args.quiet:
            print(f"[bench] {message}", file=sys.stderr, flush=True)

    cfg = BenchConfig(size=args.size, data=args.data, repeats=args.repeats,
                      cases=tuple(args.case), memory=not args.no_memory,
                      naive=not args.no_naive, progress=progress)
    try:
        result = run_bench(cfg)
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    out = args.out or Path("bench-results") / f"{args.size}.json"
    report.write(result, out)
    print(report.table(result))
    print(f"wrote {out}", file=sys.stderr)
    return 0
