"""Attributes carried onto fact rows (a customer's tier, a manager's region …), looked up
once per distinct key, not per row.

A `Carrier` holds a key's attributes as arrays indexed by the key column's category codes,
so carrying them onto any frame whose key has the same categories is one array take per
attribute. Scans cut from a prepared layer keep one key dictionary per fact for the whole
layer, so their carriers are built once per layer and reused by every scan.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

_NAT = np.datetime64("NaT")
#: Carriers one owner keeps at most (a key per fact and table it cuts from).
KEPT_MAX = 64


@dataclass(frozen=True)
class Carrier:
    """One key's attributes by the key's category code."""

    categories: pd.Index  # the key column's categories these arrays are indexed by
    #: attribute -> (values, None) for a date column, (codes, dtype) otherwise
    columns: dict[str, tuple[np.ndarray, pd.CategoricalDtype | None]]

    @classmethod
    def build(cls, categories: pd.Index, attrs: pd.DataFrame, key: str,
              cols: tuple[str, ...]) -> Carrier:
        table = attrs.drop_duplicates(key).set_index(key).reindex(categories)
        columns: dict[str, tuple[np.ndarray, pd.CategoricalDtype | None]] = {}
        for col in cols:
            if col.endswith("_date"):
                columns[col] = (pd.to_datetime(table[col]).to_numpy(), None)
            else:
                attr = table[col].astype("category")
                columns[col] = (attr.cat.codes.to_numpy(), attr.dtype)
        return cls(categories, columns)

    def carry(self, frame: pd.DataFrame, key: str) -> None:
        """Add the attribute columns to `frame`; an orphan id (no attributes) gets none."""
        codes = frame[key].cat.codes.to_numpy()
        missing = codes < 0
        orphans = bool(missing.any())
        at = np.where(missing, 0, codes) if orphans else codes
        for col, (values, dtype) in self.columns.items():
            if dtype is None:
                if len(values):
                    picked = values[at]
                    frame[col] = np.where(missing, _NAT, picked) if orphans else picked
                else:
                    frame[col] = np.full(len(codes), _NAT, dtype="datetime64[ns]")
                continue
            mapped = values[at] if len(values) else np.full(len(codes), -1, dtype=np.int8)
            if orphans:
                mapped = np.where(missing, -1, mapped)
            # codes taken from the dtype's own codes: valid by construction
            frame[col] = pd.Categorical.from_codes(mapped, dtype=dtype, validate=False)


def carry(frame: pd.DataFrame, key: str, attrs: pd.DataFrame, cols: tuple[str, ...],
          kept: dict | None = None) -> None:
    """Carry `attrs`' `cols` onto `frame` by `key` (made categorical). `kept` (a dict the
    caller owns) reuses the carrier built for the same key categories and attributes."""
    keys = frame[key]
    if not isinstance(keys.dtype, pd.CategoricalDtype):
        keys = frame[key] = keys.astype("category")
    cats = keys.cat.categories
    slot = (key, cols, id(attrs), id(cats))
    found = kept.get(slot) if kept is not None else None
    # the attributes and categories are held with the carrier: their ids stay theirs
    carrier = found[1] if found is not None and found[0] is attrs else None
    if carrier is None or carrier.categories is not cats:
        carrier = Carrier.build(cats, attrs, key, cols)
        if kept is not None:
            if len(kept) >= KEPT_MAX:  # new dictionaries each time: start again
                kept.clear()
            kept[slot] = (attrs, carrier)
    carrier.carry(frame, key)
