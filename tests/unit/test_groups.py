"""The roll-up kernel gives what pandas' groupby gives, on both of its paths."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cmdash.kpi.groups as groups
from cmdash.kpi.groups import Groups, codes_of


def _frame(seed: int, n: int = 5_000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    managers = np.array([f"KM{i:04d}" for i in range(40)], dtype=object)
    region = rng.choice(["东", "西", "南", None], n)  # a missing key: in no group
    return pd.DataFrame({
        "manager": pd.Categorical(rng.choice(managers, n)),
        "region": pd.Categorical(region),
        "customer": pd.Categorical(rng.choice([f"C{i}" for i in range(300)] + [None], n)),
        "period": pd.to_datetime("2025-01-01") + pd.to_timedelta(
            rng.integers(0, 12, n) * 31, unit="D"),
        "amount": np.where(rng.random(n) < 0.05, np.nan, rng.normal(100, 50, n)),
        "lines": rng.integers(-1, 5, n).astype(float),
    })


def _plain(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    out = frame.reset_index()
    out = out.astype({k: str for k in keys})
    return out.sort_values(keys).reset_index(drop=True)


@pytest.mark.parametrize("dense_limit", [0, 8_000_000], ids=["hashed", "dense"])
@pytest.mark.parametrize("keys", [["manager", "period"], ["region", "period"], ["period"],
                                  ["region", "manager", "customer"]])
def test_kernel_equals_pandas(monkeypatch, dense_limit: int, keys: list[str]) -> None:
    monkeypatch.setattr(groups, "DENSE_LIMIT", dense_limit)
    f = _frame(len(keys) + dense_limit % 7)
    rows = f["lines"].to_numpy() != 0  # some rows left out
    g = Groups({k: codes_of(f[k]) for k in keys}, rows)
    picked = f[rows]
    by = picked.groupby(keys, observed=True)

    got = _plain(g.sum(f, ["amount", "lines"]), keys)
    want = _plain(by[["amount", "lines"]].sum(), keys)
    pd.testing.assert_frame_equal(got, want, check_dtype=False, check_exact=False)

    positive = f["lines"].to_numpy() > 0
    active = picked[picked["lines"] > 0].groupby(keys, observed=True)
    got_n = _plain(g.nunique(codes_of(f["customer"])[0], positive, "n").to_frame(), keys)
    want_n = _plain(active["customer"].nunique().rename("n").to_frame(), keys)
    pd.testing.assert_frame_equal(got_n, want_n, check_dtype=False)

    got_size = _plain(g.size(positive, "size").to_frame(), keys)
    want_size = _plain(active.size().rename("size").to_frame(), keys)
    pd.testing.assert_frame_equal(got_size, want_size, check_dtype=False)


def test_no_rows() -> None:
    f = _frame(1, 10)
    g = Groups({"manager": codes_of(f["manager"])}, np.zeros(len(f), dtype=bool))
    assert g.n == 0
    assert g.sum(f, ["amount"]).empty
    assert g.nunique(codes_of(f["customer"])[0]).empty
