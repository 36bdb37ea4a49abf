"""Arguments and output shared by the data commands: dataset, engine, dates, format."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import pandas as pd

from cmdash.errors import InputError
from cmdash.export import csv_text


def add_dataset(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", type=Path, help="the dataset folder")
    add_engine(p)
    p.add_argument("--as", dest="as_user", metavar="USER",
                   help="answer as this user of the access file: only their scope")
    p.add_argument("--access", type=Path, metavar="FILE",
                   help="the access file (default: access.toml in the dataset)")


def add_engine(p: argparse.ArgumentParser, what: str = "query engine") -> None:
    """--engine, and --spark-remote for a Spark Connect server (docs/spark.md)."""
    p.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb",
                   help=f"{what} (spark needs requirements-spark.txt and Java 17+)")
    p.add_argument("--spark-remote", metavar="URL",
                   help="with --engine spark: a Spark Connect server, sc://HOST:PORT "
                   "(default: $CMDASH_SPARK_REMOTE, else a local session)")


def add_dates(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="start", type=_date, help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="end", type=_date, help="last day, YYYY-MM-DD")


def add_output(p: argparse.ArgumentParser, formats: tuple[str, ...] = ("csv", "json")) -> None:
    p.add_argument("--format", choices=formats, default=formats[0])
    p.add_argument("--out", type=Path, help="write here instead of standard output")
    p.add_argument("--settings", type=Path, help="a settings TOML file (see `settings`)")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def open_dataset(args: argparse.Namespace, **engine_options: object):
    """(dataset, engine) after validation: a dataset with errors is refused, by name. The
    engine's scans read the dataset's prepared layer when `prepare` has written one."""
    from cmdash.dataset import Dataset
    from cmdash.engine import open_engine
    from cmdash.prepared import attach
    from cmdash.validate import validate

    remote = spark_remote(args)
    if remote:
        engine_options = {**engine_options, "remote": remote}
    ds = Dataset.open(args.dir)
    report = validate(ds.root)
    if not report.ok:
        first = report.errors[0]
        raise InputError(
            f"The dataset has {len(report.errors)} validation error(s); first: "
            f"{first.message('en')}. Run `python -m cmdash validate {args.dir}` for all",
            file=first.file, column=first.column, rows=first.count,
        )
    args.viewer = resolve_viewer(args, ds.root)
    engine = open_engine(ds, args.engine, **engine_options)
    attach(engine, ds)
    return ds, engine


def spark_remote(args: argparse.Namespace) -> str | None:
    """The Spark Connect server of a `--engine spark` command: `--spark-remote`, else
    $CMDASH_SPARK_REMOTE, else `engine.spark_remote` of the `--settings` file (None: a
    local session)."""
    import os

    from cmdash.engine.spark_engine import REMOTE_ENV

    flag = getattr(args, "spark_remote", None)
    if getattr(args, "engine", "duckdb") != "spark":
        if flag:
            raise InputError("--spark-remote needs --engine spark")
        return None
    return flag or os.environ.get(REMOTE_ENV) or load_settings(args)["engine.spark_remote"] or None


def resolve_viewer(args: argparse.Namespace, root: Path):
    """Everyone's numbers, or with --as only that user's scope (unknown users are refused)."""
    from cmdash.access import ACCESS_FILE, EVERYONE, load

    user = getattr(args, "as_user", None)
    if not user:
        return EVERYONE
    path = getattr(args, "access", None) or root / ACCESS_FILE
    rules = load(path)
    if rules is None:
        raise InputError("--as needs an access file", file=str(path))
    access = rules.lookup(user)
    if access is None:
        raise InputError(f"User {user} is not in the access file", file=str(path))
    return access


def viewer_filters(args: argparse.Namespace, **values):
    """Filters carrying the viewer's scope (every query binds it)."""
    from cmdash.access import EVERYONE
    from cmdash.query import Filters

    return Filters(access=getattr(args, "viewer", EVERYONE), **values)


def scoped_managers(engine, args: argparse.Namespace) -> set[str] | None:
    """The manager ids a scoped viewer may see (None: everyone)."""
    from cmdash.query import run

    if getattr(args, "viewer", None) is None or args.viewer.everything:
        return None
    return set(run(engine, "scope_managers", viewer_filters(args))["manager_id"])


def write_frame(frame: pd.DataFrame, args: argparse.Namespace) -> None:
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    if args.format == "json":
        text = out.to_json(orient="records", force_ascii=False, indent=1)
    else:
        text = csv_text(out)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {len(out)} rows to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
        if not text.endswith("\n"):
            sys.stdout.write("\n")


def load_settings(args: argparse.Namespace):
    from cmdash.all_settings import Settings

    return Settings.load(getattr(args, "settings", None))
