"""Which settings the What-if page offers, grouped as the page shows them."""

from __future__ import annotations

from cmdash.all_settings import SETTINGS

#: (group id, 中文, English, key prefixes in the group)
GROUPS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("assessment", "考核权重与计分", "Assessment weights and mapping",
     ("assessment.weight.", "assessment.matrix", "assessment.elimination")),
    ("mapping", "计分线", "Scoring lines", ("assessment.",)),
    ("coaching", "分型阈值", "Coaching thresholds", ("coaching.",)),
    ("ladder", "职级线", "Grade lines", ("ladder.",)),
    ("pay", "薪酬与收入", "Pay and revenue", ("pay.",)),
    ("risk", "流失风险", "Lapse and attrition risk", ("retention.",)),
    ("stock", "安全库存", "Safety stock", ("stock.",)),
    ("kpi", "指标口径", "KPI definitions", ("kpi.", "dataset.")),
)


def grouped() -> dict[str, list[str]]:
    """Every setting in exactly one group (the first whose prefix matches)."""
    out: dict[str, list[str]] = {g: [] for g, *_ in GROUPS}
    for key in SETTINGS:
        for g, _, _, prefixes in GROUPS:
            if key.startswith(prefixes):
                out[g].append(key)
                break
    return out


WEIGHT_PREFIX = "assessment.weight."
WEIGHT_TOTAL = 100.0  # the parts' weights are meant to add up to this


def weight_total(settings) -> float | None:
    """The assessment parts' weights added up, or None when they add up to 100. The score
    divides by the sum, so other totals still work, but 30 of 120 then weighs 25%, not 30%."""
    total = sum(float(settings[k]) for k in SETTINGS if k.startswith(WEIGHT_PREFIX))
    return None if abs(total - WEIGHT_TOTAL) < 1e-9 else total
