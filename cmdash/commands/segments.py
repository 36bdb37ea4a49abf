"""`segments`: the coaching types per manager (docs/coaching.md), with strength and evidence."""

from __future__ import annotations

import argparse
import sys

from cmdash.commands.common import (
    _date,
    add_dataset,
    add_output,
    open_dataset,
    viewer_filters,
    write_frame,
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "segments", help="coaching types per manager, with strength and evidence",
        description="One row per (manager_id, type) flagged: strength (0–1), primary (the "
        "manager's strongest type) and the evidence in words; a manager with no type gets "
        "one row with type `none`. Thresholds come from --settings. A type is a prompt for "
        "a coaching conversation, not an HR decision.")
    add_dataset(p)
    p.add_argument("--as-of", dest="as_of", type=_date,
                   help="last day of the review window, YYYY-MM-DD (default: the data's end)")
    p.add_argument("--lang", choices=("zh", "en"), default="en", help="language of evidence")
    add_output(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from cmdash.all_settings import Settings
    from cmdash.coaching.classify import classify
    from cmdash.coaching.review import review
    from cmdash.kpi import shared_scan
    from cmdash.kpi.params import measure_params
    from cmdash.present.coaching import notes, segments

    settings = Settings.load(args.settings)
    _, engine = open_dataset(args)
    filters = viewer_filters(args, end=args.as_of)
    scan = shared_scan(engine, filters, measure_params(settings))
    as_of = pd.Timestamp(args.as_of) if args.as_of else None
    r = review(engine, scan, filters, settings, as_of)
    c = classify(r.features, settings, r.tables)
    for line in notes(c, args.lang, r.tiers):
        print(f"cmdash: note: {line}", file=sys.stderr)
    write_frame(segments(c, args.lang), args)
    return 0
