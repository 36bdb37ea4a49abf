"""`alerts`: the rules in alerts.toml checked at a date; prints (and sends) what is new."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cmdash.commands.common import _date, add_dataset, add_output, open_dataset, write_frame


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "alerts", help="check the alert rules (alerts.toml) and print what fires",
        description="One row per new firing: rule, kind, subject (manager or customer id), "
        "name, district, since, evidence, recipients, key. What was printed or sent is "
        "remembered in the dataset's workspace, so a rerun (or a second run at the same "
        "time) repeats nothing. With a [sender] table in the rules file the firings are "
        "also sent (SMTP or webhook). See docs/bulletin.md.")
    add_dataset(p)
    p.add_argument("--as-of", dest="as_of", type=_date,
                   help="check at this date, YYYY-MM-DD (default: the data's last day)")
    p.add_argument("--rules", type=Path, help="the rules file (default: alerts.toml in DIR)")
    p.add_argument("--all", action="store_true",
                   help="print every firing, also those already sent (sends nothing)")
    p.add_argument("--dry-run", action="store_true",
                   help="print what is new without sending or remembering it")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of evidence")
    add_output(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from cmdash.alerts import state
    from cmdash.alerts.check import check
    from cmdash.alerts.rules import ALERTS_FILE, load
    from cmdash.alerts.send import send
    from cmdash.commands.common import load_settings
    from cmdash.errors import InputError
    from cmdash.report.gather import data_last_day

    rules = load(args.rules or args.dir / ALERTS_FILE)
    settings = load_settings(args)
    ds, engine = open_dataset(args)
    as_of = args.as_of or data_last_day(engine)
    if as_of is None:
        raise InputError("The sales table has no rows: nothing to check", file="sales")
    fired = check(engine, rules.rules, as_of, settings, args.viewer, args.lang)
    if args.all:
        write_frame(fired, args)
        return 0
    with state.locked(ds.workspace) as ledger_path:
        ledger = state.sent(ledger_path)
        new = fired[~fired["key"].isin(ledger)].reset_index(drop=True)
        if rules.sender is not None and not args.dry_run:
            n = send(rules.sender, new)
            print(f"cmdash: sent {n} message(s) for {len(new)} alert(s)", file=sys.stderr)
        if not args.dry_run:
            state.record(ledger_path, ledger | dict.fromkeys(new["key"], str(as_of)))
    print(f"cmdash: {len(fired)} firing, {len(new)} new", file=sys.stderr)
    write_frame(new, args)
    return 0
