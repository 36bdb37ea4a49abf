"""`grades`: every manager against a grade ladder at the latest review."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cmdash.commands.common import (
    add_dataset,
    add_output,
    open_dataset,
    viewer_filters,
    write_frame,
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "grades", help="evaluate managers against a grade ladder",
        description="Current grade, supported grade, promote/keep/demote/grace/below/"
        "transfer (with action_zh and action_en: the verdict in words), the new grade and "
        "the margin to the next line, per manager. Ladders are "
        "TOML files (see cmdash/grades/ladders/ for the shipped examples); indicators the "
        "data lacks come from --indicators.")
    add_dataset(p)
    p.add_argument("--ladder", required=True,
                   help="a ladder TOML file, or the id of a shipped ladder "
                   "(tobacco_demo, bancassurance, brokerage, oil_wholesale, bank)")
    p.add_argument("--indicators", type=Path,
                   help="CSV/Parquet: manager_id, period and indicator columns")
    add_output(p)
    p.set_defaults(run=run)


def resolve_ladder(name: str):
    from cmdash.errors import InputError
    from cmdash.grades import load, shipped

    ladders = shipped()
    if name in ladders:
        return ladders[name]
    if not Path(name).is_file():
        raise InputError(f"No ladder {name!r}: give a ladder TOML file or one of the shipped "
                         f"ladders: {', '.join(sorted(ladders))}", file=name)
    return load(name)


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from cmdash.all_settings import Settings
    from cmdash.grades import evaluate
    from cmdash.grades.evaluate import action_label
    from cmdash.grades.indicators import from_file, from_scan
    from cmdash.kpi import scan_for

    ladder = resolve_ladder(args.ladder)
    settings = Settings.load(args.settings)
    _, engine = open_dataset(args)
    scan = scan_for(engine, ladder.kpis, "month", viewer_filters(args), None)
    indicators = from_scan(ladder, scan, settings)
    if args.indicators:
        supplied = from_file(ladder, args.indicators)
        indicators = supplied if indicators.empty else indicators.merge(
            supplied, on=["manager", "period"], how="outer")
    from cmdash.query import run as run_query

    # the directory in the viewer's scope, by id (never aligned by position)
    directory = run_query(engine, "manager_directory", viewer_filters(args))
    grades = dict(zip(directory["manager_id"].astype(str), directory["grade"], strict=True))
    table = evaluate(ladder, indicators, grades)
    if table.empty:
        print(f"cmdash: note: the data holds no complete {ladder.review} review period "
              "(is the sales table empty?): no manager to evaluate", file=sys.stderr)
        table = pd.DataFrame(columns=["manager"])
    elif "action" in table:  # the verdict in both languages beside its id
        at = table.columns.get_loc("action") + 1
        for lang in ("en", "zh"):
            table.insert(at, f"action_{lang}", table["action"].map(
                lambda a, lang=lang: action_label(a, lang)))
    write_frame(table.rename(columns={"manager": "manager_id"}), args)
    return 0
