"""Attributes carried onto fact rows (cmdash.kpi.carry): by the key's category codes, an
orphan id gets none, and a carrier is reused only for the same categories and attributes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cmdash.kpi.carry import carry

CUSTOMERS = pd.DataFrame({
    "customer": ["C1", "C2", "C3"],
    "tier": ["A", "B", "A"],
    "opened_date": pd.to_datetime(["2020-01-05", "2021-06-30", None]),
})
COLS = ("tier", "opened_date")


def _rows(ids: list[str], categories: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"customer": pd.Categorical(ids, categories=categories),
                         "units": np.arange(len(ids), dtype=float)})


def test_carried_by_key_with_orphans_left_empty() -> None:
    rows = _rows(["C3", "C1", "C9", "C1"], ["C1", "C3", "C9"])  # C9: no attributes
    carry(rows, "customer", CUSTOMERS, COLS)
    assert rows["tier"].astype(object).tolist()[:2] == ["A", "A"]
    assert pd.isna(rows["tier"].iloc[2]) and rows["tier"].iloc[3] == "A"
    assert pd.isna(rows["opened_date"].iloc[0])  # C3 has no opening date
    assert rows["opened_date"].iloc[1] == pd.Timestamp("2020-01-05")
    assert pd.isna(rows["opened_date"].iloc[2])


def test_a_kept_carrier_serves_the_same_categories_only() -> None:
    kept: dict = {}
    dtype = pd.CategoricalDtype(["C2", "C1", "C3"])
    a = pd.DataFrame({"customer": pd.Categorical(["C1", "C2"], dtype=dtype)})
    b = pd.DataFrame({"customer": pd.Categorical(["C3", "C2", "C2"], dtype=dtype)})
    carry(a, "customer", CUSTOMERS, COLS, kept)
    (first,) = kept.values()
    carry(b, "customer", CUSTOMERS, COLS, kept)
    assert list(kept.values()) == [first]  # same dictionary: reused, not built again
    assert b["tier"].astype(str).tolist() == ["A", "B", "B"]
    other = _rows(["C2", "C1"], ["C1", "C2"])  # another dictionary: a carrier of its own
    carry(other, "customer", CUSTOMERS, COLS, kept)
    assert len(kept) == 2 and other["tier"].astype(str).tolist() == ["B", "A"]
    changed = CUSTOMERS.assign(tier=["Z", "Z", "Z"])  # other attributes: never the old one
    carry(b, "customer", changed, COLS, kept)
    assert b["tier"].astype(str).tolist() == ["Z", "Z", "Z"]
