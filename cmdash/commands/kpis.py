"""`kpis`: any KPIs by org level and period, one row per group and period."""

from __future__ import annotations

import argparse
import sys

from cmdash.commands.common import (
    add_dataset,
    add_dates,
    add_output,
    open_dataset,
    viewer_filters,
    write_frame,
)

BY = {"manager": ("manager",), "district": ("district",), "region": ("region",),
      "company": ()}


def register(sub: argparse._SubParsersAction) -> None:
    from cmdash.kpi import KPIS

    p = sub.add_parser(
        "kpis", help="compute KPIs by manager, district or region and period",
        description="One row per group and period, one column per KPI id, and `partial`: "
        "true for a period that ends after the data's (or --to's) last day, whose figures "
        "are period-to-date. KPIs whose tables are absent or empty are left out and named "
        "on standard error.",
        epilog="KPI ids: " + ", ".join(KPIS))
    add_dataset(p)
    p.add_argument("--by", choices=list(BY), default="manager")
    p.add_argument("--period", choices=("week", "month", "quarter", "half", "year"),
                   default="month")
    add_dates(p)
    p.add_argument("--kpi", nargs="+", metavar="ID", help="KPI ids (default: all)")
    add_output(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from cmdash.all_settings import Settings
    from cmdash.assessment.roster import is_partial
    from cmdash.errors import InputError
    from cmdash.kpi import KPIS, kpi_table, scan_for
    from cmdash.kpi.params import measure_params

    wanted = args.kpi or list(KPIS)
    unknown = [k for k in wanted if k not in KPIS]
    if unknown:
        raise InputError(f"Unknown KPI id(s) {', '.join(unknown)}; see --help for the list")
    if args.start and args.end and args.start > args.end:
        raise InputError("--from is after --to")
    settings = Settings.load(args.settings)
    _, engine = open_dataset(args)
    s = scan_for(engine, wanted, args.period, viewer_filters(
        args, start=args.start, end=args.end), measure_params(settings), (BY[args.by],),
        narrow=True)
    result = kpi_table(s, wanted, BY[args.by], args.period)
    for kpi, why in result.unavailable.items():
        detail = f" (no rows/values in {', '.join(why.tables)})" if why.tables else ""
        print(f"cmdash: {kpi} unavailable: {why.reason}{detail}", file=sys.stderr)
    frame = result.values.assign(partial=is_partial(result.values["period"], args.period,
                                                    s.end))
    frame = frame.rename(columns={"manager": "manager_id"})
    write_frame(frame, args)
    return 0
