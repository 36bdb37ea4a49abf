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
        "AUC, precision among the riskiest 10 %, the actual lapse rate and calibration bins "
        "(mean predicted against observed), the Brier score when the risk is a probability of "
        "that horizon, how the model was trained (`training`: method, horizon learned, "
        "dates, a one-line note) and calibrated (`calibration`). The horizon after --as-of "
        "must be in the data. A trained model is saved in the dataset's workspace and reused.")
    add_dataset(p)
    p.add_argument("--as-of", type=_date, required=True, help="YYYY-MM-DD")
    p.add_argument("--horizon-days", type=int, help="horizon in days (default: setting, 90)")
    p.add_argument("--out", help="write the JSON here instead of standard output")
    p.add_argument("--settings", help="a settings TOML file")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from cmdash.commands.common import load_settings
    from cmdash.commands.risk import say_training
    from cmdash.errors import InputError
    from cmdash.present.retention import plan_note
    from cmdash.retention.pipeline import backtest, check_covered, saved_or_trained

    if args.horizon_days is not None and not 1 <= args.horizon_days <= 365:
        raise InputError("--horizon-days must be between 1 and 365")
    settings = load_settings(args)
    ds, engine = open_dataset(args)
    check_covered(engine, args.as_of, settings, args.horizon_days)
    loaded = saved_or_trained(ds.workspace, ds.version(), engine, args.as_of, settings,
                              args.horizon_days)
    say_training(loaded)
    result = backtest(engine, args.as_of, settings, args.horizon_days,
                      trained=loaded.value)
    out = result.to_dict()
    out["training"]["note"] = plan_note(loaded.value.plan, "en")  # the line said on stderr
    text = json.dumps(out, ensure_ascii=False, indent=1)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
        print(f"wrote metrics to {args.out}", file=sys.stderr)
    else:
        print(text)
    return 0

