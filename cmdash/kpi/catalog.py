"""Every KPI (docs/kpis.md), declared once: pages, CLI and scores look them up by id.

A KPI is `scale × numerator / denominator` (or a plain measure when there is no
denominator; `1 − ratio` when `complement`): it names the two measures it needs, each
declared with its aggregate and fact in `measures.py`. Labels, units and directions live
here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cmdash.i18n import pick
from cmdash.kpi.facts import ON_REQUEST
from cmdash.kpi.measures import MEASURES, inputs

Direction = Literal["higher", "lower", "neutral"]
Group = Literal["result", "process", "voice"]


#: Where rules come from: trade practice as the source notes describe it, or docs/kpis.md.
_TEAM, _SYSTEM, _DUTIES = "tobacco team practice", "manager system", "manager duties"
_TRAINING, _BROKER, _DOCS = "tobacco training", "brokerage practice", "docs/kpis.md"

@dataclass(frozen=True)
class Kpi:
    id: str
    label_zh: str
    label_en: str
    unit: str  # a key of units.UNITS
    direction: Direction  # which way is better, for colours, ranks and scores
    group: Group
    numerator: str  # a measure id
    denominator: str | None = None
    scale: float = 1.0
    complement: bool = False  # 1 − num/den, e.g. forecast accuracy from its error
    note_zh: str = ""
    note_en: str = ""
    source: str = ""  # where the rule comes from (a docs/ page, the contract or trade practice)

    def label(self, lang: str) -> str:
        return pick(self.label_zh, self.label_en, lang)

    @property
    def measures(self) -> tuple[str, ...]:
        return (self.numerator,) + ((self.denominator,) if self.denominator else ())


def _k(*args, **kwargs) -> Kpi:
    return Kpi(*args, **kwargs)


KPIS: dict[str, Kpi] = {
    k.id: k
    for k in (
        # ── results 结果 ──────────────────────────────────────────────────────
        _k("sales_cases", "销量", "Volume", "cases", "higher", "result", "cases",
           note_zh="条数 ÷ 每箱条数（1 标准箱 = 250 条 = 50,000 支），退货为负；只计有每箱条数的"
           "商品，其余见「未折箱销量」", note_en="units ÷ units per case (1 standard case = 250"
           " cartons = 50,000 sticks); returns count negative; only products with a case size,"
           " the rest are in 'Volume not in cases'", source=_TEAM),
        _k("sales_units", "销量（条）", "Volume (units)", "units", "higher", "result", "units",
           note_zh="每个商品按自身单位（条）计，退货为负", note_en="every product in its own"
           " unit (cartons for cigarettes); returns count negative", source="contract"),
        _k("uncased_units", "未折箱销量", "Volume not in cases", "units", "neutral", "result",
           "uncased_units", note_zh="没有每箱条数的商品的销量，按自身单位计，不算入箱数",
           note_en="units of products without a case size: shown in their own unit, never"
           " as cases", source="contract"),
        _k("sales_amount", "销售额", "Sales", "wan_yuan", "higher", "result", "amount",
           scale=1e-4, source=_DOCS),
        _k("value_per_case", "单箱值", "Value per case", "yuan_per_case", "higher", "result",
           "cased_amount", "cases", note_zh="有每箱条数的商品：销售额 ÷ 箱数",
           note_en="products with a case size: their sales ÷ their cases", source=_TEAM),
        _k("cultivation_cases", "培育品牌销量", "Cultivation-brand volume", "cases", "higher",
           "result", "cultivation_cases", source=_TEAM),
        _k("cultivation_share", "培育品牌占比", "Cultivation-brand share", "pct", "higher",
           "result", "cultivation_cases", "cases", scale=100, source=_TEAM),
        _k("cultivation_customers", "培育品牌订货户数", "Retailers ordering cultivation brands",
           "customers", "higher", "result", "cultivation_customers",
           note_zh="本期订过培育品牌的零售户（订货，不等于上柜在售）", note_en="retailers who"
           " ordered a cultivation brand in the period (ordering, not proof it is on the shelf)",
           source=_DOCS),
        _k("cultivation_stockists", "培育品牌上柜户数", "Retailers stocking cultivation brands",
           "customers", "higher", "result", "cultivation_stockists",
           note_zh="经营培育品牌的零售户：本期或此前 60 天（设置）进过培育品牌（按进货推断上柜）",
           note_en="retailers carrying a cultivation brand: supplied one in the period or the"
           " 60 days (a setting) before (stocking inferred from supply)", source=_DOCS),
        # actual against target and the target: the pair target_attainment divides
        _k("target_units_sold", "完成量", "Actual", "units", "higher", "result",
           "target_units_sold", note_zh="有销量目标的经理在有目标的月份的销量（条）",
           note_en="units sold by managers in the months they had a sales target",
           source=_DOCS),
        _k("sales_target", "目标量", "Sales target", "units", "neutral", "result",
           "sales_target", note_zh="各经理月度销量目标（条）之和",
           note_en="the managers' monthly sales targets (units), summed", source="contract"),
        _k("target_attainment", "目标完成率", "Target attainment", "pct", "higher", "result",
           "target_units_sold", "sales_target", scale=100,
           note_zh="当月销量（条）÷ 销量目标（条）", note_en="units sold ÷ sales target (units)",
           source=_DOCS),
        _k("forecast_accuracy", "预测准确率", "Forecast accuracy", "pct", "higher", "result",
           "forecast_abs_error", "forecast_sum", scale=100, complement=True,
           note_zh="1 − Σ|实际 − 预测| ÷ Σ预测（按经理逐月）",
           note_en="1 − Σ|actual − forecast| ÷ Σforecast, manager by month", source=_TEAM),
        _k("active_customers", "有订单客户", "Ordering customers", "customers", "higher",
           "result", "active_customers", source=_DOCS),
        _k("new_customers", "新建客户", "New customers opened", "customers", "higher", "result",
           "new_customers", source=_SYSTEM),
        _k("new_active_customers", "新客户成交", "New customers who ordered", "customers",
           "higher", "result", "new_active_customers", source=_TRAINING),
        _k("new_customer_attainment", "新客户目标完成率", "New-customer attainment", "pct",
           "higher", "result", "new_active_customers", "new_customer_target", scale=100,
           source=_DOCS),
        _k("lost_customers", "流失客户", "Customers lost", "customers", "lower", "result",
           "lost_customers", note_zh="上期有订单、本期无订单", note_en="ordered last period,"
           " not this one", source=_TEAM),
        _k("retention_rate", "客户留存率", "Customer retention", "pct", "higher", "result",
           "retained_customers", "prior_active_customers", scale=100, source=_TEAM),
        _k("top5_share", "前五大客户占比", "Top-5 customers' share", "pct", "lower", "result",
           "top5_amount", "amount", scale=100, source=_TEAM),
        _k("hhi", "客户集中度（HHI）", "Concentration (HHI)", "index", "lower", "result",
           "hhi", source=_TEAM),
        _k("sell_through_rate", "动销率", "Sell-through rate", "pct", "higher", "result",
           "skus_sold", "skus_carried", scale=100,
           note_zh="逐户：本期有进货的规格 ÷ 本期及此前 60 天（设置）进过的规格，再按户加总",
           note_en="per retailer: SKUs supplied in the period ÷ SKUs supplied in it or in the"
           " 60 days (a setting) before, summed over retailers", source="trade practice"),
        _k("order_fill_rate", "订单满足率", "Order fill rate", "pct", "higher", "result",
           "supplied_units", "ordered_units", scale=100,
           note_zh="供货量 ÷ 订货需求量（只计记录了订货需求的订单行）", note_en="units supplied"
           " ÷ units ordered, over lines with a recorded order quantity", source="trade practice"),
        _k("range_listing_rate", "品种上柜率", "Range listing rate", "pct", "higher", "result",
           "core_listed", "core_expected", scale=100,
           note_zh="逐户：所经营的本档位核心规格数 ÷ 核心规格数；核心规格 = 本期该档位至少一半"
           "（设置）零售户在经营的规格；经营 = 本期或此前 60 天有进货", note_en="per retailer:"
           " core SKUs of its 档位 it carries ÷ the core's size; the core = SKUs carried by at"
           " least half (a setting) of the tier's retailers; carried = supplied in the period"
           " or the 60 days before", source="trade practice"),
        _k("return_rate", "退货率", "Return rate", "pct", "lower", "result", "return_cases",
           "gross_cases", scale=100, source="contract"),
        # ── process 过程 ──────────────────────────────────────────────────────
        _k("visits", "拜访次数", "Visits", "visits", "higher", "process", "visits",
           source=_DOCS),
        _k("visits_per_customer", "户均拜访", "Visits per customer", "per_customer", "higher",
           "process", "visits", "book_customers", source=_DOCS),
        _k("coverage", "拜访覆盖率", "Visit coverage", "pct", "higher", "process",
           "customers_visited", "book_customers", scale=100, source=_DOCS),
        _k("on_site_share", "上门拜访占比", "On-site share", "pct", "higher", "process",
           "on_site_visits", "visits", scale=100, source=_BROKER),
        _k("phone_share", "电话拜访占比", "Phone share", "pct", "neutral", "process",
           "phone_visits", "visits", scale=100, source=_BROKER),
        _k("online_share", "网络拜访占比", "Online share", "pct", "neutral", "process",
           "online_visits", "visits", scale=100, source=_BROKER),
        _k("plan_execution", "拜访计划执行率", "Visit-plan execution", "pct", "higher", "process",
           "planned_visits", "visit_target", scale=100, source=_TEAM),
        _k("order_rate", "拜访成交率", "Order rate per visit", "pct", "higher", "process",
           "visits_with_order", "order_flagged", scale=100, source=_DOCS),
        _k("price_tag_pass", "标价签合格率", "Price-tag pass rate", "pct", "higher", "process",
           "price_tags_ok", "price_tag_checks", scale=100, source=_TRAINING),
        _k("display_pass", "陈列合格率", "Display pass rate", "pct", "higher", "process",
           "display_ok", "display_checks", scale=100, source=_TRAINING),
        _k("stock_pass", "库存合理率", "Stock pass rate", "pct", "higher", "process", "stock_ok",
           "stock_checks", scale=100, source=_TRAINING),
        _k("stockout_rate", "断货率", "Stock-out rate", "pct", "lower", "process", "stock_ok",
           "stock_checks", scale=100, complement=True,
           note_zh="拜访库存检查中未达安全库存的占比", note_en="share of visit stock checks"
           " that found stock below the safety level", source="trade practice"),
        _k("info_rate", "信息采集率", "Info collection rate", "pct", "higher", "process",
           "info_collected", "info_flagged", scale=100, source=_DOCS),
        _k("issue_resolution", "问题解决率", "Issue resolution rate", "pct", "higher",
           "process", "issues_resolved", "issues_raised", scale=100, source=_DUTIES),
        _k("log_timeliness", "日志及时率", "Log timeliness", "pct", "higher", "process",
           "logs_on_time", "visits", scale=100, note_zh="拜访后规定时限内提交记录",
           note_en="visit record filed within the set hours", source=_TEAM),
        _k("accompanied_visits", "陪同拜访", "Accompanied visits", "visits", "neutral",
           "process", "accompanied_visits", source=_DUTIES),
        _k("checkin_compliance", "到岗签到率", "Check-in compliance", "pct", "higher",
           "process", "valid_checkin_days", "workdays", scale=100, source=_TEAM),
        _k("early_end_share", "提前离岗签到占比", "Early end-of-day check-ins", "pct", "lower",
           "process", "early_end_checkins", "end_checkins", scale=100, source=_DUTIES),
        _k("inspection_pass_rate", "检查通过率", "Inspection pass rate", "pct", "higher",
           "process", "inspections_passed", "inspections", scale=100, source=_DUTIES),
        # ── customer voice 客户评价 ──────────────────────────────────────────
        _k("mean_rating", "客户评分", "Mean rating", "score", "higher", "voice", "rating_sum",
           "ratings", source=_TEAM),
        _k("complaints_per_100", "百户投诉", "Complaints per 100 customers", "per_100", "lower",
           "voice", "complaints", "book_customers", scale=100, source=_DOCS),
        _k("complaint_resolution_days", "投诉解决天数", "Complaint resolution time", "days",
           "lower", "voice", "resolution_days", "complaints_resolved", source=_DOCS),
        _k("repeat_complainers", "重复投诉客户", "Repeat complainers", "customers", "lower",
           "voice", "repeat_complainers", source=_DOCS),
    )
}

#: The headline set the overview shows first.
OVERVIEW_KPIS = (
    "sales_cases", "sales_amount", "value_per_case", "target_attainment", "active_customers",
    "cultivation_share", "coverage", "mean_rating",
)

#: KPIs read from the by-product scans (each retailer's range): computed when asked for.
RANGE_KPIS = tuple(k.id for k in KPIS.values()
                   if any(MEASURES[m].fact in ON_REQUEST for m in inputs(set(k.measures))))
