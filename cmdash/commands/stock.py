"""`stock`: safety stock and the suggested order per retailer and product."""

from __future__ import annotations

import argparse
import sys

from cmdash.commands.common import (
    add_dataset,
    add_output,
    open_dataset,
    viewer_filters,
    write_frame,
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "stock", help="safety stock and suggested orders per retailer and product",
        description="Average sales per order cycle × coefficient (1.2 steady sellers, 1.3 "
        "profitable lines; both settings), in 条, over the last weeks of data. The "
        "suggested order is net of the latest stock count (the optional inventory table) "
        "when there is one (basis net_of_stock), else the level to order up to (basis "
        "order_up_to); a line selling under stock.slow_per_cycle a cycle is not rounded up "
        "to 1 every cycle (order_every: cycles per unit).")
    add_dataset(p)
    p.add_argument("--customer", help="one retailer's id")
    p.add_argument("--end", help="last day of the window (default: the last day with sales)")
    add_output(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import datetime as dt

    import pandas as pd

    from cmdash.all_settings import Settings
    from cmdash.errors import InputError
    from cmdash.query import run as run_query
    from cmdash.stock.safety import compute

    settings = Settings.load(args.settings)
    _, engine = open_dataset(args)
    if args.end:
        try:
            end = dt.date.fromisoformat(args.end)
        except ValueError as exc:
            raise InputError(f"--end is not a date: {args.end!r}") from exc
    else:
        end = pd.Timestamp(run_query(engine, "sales_date_range").iloc[0]["last_day"]).date()
    result = compute(engine, viewer_filters(args), settings, end, args.customer)
    if args.customer and result.lines.empty:
        raise InputError(f"No sales for customer {args.customer} in the window",
                         column="customer_id")
    if result.lines.empty:
        window = f" in the window ending {end}" if not pd.isna(end) else ""
        print(f"cmdash: note: no sales lines{window}: no suggestion to make", file=sys.stderr)
    cols = ["customer_id", "product_id", "product", "price_tier", "line_class", "cycles",
            "units", "per_cycle", "coefficient", "safety_stock", "on_hand", "suggested_order",
            "basis", "order_every"]
    write_frame(result.lines[cols], args)
    return 0
