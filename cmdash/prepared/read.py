"""Reading a scan's fact frames from a prepared layer: the same rows the scan's statement
returns for a date range, a period and a scope, cut from the layer's tables.

The scan's window (a lead-in year and period before the range, up to its end) splits at
the range's first day into two runs of rows: before it (`in_range` false) and in it. Each
run is whole weeks or months, read from the coarse table, plus at most a partial bucket at
either end, summed from the daily table. Tables that fit their share of the process's
memory budget are kept in memory and cut there (`cmdash.prepared.held`); the others are
read from their files by DuckDB, whose statements are fixed text from the declarations with
every date and manager bound as a parameter. Both give the same frame.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd

from cmdash.engine.base import to_frame
from cmdash.engine.limits import duckdb_config
from cmdash.kpi.facts import FACTS
from cmdash.kpi.grains import PERIODS
from cmdash.memo.budget import Budget
from cmdash.memo.process import process_budget
from cmdash.prepared.held import HELD_SHARE, Held, recode
from cmdash.prepared.layer import Layer, combine

_DAY = dt.timedelta(days=1)
log = logging.getLogger(__name__)
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
    """A layer's tables for scans: the ones a cut reads whole periods of kept in memory
    (`held`, within the process's memory budget), the rest read from the files through one
    in-memory DuckDB of views over them (each thread its own cursor).

    Also an engine for declared queries written against those views (`dialect`, `query`:
    `cmdash.query.run` runs them, e.g. the retention features' twins). While it is open it
    holds the layer (`prune.hold`), so no pruner removes the files under it."""

    dialect = "duckdb"

    def __init__(self, layer: Layer, budget: Budget | None = None) -> None:
        from cmdash.prepared.prune import hold

        self.layer = layer
        self._held = hold(layer.path)
        self._budget = budget
        #: carriers of the attributes onto this layer's rows (`cmdash.kpi.carry`)
        self.carriers: dict = {}
        self._attributes: dict[str, pd.DataFrame] | None = None
        #: one dictionary per key (manager, customer) for every fact of the layer
        self._dtypes: dict[str, pd.CategoricalDtype] = {}
        self._reading: dict[tuple, threading.Thread] = {}
        self._lock = threading.Lock()
        self._con = duckdb.connect(":memory:", config=duckdb_config())
        self._local = threading.local()
        for fact, held in layer.manifest["facts"].items():
            for grain in held["grains"]:
                # the relation API: no path is put into SQL text
                self._con.read_parquet(str(layer.file(fact, grain))).create_view(
                    f"{fact}_{grain}", replace=True)

    @property
    def budget(self) -> Budget:
        """The budget given, else the process's as it is now (the app may start a new one)."""
        return self._budget if self._budget is not None else process_budget()

    def attributes(self, look_up: Callable[[], dict[str, pd.DataFrame]]
                   ) -> dict[str, pd.DataFrame]:
        """The attribute look-ups of the layer's data version, asked once (read-only)."""
        with self._lock:
            if self._attributes is None:
                self._attributes = look_up()
            return self._attributes

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._local.cursor = self._con.cursor()
        return cur

    def held(self, name: str, grain: str, wait: bool = True,
             attach: Callable[[pd.DataFrame], None] | None = None) -> Held | None:
        """The table in memory, or None: when it is larger than its share of the memory
        budget (cuts then read the file), or, with `wait` false, until it has been read in
        the background (a daily table asked for a month's part: the files answer that much
        quickly, and a restarted server's first page does not wait for the whole table)."""
        rows = int(self.layer.manifest["facts"][name]["rows"].get(grain, 0))
        width = len(self.layer.manifest["facts"][name]["measures"]) + 3
        if rows * width * 8 > self.budget.limit * HELD_SHARE:
            return None
        key = ("prepared", str(self.layer.path), self.layer.stamp, name, grain)

        def read() -> Held:
            table = Held.read(self.layer.file(name, grain), FACTS[name].grain)
            self._on_dictionary(name, table.frame)  # every cut's keys on one dictionary
            return table

        if wait:
            table = self.budget.get(key, read)
        else:
            found, table = self.budget.lookup(key)
            if not found:
                self._read_later(key, read)
        if table is not None and attach is not None and not table.carried:
            # the attributes carried once, kept in its place (several threads may each
            # carry them: the same columns, the last one kept)
            table = table.with_attributes(attach)
            self.budget.put(key, table)
        return table

    def _read_later(self, key: tuple, read: Callable[[], Held]) -> None:
        with self._lock:
            if key in self._reading:
                return
            thread = threading.Thread(target=self._read, args=(key, read), daemon=True,
                                      name="cmdash-prepared-read")
            self._reading[key] = thread
        thread.start()

    def _read(self, key: tuple, read: Callable[[], Held]) -> None:
        try:
            self.budget.get(key, read)
        except Exception as exc:  # the files still answer every cut
            log.warning("prepared table %s not read into memory: %s", key[-2:], exc)
        finally:
            with self._lock:
                self._reading.pop(key, None)

    def settle(self) -> None:
        """Wait for the tables being read in the background."""
        while True:
            with self._lock:
                pending = list(self._reading.values())
            if not pending:
                return
            for thread in pending:
                thread.join()

    def fact(self, name: str, measures: tuple[str, ...], period: str, scan_start: dt.date,
             start: dt.date, end: dt.date, scope: frozenset[str] | None = None,
             attach: Callable[[pd.DataFrame], None] | None = None) -> pd.DataFrame:
        """The fact's frame as `scan` gets it from the engine: grain keys, period, in_range
        and the measures, for rows from `scan_start` to `end` (in range from `start`).
        `attach` adds the keys' attributes to a frame: tables kept in memory carry them
        once, and their rows come with them (else the caller carries them)."""
        range_start = floor(start, "month") if name in MONTH_RANGE_START else start
        parts = [*pieces(scan_start, min(end, range_start - _DAY), period, False),
                 *pieces(max(scan_start, range_start), end, period, True)]
        if not parts:  # nothing in the window: the same columns, no rows
            parts = [Piece(end + _DAY, end, False, False)]
        # whole periods (every day, at the day) are rows of the period's own table as is;
        # the rest are days summed to the period: from memory when the daily table fits
        whole = [p for p in parts if period == "day" or p.whole]
        held = (self.held(name, period, attach=attach)
                if whole and period in self.layer.grains(name) else None)
        rest = parts if held is None else [p for p in parts if p not in whole]
        days = self.held(name, "day", wait=held is None, attach=attach) if rest else None
        frames = []
        if held is not None:
            frames.append(held.cut(whole, measures, scope))
        if rest and days is not None:
            frames.append(days.rollup(rest, measures, period, scope))
        elif rest:
            frames.append(self._query(name, measures, period, rest, scope))
        if len({len(f.columns) for f in frames}) > 1:  # some carried, some not: none
            same = [c for c in frames[0].columns if all(c in f for f in frames)]
            frames = [f[same] for f in frames]
        for _ in range(2):  # all on the fact's dictionary, as it stands after the last
            for frame in frames:
                self._on_dictionary(name, frame)
        return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)

    def _query(self, name: str, measures: tuple[str, ...], period: str,
               parts: list[Piece], scope: frozenset[str] | None) -> pd.DataFrame:
        """The pieces' rows read from the layer's files by DuckDB."""
        statements, params = [], {}
        for i, piece in enumerate(parts):
            statements.append(self._select(name, measures, period, piece, i, scope is not None))
            params |= {f"lo{i}": piece.first, f"hi{i}": piece.last, f"in{i}": piece.in_range}
        if scope is not None:
            params["scope"] = sorted(scope) or [""]
        sql = " UNION ALL ".join(statements)
        return to_frame(self._cursor().sql(sql, params=params).to_arrow_table(),
                        categorical=True)

    def _on_dictionary(self, name: str, frame: pd.DataFrame) -> pd.DataFrame:
        """The fact's keys coded over the layer's one dictionary per key, grown as new ids
        appear: every fact and every scan share its categories, and so the carriers of the
        attributes (`cmdash.kpi.carry`) built once."""
        for key in FACTS[name].grain:
            if key in frame and isinstance(frame[key].dtype, pd.CategoricalDtype):
                with self._lock:
                    self._dtypes[key] = recode(frame, key, self._dtypes.get(key))
        return frame

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
