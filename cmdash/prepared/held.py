"""A prepared layer's table kept in memory: whole periods of a scan are slices of it.

The rows are sorted by period, so the rows of a run of whole months (or days, from a daily
table) are one contiguous slice found by binary search: a cut copies only the rows it
returns, reads no file and runs no statement. Keys are categorical over one dictionary per
table, the same for every cut, so the attributes a scan carries onto its rows are looked up
once per layer (`cmdash.kpi.carry`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from cmdash.engine.base import to_frame

if TYPE_CHECKING:
    from cmdash.prepared.read import Piece

#: The largest share of the process's memory budget one table kept in memory may take; a
#: larger table (a big layer) is read from its file by DuckDB instead, as before.
HELD_SHARE = 0.25


@dataclass(frozen=True)
class Held:
    keys: tuple[str, ...]  # the fact's grain keys, before `period`
    frame: pd.DataFrame  # keys, period and every measure, sorted by period
    days: np.ndarray  # the period column as datetime64[D], for the binary search

    @classmethod
    def read(cls, path: Path, keys: tuple[str, ...]) -> Held:
        """The file's rows, sorted by period, with its text columns categorical (as the
        engine hands scans over: `to_frame(categorical=True)`)."""
        table = pq.read_table(path)
        frame = to_frame(table.sort_by("period"), categorical=True)
        return cls(tuple(keys), frame, frame["period"].to_numpy().astype("datetime64[D]"))

    def nbytes(self) -> int:
        return int(self.frame.memory_usage(deep=True).sum()) + int(self.days.nbytes)

    def cut(self, parts: list[Piece], measures: tuple[str, ...],
            scope: frozenset[str] | None) -> pd.DataFrame:
        """The rows of these pieces (each whole periods of this table) as the scan's
        statement returns them: keys, period, in_range, the measures; the scope's only."""
        cols = [*self.keys, "period", *measures]
        spans = [(int(np.searchsorted(self.days, np.datetime64(p.first, "D"), "left")),
                  int(np.searchsorted(self.days, np.datetime64(p.last, "D"), "right")))
                 for p in parts]
        slices = [self.frame.iloc[i:j][cols] for i, j in spans] or [self.frame.iloc[:0][cols]]
        out = (pd.concat(slices, ignore_index=True) if len(slices) > 1
               else slices[0].reset_index(drop=True))
        flags = np.repeat(np.array([p.in_range for p in parts], dtype=bool),
                          [j - i for i, j in spans])
        out.insert(len(self.keys) + 1, "in_range", flags)
        if scope is not None:
            managers = out["manager"]
            allowed = np.append(managers.cat.categories.isin(list(scope)), False)
            out = out[allowed[managers.cat.codes.to_numpy()]].reset_index(drop=True)
        return out

    def join(self, cut: pd.DataFrame, rest: pd.DataFrame) -> pd.DataFrame:
        """`cut` and the rows read from the files for the other pieces, one frame: the
        files' keys recoded to this table's dictionary (any id it lacks appended to it)."""
        for key in self.keys:
            if isinstance(cut[key].dtype, pd.CategoricalDtype):
                dtype = recode(rest, key, cut[key].dtype)
                if dtype is not cut[key].dtype:
                    recode(cut, key, dtype)
        return pd.concat([cut, rest], ignore_index=True)


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
    extra = theirs.cat.categories.difference(dtype.categories)
    if len(extra):
        dtype = pd.CategoricalDtype(dtype.categories.append(extra))
    codes = theirs.cat.set_categories(dtype.categories).cat.codes
    frame[key] = pd.Categorical.from_codes(codes, dtype=dtype)
    return dtype
