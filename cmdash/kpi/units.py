"""Units numbers are shown in, declared once; a number on screen always says which one
(条 vs 箱, 元 vs 万元). How a number is written in a unit lives in `cmdash.numbers`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    id: str
    zh: str
    en: str
    decimals: int  # digits after the point, on screen and in exports
    big: str | None = None  # a sum that can grow large: "count" (万/亿 of it) or "wan" (万元→亿元)


UNITS: dict[str, Unit] = {
    u.id: u
    for u in (
        Unit("cases", "箱", "cases", 1, big="count"),
        Unit("units", "条", "units", 0, big="count"),
        Unit("wan_yuan", "万元", "10k yuan", 2, big="wan"),
        Unit("yuan", "元", "yuan", 0, big="count"),
        Unit("yuan_per_case", "元/箱", "yuan/case", 0),
        Unit("pct", "%", "%", 1),
        Unit("pp", "百分点", "pp", 1),
        Unit("customers", "户", "customers", 0),
        Unit("visits", "次", "visits", 0),
        Unit("per_customer", "次/户", "per customer", 2),
        Unit("per_100", "件/百户", "per 100 customers", 2),
        Unit("score", "分", "points", 1),
        Unit("days", "天", "days", 1),
        Unit("index", "指数", "index", 0),
        Unit("ratio", "", "", 2),  # a plain ratio (e.g. ×, a share of 1): no unit word
        Unit("share", "%", "%", 1),  # a fraction of 1 shown as a percentage
        Unit("share_pp", "百分点", "pp", 1),  # a change of a fraction of 1, in points
        Unit("hours", "时", "h", 1),
        Unit("years", "年", "years", 1),
    )
}

#: units stored as a fraction of 1 and written ×100
HUNDREDTHS = frozenset({"share", "share_pp"})

#: the steps a large sum switches to, largest first: (factor, 中文, English)
BIG_STEPS_ZH = ((1e8, "亿"), (1e4, "万"))
BIG_STEPS_EN = ((1e9, "bn"), (1e6, "M"))
