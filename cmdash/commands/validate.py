"""`validate`: check a dataset folder against the data contract."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check a dataset against the data contract",
                       description="Report errors and warnings with counts and first "
                       "examples; exit 1 when there is any error. Files are never modified.")
    p.add_argument("dir", type=Path, help="the dataset folder")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("--settings", type=Path,
                   help="a settings TOML file (tiers.encoding / tiers.named_order decide the "
                   "tier order noted)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from cmdash.commands.common import load_settings
    from cmdash.dataset import Dataset
    from cmdash.validate import validate

    settings = load_settings(args)
    report = validate(Dataset.open(args.dir).root,
                      tiers=(settings["tiers.encoding"], settings["tiers.named_order"]))
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        print(report.render(lang=args.lang))
    return 0 if report.ok else 1
