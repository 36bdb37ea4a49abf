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
        "is reused unless --force. See docs/performance.md, 'Prepared layer'.")
    p.add_argument("dir", type=Path, help="the dataset folder")
    add_engine(p, "engine that runs the scans")
    p.add_argument("--settings", type=Path, help="a settings TOML file (see `settings`)")
    p.add_argument("--force", action="store_true", help="build again even if it exists")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from cmdash.all_settings import Settings
    from cmdash.commands.common import open_dataset
    from cmdash.commands.progress import printer
    from cmdash.kpi.params import measure_params
    from cmdash.prepared import prepare

    settings = Settings.load(args.settings)
    ds, engine = open_dataset(args)
    params = measure_params(settings)
    reused = not args.force and engine.prepared.layer(params) is not None
    try:
        layer = prepare(engine, ds, params, progress=printer(args.quiet), force=args.force)
    finally:
        engine.close()
    m = layer.manifest
    files = sorted(p.name for p in layer.path.iterdir())
    size = sum(p.stat().st_size for p in layer.path.iterdir())
    print(f"prepared layer {layer.path} ({'already there' if reused else 'written'})")
    print(f"  dataset version {m['version']}, built by {m['engine']} in {m['seconds']} s "
          f"at {m['built_at']}; settings {m['params']}")
    for name, fact in m["facts"].items():
        rows = ", ".join(f"{g} {n:,}" for g, n in fact["rows"].items())
        print(f"  {name}: {rows} rows")
    print(f"  {len(files)} files, {size / 2**20:.1f} MiB")
    return 0
