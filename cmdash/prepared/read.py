"""Reading a scan's fact frames from a prepared layer: the same rows the scan's statement
returns for a date range, a period and a scope, cut from the layer's tables.

The scan's window (a lead-in year and period before the range, up to its end) splits at
the range's first day into two runs of rows: before it (`in_range` false) and in it. Each
run is whole weeks or months, read from the coarse table, plus at most a partial bucket at
either end, summed from the daily table. Only those tables' files are read; statements are
fixed text from the declarations with every date and manager bound as a parameter.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

import duckdb
import pandas as pd

from cmdash.engine.base import to_frame
from cmdash.engine.limits import duckdb_config
from cmdash.kpi.facts import FACTS
from cmdash.kpi.grains import PERIODS
from cmdash.prepared.layer import Layer, combine

_DAY = dt.timedelta(days=1)
#: Facts whose range begins on the first of the range's month (a target is the month's).
MONTH_RANGE_START = ("targets",)


def floor(day: dt.date, period: str) -> dt.date:
    """The first day of the day's week (Monday) or month, or the day itself."""
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def following(bucket: dt.date, period: str) -> dt.date:
    """The first day of the next bucket."""
    if period == "week":
        return bucket + dt.timedelta(days=7)
    if period == "month":
        return (bucket.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return bucket + _DAY


@dataclass(frozen=True)
class Piece:
    first: dt.date
    last: dt.date
    whole: bool  # whole buckets (a coarse table can answer), else part of one bucket
    in_range: bool


def pieces(first: dt.date, last: dt.date, period: str, in_range: bool) -> list[Piece]:
    """[first, last] as: part of a bucket, whole buckets, part of a bucket (each optional)."""
    if first > last:
        return []
    out = []
    start = floor(first, period)
    whole_from = start if start == first else following(start, period)
    if first < whole_from:  # a partial bucket at the start
        head_end = min(last, whole_from - _DAY)
        out.append(Piece(first, head_end, False, in_range))
        first = head_end + _DAY
        if first > last:
            return out
    end = floor(last, period)
    whole_to = following(end, period) if following(end, period) - _DAY == last else end
    if whole_to > first:
        out.append(Piece(first, whole_to - _DAY, True, in_range))
        first = whole_to
    if first <= last:
        out.append(Piece(first, last, False, in_range))
    return out


class Reader:
    """One in-memory DuckDB of views over a layer's files; each thread its own cursor.

    Also an engine for declared queries written against those views (`dialect`, `query`:
    `cmdash.query.run` runs them, e.g. the retention features' twins). While it is open it
    holds the layer (`prune.hold`), so no pruner removes the files under it."""

    dialect = "duckdb"

    def __init__(self, layer: Layer) -> None:
        from cmdash.prepared.prune import hold

        self.layer = layer
        self._held = hold(layer.path)
        self._con = duckdb.connect(":memory:", config=duckdb_config())
        self._local = threading.local()
        for fact, held in layer.manifest["facts"].items():
            for grain in held["grains"]:
                # the relation API: no path is put into SQL text
                self._con.read_parquet(str(layer.file(fact, grain))).create_view(
                    f"{fact}_{grain}", replace=True)

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._local.cursor = self._con.cursor()
        return cur

    def fact(self, name: str, measures: tuple[str, ...], period: str, scan_start: dt.date,
             start: dt.date, end: dt.date, scope: frozenset[str] | None = None
             ) -> pd.DataFrame:
        """The fact's frame as `scan` gets it from the engine: grain keys, period, in_range
        and the measures, for rows from `scan_start` to `end` (in range from `start`)."""
        range_start = floor(start, "month") if name in MONTH_RANGE_START else start
        parts = [*pieces(scan_start, min(end, range_start - _DAY), period, False),
                 *pieces(max(scan_start, range_start), end, period, True)]
        if not parts:  # nothing in the window: the same columns, no rows
            parts = [Piece(end + _DAY, end, False, False)]
        statements, params = [], {}
        for i, piece in enumerate(parts):
            statements.append(self._select(name, measures, period, piece, i, scope is not None))
            params |= {f"lo{i}": piece.first, f"hi{i}": piece.last, f"in{i}": piece.in_range}
        if scope is not None:
            params["scope"] = sorted(scope) or [""]
        sql = " UNION ALL ".join(statements)
        return to_frame(self._cursor().sql(sql, params=params).to_arrow_table(),
                        categorical=True)

    def _select(self, name: str, measures: tuple[str, ...], period: str, piece: Piece,
                i: int, scoped: bool) -> str:
        keys = [f'"{k}"' for k in FACTS[name].grain]
        where = f"period BETWEEN $lo{i} AND $hi{i}"
        if scoped:
            where += ' AND list_contains($scope, "manager")'
        as_is = period == "day" or (piece.whole and period in self.layer.grains(name))
        if as_is:
            table = f"{name}_{period}" if period in self.layer.grains(name) else f"{name}_day"
            cols = [*keys, "period", f"$in{i} AS in_range", *[f'"{m}"' for m in measures]]
            return f"SELECT {', '.join(cols)} FROM {table} WHERE {where}"
        bucket = PERIODS[period].expr.format(d="period")
        cols = [*keys, f"{bucket} AS period", f"$in{i} AS in_range",
                *[f'{combine(m)}("{m}") AS "{m}"' for m in measures]]
        return (f"SELECT {', '.join(cols)} FROM {name}_day WHERE {where} "
                f"GROUP BY {', '.join([*keys, bucket])}")

    def query(self, sql: str, params: dict, categorical: bool = False) -> pd.DataFrame:
        """A statement over the layer's views (`<fact>_<grain>`), values bound."""
        return to_frame(self._cursor().sql(sql, params=params).to_arrow_table(), categorical)

    def close(self) -> None:
        self._con.close()
        if self._held is not None:
            self._held.close()
