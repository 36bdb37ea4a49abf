"""`demo`: write the synthetic tobacco-company dataset (with its planted truths)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from cmdash.commands.progress import printer
from cmdash.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="generate the demo dataset as Parquet",
                       description="Write every table of the data contract as Parquet, plus "
                       "the planted answers under DIR/_truth/ (read by tests only).")
    p.add_argument("--out", required=True, type=Path, help="folder to write (created)")
    p.add_argument("--size", choices=("small", "medium", "large", "xlarge"), default="small",
                   help="xlarge: about 150 M order lines, written a block of districts at a "
                   "time")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--end", type=dt.date.fromisoformat, default=None,
                   help="last day covered (default: end of last month)")
    p.add_argument("--variant", choices=("planted", "traits"), default="planted",
                   help="planted types (default), or continuous traits with the type read "
                   "off them afterwards (a check of the coaching rules on other data)")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from cmdash.demo import generate

    out: Path = args.out
    if out.exists() and any(out.iterdir()):
        raise InputError("Output folder is not empty; choose a new folder", file=str(out))
    counts = generate(out, size=args.size, seed=args.seed, end=args.end,
                      progress=printer(args.quiet), variant=args.variant)
    for table, rows in counts.items():
        print(f"{table}\t{rows}")
    return 0
