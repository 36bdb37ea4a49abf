"""Units KPIs are shown in; a number on screen always says which one (条 vs 箱, 元 vs 万元)."""

from __future__ import annotations

from dataclasses import dataclass

from cmdash.i18n import pick


@dataclass(frozen=True)
class Unit:
    id: str
    zh: str
    en: str
    fmt: str  # Python format spec for display


UNITS: dict[str, Unit] = {
    u.id: u
    for u in (
        Unit("cases", "箱", "cases", ",.1f"),
        Unit("units", "条", "units", ",.0f"),
        Unit("wan_yuan", "万元", "10k yuan", ",.2f"),
        Unit("yuan", "元", "yuan", ",.0f"),
        Unit("yuan_per_case", "元/箱", "yuan/case", ",.0f"),
        Unit("pct", "%", "%", ".1f"),
        Unit("customers", "户", "customers", ",.0f"),
        Unit("visits", "次", "visits", ",.0f"),
        Unit("per_customer", "次/户", "per customer", ".2f"),
        Unit("per_100", "件/百户", "per 100 customers", ".2f"),
        Unit("score", "分", "points", ".2f"),
        Unit("days", "天", "days", ".1f"),
        Unit("index", "指数", "index", ",.0f"),
    )
}


def format_value(value: float | None, unit: str, lang: str = "zh", with_unit: bool = True) -> str:
    """`12.5 %` / `1,234 箱`; a missing value is a dash, never 0."""
    import math

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    u = UNITS[unit]
    text = format(value, u.fmt)
    if not with_unit:
        return text
    label = pick(u.zh, u.en, lang)
    return f"{text}{label}" if unit == "pct" else f"{text} {label}"
