"""Column headers and value text for KPIs: label plus unit, in the viewer's language."""

from __future__ import annotations

import math

from cmdash.kpi.catalog import KPIS
from cmdash.kpi.units import UNITS, format_value
from cmdash.kpi.wording import kpi_label


def unit_label(unit: str, lang: str) -> str:
    u = UNITS[unit]
    return u.en if lang == "en" else u.zh


def kpi_header(kpi_id: str, lang: str, trade: str = "general") -> str:
    """`销量（箱）` / `Volume (cases)`: a number never appears without its unit; the label in
    the dataset's trade's words (`cmdash.kpi.wording`)."""
    k = KPIS[kpi_id]
    unit = unit_label(k.unit, lang)
    label = kpi_label(kpi_id, lang, trade)
    return f"{label}（{unit}）" if lang == "zh" else f"{label} ({unit})"


def kpi_text(kpi_id: str, value: float | None, lang: str, with_unit: bool = True) -> str:
    return format_value(value, KPIS[kpi_id].unit, lang, with_unit)


def pct_change_text(change: float | None) -> str | None:
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return None
    return f"{change:+.1%}"
