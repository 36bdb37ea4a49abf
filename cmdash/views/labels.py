"""Column headers and value text for KPIs: label plus unit, in the viewer's language."""

from __future__ import annotations

from cmdash.kpi.catalog import KPIS
from cmdash.kpi.wording import kpi_label
from cmdash.numbers import format_value, unit_word


def kpi_header(kpi_id: str, lang: str, trade: str = "general") -> str:
    """`销量（箱）` / `Volume (cases)`: a number never appears without its unit; the label in
    the dataset's trade's words (`cmdash.kpi.wording`)."""
    k = KPIS[kpi_id]
    unit = unit_word(k.unit, lang)
    label = kpi_label(kpi_id, lang, trade)
    return f"{label}（{unit}）" if lang == "zh" else f"{label} ({unit})"


def kpi_text(kpi_id: str, value: float | None, lang: str, with_unit: bool = True) -> str:
    return format_value(value, KPIS[kpi_id].unit, lang, with_unit)
