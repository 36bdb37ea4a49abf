"""Column headers and value text for KPIs: label plus unit, in the viewer's language."""

from __future__ import annotations

import functools

from cmdash.i18n import t
from cmdash.kpi.catalog import KPIS
from cmdash.kpi.wording import kpi_label
from cmdash.numbers import format_value, unit_word


def kpi_header(kpi_id: str, lang: str, trade: str = "general") -> str:
    """`销量（箱）` / `Volume (cases)`: a number never appears without its unit; the label in
    the dataset's trade's words (`cmdash.kpi.wording`)."""
    k = KPIS[kpi_id]
    unit = unit_word(k.unit, lang)
    label = kpi_label(kpi_id, lang, trade)
    return t("text.with_detail", lang, text=label, detail=unit)


def kpi_text(kpi_id: str, value: float | None, lang: str, with_unit: bool = True) -> str:
    return format_value(value, KPIS[kpi_id].unit, lang, with_unit)


@functools.cache
def _grade_names() -> dict[str, str]:
    """Grade id → English name, from the ladders cmdash ships (见习 → Trainee)."""
    from cmdash.grades import shipped

    return {g.id: g.label_en for ladder in shipped().values() for g in ladder.grades
            if g.label_en}


def grade_label(grade, lang: str):
    """A grade as the viewer reads it: the English name on English pages where a shipped
    ladder gives one; otherwise as stored."""
    if lang != "en" or not isinstance(grade, str):
        return grade
    return _grade_names().get(grade, grade)
