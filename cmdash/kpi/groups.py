"""A group-by kernel for roll-ups: group ids computed once per (frame, keys, rows), then
every sum, count and distinct count is a `numpy.bincount` over them.

A roll-up asks several questions of the same rows at the same grouping (sums of a dozen
measures, distinct active customers, distinct customers visited); pandas re-factorises the
keys and copies the rows for each. Here the rows are never copied (a mask picks them), keys
are integer codes (the scan's id and attribute columns are categorical), and the results
come out indexed exactly like `DataFrame.groupby(keys, observed=True)` would give them:
groups with a missing key are left out, as pandas leaves them out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Up to this many possible (group, value) combinations, arrays indexed by them beat hashing.
DENSE_LIMIT = 8_000_000


def codes_of(values: pd.Series | np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """Integer codes (-1 for missing) and the distinct values they index."""
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy().astype(np.int64), values.cat.categories
    codes, uniques = pd.factorize(values)
    return codes.astype(np.int64), pd.Index(uniques)


class Groups:
    """The groups of the selected rows of a frame, by the given key columns."""

    def __init__(self, keys: dict[str, tuple[np.ndarray, pd.Index]], rows: np.ndarray
                 ) -> None:
        """`keys`: name -> (codes over all rows, distinct values); `rows`: boolean mask."""
        self.names = list(keys)
        combined = np.zeros(int(rows.sum()), dtype=np.int64)
        ok = np.ones(len(combined), dtype=bool)
        sizes = []
        for codes, uniques in keys.values():
            picked = codes[rows]
            ok &= picked >= 0
            n = max(len(uniques), 1)
            combined = combined * n + np.maximum(picked, 0)
            sizes.append(n)
        self.rows = rows.copy()
        self.rows[np.flatnonzero(rows)[~ok]] = False  # a row with a missing key joins no group
        combined = combined[ok]
        space = int(np.prod(sizes, dtype=np.float64))
        if space <= DENSE_LIMIT:  # few possible key combinations: rank them, no hashing
            present = np.bincount(combined, minlength=space) > 0
            rank = np.cumsum(present) - 1
            self.ids = rank[combined]
            uniq = np.flatnonzero(present)
        else:
            ids, uniq = pd.factorize(combined)
            self.ids = ids.astype(np.int64)
        self.n = len(uniq)
        levels = []
        rest = np.asarray(uniq, dtype=np.int64)
        for (_, uniques), n in zip(reversed(list(keys.values())), reversed(sizes),
                                   strict=True):
            levels.append(uniques.take(rest % n) if len(uniques) else uniques[:0])
            rest = rest // n
        levels.reverse()
        self.index: pd.Index = (pd.MultiIndex.from_arrays(levels, names=self.names)
                                if len(levels) > 1 else pd.Index(levels[0], name=self.names[0]))

    def _pick(self, where: np.ndarray | None) -> np.ndarray:
        """Group ids of the rows also satisfying `where` (a mask over all rows)."""
        return self.ids if where is None else self.ids[where[self.rows]]

    def sum(self, frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        """Sums per group; missing values count as nothing, as in pandas."""
        out = {}
        for col in columns:
            values = frame[col].to_numpy(dtype="float64", na_value=np.nan)[self.rows]
            out[col] = np.bincount(self.ids, weights=np.nan_to_num(values, nan=0.0),
                                   minlength=self.n)
        return pd.DataFrame(out, index=self.index)

    def size(self, where: np.ndarray | None = None, name: str = "size") -> pd.Series:
        """Rows per group (only groups with a row, like groupby().size())."""
        counts = np.bincount(self._pick(where), minlength=self.n)
        return pd.Series(counts, index=self.index, name=name)[counts > 0]

    def nunique(self, codes: np.ndarray, where: np.ndarray | None = None,
                name: str = "nunique") -> pd.Series:
        """Distinct non-missing codes per group, for groups with a selected row."""
        sel = self.rows if where is None else self.rows & where
        ids = self.ids[sel[self.rows]]
        picked = codes[sel]
        has = picked >= 0
        width = max(int(picked.max()) + 1, 1) if len(picked) else 1
        pairs = ids[has] * width + picked[has]
        if self.n * width <= DENSE_LIMIT:  # a bitmap of (group, value) pairs seen
            seen = np.zeros(self.n * width, dtype=bool)
            seen[pairs] = True
            counts = seen.reshape(self.n, width).sum(axis=1)
        else:
            counts = np.bincount(pd.unique(pairs) // width, minlength=self.n)
        present = np.bincount(ids, minlength=self.n) > 0
        return pd.Series(counts, index=self.index, name=name)[present]
