"""`prepare`: write the prepared aggregate layer for a dataset's current version."""

from __future__ import annotations

import argparse
from pathlib import Path

from cmdash.commands.common import add_engine


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "prepare", help="roll the facts up once into the prepared layer every session reads",
        description="Scans every fact of the dataset once by day (on DuckDB, or on Spark "
        "with --engine spark) and writes the daily and monthly roll-ups as Parquet into the "
        "dataset's workspace, for its current version and the SQL-bound settings "
        "(kpi.log_hours, kpi.early_end_hour). The app and the data commands then cut any "
        "date range and scope from it without reading the fact files. A layer that exists "
        "is reused unless --force. After a build, the layers of other versions or settings "
        "in the same folder that no process has used for prepared.prune_days days (and "
        "none holds open) are removed; --prune removes all of them whatever their age. "
        "See docs/performance.md, 'Prepared layer'.")
    p.add_argument("dir", type=Path, help="the dataset folder")
    add_engine(p, "engine that runs the scans")
    p.add_argument("--settings", type=Path, help="a settings TOML file (see `settings`)")
    p.add_argument("--force", action="store_true", help="build again even if it exists")
    p.add_argument("--prune", action="store_true",
                   help="remove every other layer of the dataset's workspace (other versions "
                   "or settings), however recently used, unless a process holds it open")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from cmdash.all_settings import Settings
    from cmdash.commands.common import open_dataset
    from cmdash.commands.progress import printer
    from cmdash.kpi.params import measure_params
    from cmdash.prepared import prepare
    from cmdash.prepared.prune import MARKERS, prune

    settings = Settings.load(args.settings)
    ds, engine = open_dataset(args)
    params = measure_params(settings)
    reused = not args.force and engine.prepared.layer(params) is not None
    try:
        layer = prepare(engine, ds, params, progress=printer(args.quiet), force=args.force)
    finally:
        engine.close()
    pruned = None
    if args.prune or not reused:  # never the layer just built or reused: it is kept
        age = None if args.prune else float(settings["prepared.prune_days"])
        pruned = prune(layer.path.parent, layer.path.name, age)
    m = layer.manifest
    files = [p for p in layer.path.iterdir() if p.name not in MARKERS]
    size = sum(p.stat().st_size for p in files)
    print(f"prepared layer {layer.path} ({'already there' if reused else 'written'})")
    print(f"  dataset version {m['version']}, built by {m['engine']} in {m['seconds']} s "
          f"at {m['built_at']}; settings {m['params']}")
    for name, fact in m["facts"].items():
        rows = ", ".join(f"{g} {n:,}" for g, n in fact["rows"].items())
        print(f"  {name}: {rows} rows")
    print(f"  {len(files)} files, {size / 2**20:.1f} MiB")
    if pruned is not None:
        print(f"  old layers removed: {', '.join(pruned.removed) or 'none'}")
        if pruned.in_use:
            print(f"  old layers kept (in use): {', '.join(pruned.in_use)}")
    return 0
