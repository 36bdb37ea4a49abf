"""`score`: the monthly or quarterly 100-point assessment per manager."""

from __future__ import annotations

import argparse

from cmdash.commands.common import (
    add_dataset,
    add_dates,
    add_output,
    open_dataset,
    viewer_filters,
    write_frame,
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "score", help="the 100-point assessment: six parts, total and rank",
        description="manager_id, period, the six part scores (0–100), total (0–100), "
        "rank within the period, `partial` (the period ends after the data: month-to-date, "
        "not scored or ranked) and `status` (partial, or left: the manager had left before "
        "the period). Weights and mappings come from --settings.")
    add_dataset(p)
    p.add_argument("--period", choices=("month", "quarter"), default="month")
    add_dates(p)
    add_output(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from cmdash.all_settings import Settings
    from cmdash.assessment import PART_IDS
    from cmdash.assessment.compute import assess
    from cmdash.assessment.roster import PARTIAL

    settings = Settings.load(args.settings)
    _, engine = open_dataset(args)
    scores = assess(engine, settings, args.period,
                    viewer_filters(args, start=args.start, end=args.end))
    frame = scores.assign(partial=scores["status"] == PARTIAL)[
        ["manager", "period", *PART_IDS, "total", "rank", "partial", "status"]].rename(
        columns={"manager": "manager_id"})
    write_frame(frame, args)
    return 0
