"""A bulletin cell in words: KPI values with their unit's format, changes as signed %."""

from __future__ import annotations

import math

import pandas as pd

from cmdash.numbers import format_change
from cmdash.present.labels import kpi_text

_PCT_CHANGE = ("vs_prior", "vs_yoy")
_KPI_VALUES = ("value", "prior", "yoy")  # headline: formatted by the row's KPI


def text(row: pd.Series, col: str, lang: str) -> str:
    value = row[col]
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "–"
    if col in _PCT_CHANGE:
        return format_change(value) or "–"
    if col in _KPI_VALUES and "kpi" in row:
        return kpi_text(row["kpi"], value, lang, with_unit=False)
    if col == "delta":
        return f"{value:+.1f}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)
