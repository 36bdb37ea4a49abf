"""A prepared layer's table kept in memory: whole periods of a scan are slices of it.

The rows are sorted by period, so the rows of a run of whole months (or days, from a daily
table) are one contiguous slice found by binary search: a cut copies only the rows it
returns, reads no file and runs no statement. Keys are categorical over the reader's one
dictionary per key (`recode`), the same for every cut, so the attributes a scan carries
onto its rows are looked up once per layer (`cmdash.kpi.carry`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from cmdash.kpi.scan import ids_in
from cmdash.prepared.layer import combine

if TYPE_CHECKING:
    from cmdash.prepared.read import Piece

#: The largest share of the process's memory budget one table kept in memory may take; a
#: larger table (a big layer) is read from its file by DuckDB instead, as before.
HELD_SHARE = 0.25


@dataclass(frozen=True)
class Held:
    """One table of a layer in memory (kept in the process's budget: `nbytes`)."""

    keys: tuple[str, ...]  # the fact's grain keys, before `period`
    frame: pd.DataFrame  # keys, period and every measure, sorted by period
    days: np.ndarray  # the period column as datetime64[D], for the binary search
    #: the keys' attributes carried onto the rows once (`with_attributes`), cut with them
    carried: tuple[str, ...] = ()

    @classmethod
    def read(cls, path: Path, keys: tuple[str, ...]) -> Held:
        """The file's rows, sorted by period (`prepare` writes them so: then nothing moves),
        with its text columns categorical, as the engine hands scans over (`to_frame`)."""
        text = [f.name for f in pq.read_schema(path)
                if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
        table = pq.read_table(path, read_dictionary=text)
        # one block per column, taken over from Arrow: no consolidating copy
        frame = table.to_pandas(date_as_object=False, split_blocks=True, self_destruct=True)
        del table
        days = frame["period"].to_numpy().astype("datetime64[D]")
        if len(days) > 1 and (days[1:] < days[:-1]).any():
            order = np.argsort(days, kind="stable")
            frame, days = frame.take(order).reset_index(drop=True), days[order]
        return cls(tuple(keys), frame, days)

    def with_attributes(self, attach: Callable[[pd.DataFrame], None]) -> Held:
        """The table with its keys' attributes as columns (`attach` adds them): carried
        once per table instead of onto every scan's rows."""
        frame = self.frame.copy(deep=False)  # the same columns, shared
        before = set(frame.columns)
        attach(frame)
        return Held(self.keys, frame, self.days,
                    tuple(c for c in frame.columns if c not in before))

    def nbytes(self) -> int:
        return int(self.frame.memory_usage(deep=True).sum()) + int(self.days.nbytes)

    def cut(self, parts: list[Piece], measures: tuple[str, ...],
            scope: frozenset[str] | None) -> pd.DataFrame:
        """The rows of these pieces (each whole periods of this table) as the scan's
        statement returns them: keys, period, in_range, the measures; the scope's only."""
        cols = [*self.keys, "period", *measures, *self.carried]
        spans = self._spans(parts)
        # a single run of rows stays a view of the table (copy-on-write: never written);
        # adjacent runs (the lead-in's months, then the range's) are one run
        runs: list[list[int]] = []
        for i, j in spans:
            if j <= i:
                continue
            if runs and runs[-1][1] == i:
                runs[-1][1] = j
            else:
                runs.append([i, j])
        slices = ([self.frame.iloc[i:j][cols] for i, j in runs]
                  or [self.frame.iloc[:0][cols]])
        out = (pd.concat(slices, ignore_index=True) if len(slices) > 1
               else slices[0].reset_index(drop=True))
        flags = np.repeat(np.array([p.in_range for p in parts], dtype=bool),
                          [j - i for i, j in spans])
        out.insert(len(self.keys) + 1, "in_range", flags)
        if scope is not None:
            out = out[ids_in(out["manager"], scope)].reset_index(drop=True)
        return out

    def rollup(self, parts: list[Piece], measures: tuple[str, ...], period: str,
               scope: frozenset[str] | None) -> pd.DataFrame:
        """The rows of these pieces summed from this (daily) table to the period, as the
        scan's statement returns them: a sum is null where every day's is, the first and
        last order day are the least and greatest of the days' (`COMBINE`)."""
        spans = self._spans(parts)
        rows = np.concatenate([np.arange(i, j) for i, j in spans] or [np.arange(0)])
        flags = np.repeat(np.array([p.in_range for p in parts], dtype=bool),
                          [j - i for i, j in spans])
        if scope is not None:
            keep = ids_in(self.frame["manager"].iloc[rows], scope)
            rows, flags = rows[keep], flags[keep]
        bucket = _bucket(self.days[rows], period)
        codes = [_codes(self.frame[k], rows) for k in self.keys]
        group = np.zeros(len(rows), dtype=np.int64)  # one number per (keys, period, in_range)
        for part in (*codes, pd.factorize(bucket)[0], flags.astype(np.int64)):
            part = part + 1  # a missing key (-1) is a value of its own
            group = group * (int(part.max(initial=0)) + 1) + part
        ids, uniques = pd.factorize(group)
        first = np.zeros(len(uniques), dtype=np.int64)
        first[ids] = np.arange(len(ids))  # a row of each group: they share its keys
        at = rows[first]
        out = {k: _taken(self.frame[k], at) for k in self.keys}
        out["period"] = bucket[first].astype("datetime64[ms]")
        out["in_range"] = flags[first]
        for m in measures:
            out[m] = _combine(m, self.frame[m].to_numpy()[rows], ids, len(uniques))
        for c in self.carried:  # a key's attributes: the same on every row of a group
            out[c] = _taken(self.frame[c], at)
        return pd.DataFrame(out, copy=False)  # arrays made here: nothing to copy

    def _spans(self, parts: list[Piece]) -> list[tuple[int, int]]:
        """Each piece's rows: [i, j) of the sorted table."""
        out = []
        for p in parts:
            i = int(np.searchsorted(self.days, np.datetime64(p.first, "D"), "left"))
            j = int(np.searchsorted(self.days, np.datetime64(p.last, "D"), "right"))
            out.append((i, max(i, j)))  # an empty piece (last before first): no rows
        return out



def _codes(column: pd.Series, rows: np.ndarray) -> np.ndarray:
    """The rows' values as integers, equal where the values are (a missing one -1)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.array.codes[rows].astype(np.int64)
    return pd.factorize(column.iloc[rows])[0]


def _taken(column: pd.Series, rows: np.ndarray):
    """The column's values at these rows (categories kept: codes taken, not values)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return pd.Categorical.from_codes(column.array.codes[rows], dtype=column.dtype,
                                         validate=False)
    return column.array.take(rows)


def _bucket(days: np.ndarray, period: str) -> np.ndarray:
    """Each day's period: its month's first day, its week's Monday, or itself."""
    if period == "month":
        return days.astype("datetime64[M]").astype("datetime64[D]")
    if period == "week":  # 1970-01-01 was a Thursday: Monday is 3 days before it
        n = days.astype(np.int64)
        return (n - (n + 3) % 7).astype("datetime64[D]")
    return days


def _combine(measure: str, values: np.ndarray, ids: np.ndarray, n: int) -> np.ndarray:
    """One measure's days combined per group, nulls as SQL's aggregates treat them."""
    how = combine(measure)
    if how == "sum":
        present = ~np.isnan(values)
        total = np.bincount(ids, weights=np.where(present, values, 0.0), minlength=n)
        seen = np.bincount(ids, weights=present, minlength=n)
        return np.where(seen > 0, total, np.nan)
    out = np.full(n, np.nan)
    (np.fmin if how == "min" else np.fmax).at(out, ids, values)
    return out


def recode(frame: pd.DataFrame, key: str, dtype: pd.CategoricalDtype | None
           ) -> pd.CategoricalDtype:
    """Code `frame[key]` over `dtype`'s categories, in place, and return the dtype used:
    `dtype` itself (one object: concat keeps it, and carriers keyed by it hold), or one
    with the ids it lacks appended (the codes of frames already on `dtype` stay valid)."""
    theirs = frame[key] if isinstance(frame[key].dtype, pd.CategoricalDtype) else frame[
        key].astype("category")
    if dtype is None:
        dtype = theirs.dtype
    if theirs.dtype is dtype:
        return dtype
    mine, n = theirs.cat.categories, len(theirs.cat.categories)
    if n <= len(dtype.categories) and dtype.categories[:n].equals(mine):
        # coded over an earlier state of the same dictionary (ids are only appended): the
        # codes stand as they are
        frame[key] = pd.Categorical.from_codes(theirs.cat.codes, dtype=dtype, validate=False)
        return dtype
    extra = mine.difference(dtype.categories)
    if len(extra):
        dtype = pd.CategoricalDtype(dtype.categories.append(extra))
    codes = theirs.cat.set_categories(dtype.categories).cat.codes
    frame[key] = pd.Categorical.from_codes(codes, dtype=dtype)
    return dtype
