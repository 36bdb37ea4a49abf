"""Lapse-model features are rounded to 12 significant digits, so both engines feed the
model the same numbers (docs/robustness.md)."""

from __future__ import annotations

import math

import pandas as pd

from cmdash.retention.features import settled


def test_last_bit_differences_vanish() -> None:
    duck, spark = 0.2606121704184369, 0.2606121704184368  # seen on the demo's gap_cv
    assert duck != spark
    a, b = settled(pd.Series([duck, spark]))
    assert a == b == 0.260612170418


def test_magnitudes_zero_and_missing_are_kept() -> None:
    out = settled(pd.Series([123456.78901234567, -2.5e-20, 0.0, math.nan, math.inf]))
    assert out.iloc[0] == 123456.789012
    assert math.isclose(out.iloc[1], -2.5e-20, rel_tol=1e-15)
    assert out.iloc[2] == 0.0
    assert math.isnan(out.iloc[3]) and out.iloc[4] == math.inf
