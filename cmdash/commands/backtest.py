"""`backtest`: train on data before a date, score at it, compare with what happened after."""

from __future__ import annotations

import argparse
import json
import sys

from cmdash.commands.common import _date, add_dataset, open_dataset


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "backtest", help="out-of-time check of the lapse model against its baseline",
        description="Metrics as JSON for the model and the recency/frequency baseline: ROC "
        "AUC, precision among the riskiest 10 %%, the actual lapse rate and calibration bins "
        "(mean predicted against observed). The horizon after --as-of must be in the data.")
    add_dataset(p)
    p.add_argument("--as-of", type=_date, required=True, help="YYYY-MM-DD")
    p.add_argument("--horizon-days", type=int, help="horizon in days (default: setting, 90)")
    p.add_argument("--out", help="write the JSON here instead of standard output")
    p.add_argument("--settings", help="a settings TOML file")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from cmdash.commands.common import load_settings
    from cmdash.errors import InputError
    from cmdash.retention.pipeline import backtest

    if args.horizon_days is not None and not 1 <= args.horizon_days <= 365:
        raise InputError("--horizon-days must be between 1 and 365")
    settings = load_settings(args)
    _, engine = open_dataset(args)
    result = backtest(engine, args.as_of, settings, args.horizon_days)
    text = json.dumps(result.to_dict(), ensure_ascii=False, indent=1)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
        print(f"wrote metrics to {args.out}", file=sys.stderr)
    else:
        print(text)
    return 0

