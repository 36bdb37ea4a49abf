"""Arguments and output shared by the data commands: dataset, engine, dates, format."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import pandas as pd

from cmdash.errors import InputError


def add_dataset(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", type=Path, help="the dataset folder")
    p.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb",
                   help="query engine (spark needs requirements-spark.txt and Java 17+)")


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


def open_dataset(args: argparse.Namespace):
    """(dataset, engine) after validation: a dataset with errors is refused, by name."""
    from cmdash.dataset import Dataset
    from cmdash.engine import open_engine
    from cmdash.validate import validate

    ds = Dataset.open(args.dir)
    report = validate(ds.root)
    if not report.ok:
        first = report.errors[0]
        raise InputError(
            f"The dataset has {len(report.errors)} validation error(s); first: "
            f"{first.message('en')}. Run `python -m cmdash validate {args.dir}` for all",
            file=first.file, column=first.column, rows=first.count,
        )
    return ds, open_engine(ds, args.engine)


def write_frame(frame: pd.DataFrame, args: argparse.Namespace) -> None:
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    if args.format == "json":
        text = out.to_json(orient="records", force_ascii=False, indent=1)
    else:
        text = out.to_csv(index=False)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {len(out)} rows to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
        if not text.endswith("\n"):
            sys.stdout.write("\n")


def load_settings(args: argparse.Namespace):
    from cmdash.settings import Settings

    return Settings.load(getattr(args, "settings", None))
