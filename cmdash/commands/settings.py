"""`settings`: print the default settings as TOML, or check a settings file."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "settings", help="print the default settings, or check a settings file",
        description="Every tunable number with its default, as a TOML file any command "
        "takes with --settings (and the app reads from cmdash-settings.toml in a dataset).")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--defaults", action="store_true", help="print the full default TOML")
    g.add_argument("--check", type=Path, metavar="FILE", help="validate a settings file")
    p.add_argument("--describe", action="store_true",
                   help="with --defaults: a comment per setting (label, range, source)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from cmdash.all_settings import SETTINGS, Settings
    from cmdash.settings.describe import described_toml

    if args.defaults:
        print(described_toml(SETTINGS) if args.describe else Settings().to_toml(), end="")
        return 0
    s = Settings.load(args.check)
    print(f"{args.check}: OK ({len(s.diff())} setting(s) differ from the defaults)")
    for key, (default, value) in s.diff().items():
        print(f"  {key} = {value!r} (default {default!r})")
    return 0
