"""Column headers and value text for KPIs: label plus unit, in the viewer's language."""

from __future__ import annotations

import math

from cmdash.kpi.catalog import KPIS
from cmdash.kpi.units import UNITS, format_value


def unit_label(unit: str, lang: str) -> str:
    u = UNITS[unit]
    return u.en if lang == "en" else u.zh


def kpi_header(kpi_id: str, lang: str) -> str:
    """`销量（箱）` / `Volume (cases)`: a number never appears without its unit."""
    k = KPIS[kpi_id]
    unit = unit_label(k.unit, lang)
    return f"{k.label(lang)}（{unit}）" if lang == "zh" else f"{k.label(lang)} ({unit})"


def kpi_text(kpi_id: str, value: float | None, lang: str, with_unit: bool = True) -> str:
    return format_value(value, KPIS[kpi_id].unit, lang, with_unit)


def pct_change_text(change: float | None) -> str | None:
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return None
    return f"{change:+.1%}"
