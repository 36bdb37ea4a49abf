"""The monthly 100-point assessment (月度工作百分制, docs/assessment.md) declared as data.

Six parts, each the mean of its components' 0–100 scores, weighted into a 0–100 total.
A component maps one KPI to 0–100: `linear` from `zero` (scores 0) to `full` (scores 100),
capped; `zero > full` for lower-is-better KPIs; `peer` is the percentile among peers in the
same period and peer group (for KPIs whose level depends on the territory: volume, 单箱值,
cultivation share; the group is the `assessment.peer_group` setting). Every number is a
setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cmdash.i18n import pick


@dataclass(frozen=True)
class Component:
    kpi: str
    method: Literal["linear", "peer"]
    zero: float = 0.0  # KPI value that scores 0 (linear)
    full: float = 100.0  # KPI value that scores 100 (linear)


@dataclass(frozen=True)
class Part:
    id: str
    number: str  # ①…⑥, as the source numbers them
    label_zh: str
    label_en: str
    weight: float  # default weight (the six sum to 100)
    side: Literal["talent", "virtue"]  # 才 (results) or 德 (process and customer voice)
    components: tuple[Component, ...]

    def label(self, lang: str) -> str:
        return pick(self.label_zh, self.label_en, lang)


PARTS: tuple[Part, ...] = (
    Part("results", "①", "经济运行业绩", "Operating results", 20, "talent", (
        Component("target_attainment", "linear", 60, 100),
        Component("sales_cases", "peer"),
        Component("value_per_case", "peer"),
        Component("cultivation_share", "peer"),
    )),
    Part("forecast", "②", "销售预测业绩", "Forecast accuracy", 10, "talent", (
        # 100 at an exact forecast, 0 at 20 % error (most managers forecast within 5 %:
        # a 50→95 line gave nearly everyone 100 and separated nobody)
        Component("forecast_accuracy", "linear", 80, 100),
    )),
    Part("customers", "③", "客户管理", "Customer management", 25, "virtue", (
        Component("coverage", "linear", 40, 95),
        Component("retention_rate", "linear", 70, 98),
        Component("new_customer_attainment", "linear", 0, 100),
    )),
    Part("service", "④", "营销服务", "Marketing service", 25, "virtue", (
        Component("order_rate", "linear", 20, 80),
        Component("price_tag_pass", "linear", 60, 98),
        Component("display_pass", "linear", 60, 98),
        Component("stock_pass", "linear", 60, 98),
        Component("mean_rating", "linear", 3.0, 4.8),
        Component("complaints_per_100", "linear", 5.0, 0.0),
    )),
    Part("compliance", "⑤", "制度执行", "Compliance with rules", 10, "virtue", (
        Component("plan_execution", "linear", 60, 100),
        Component("checkin_compliance", "linear", 60, 98),
        Component("inspection_pass_rate", "linear", 50, 100),
    )),
    Part("records", "⑥", "基础资料管理", "Record keeping", 10, "virtue", (
        Component("log_timeliness", "linear", 60, 98),
        Component("info_rate", "linear", 50, 95),
    )),
)

#: 才德 matrix cells (docs/assessment.md): (talent high?, virtue high?) -> id, zh, en, advice
MATRIX: dict[tuple[bool, bool], tuple[str, str, str]] = {
    (True, True): ("rely", "有才有德 · 重用", "Able and sound · rely on"),
    (False, True): ("steady_use", "有德无才 · 平用", "Sound, less able · use as is"),
    (True, False): ("do_not_use", "有才无德 · 不用", "Able, not sound · do not use"),
    # the source names three cells; the fourth's wording is ours
    (False, False): ("develop", "德才待提升 · 帮扶", "Both to develop · support"),
}

ASSESSMENT_KPIS = tuple(dict.fromkeys(c.kpi for p in PARTS for c in p.components))
