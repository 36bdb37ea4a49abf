"""Every tunable number in cmdash, in one registry built from the declarations that own them.

Each feature declares its numbers beside its rules (the assessment scheme, the measure
parameters, …); this module collects them with their ranges and labels so files, the CLI
and the What-if page see one list.
"""

from __future__ import annotations

from cmdash.assessment.roster import PEER_GROUPS
from cmdash.assessment.scheme import PARTS
from cmdash.coaching.params import COACHING_SETTINGS
from cmdash.grades.pay import PAY_SETTINGS
from cmdash.grades.settings import ladder_settings
from cmdash.kpi.catalog import KPIS
from cmdash.kpi.wording import TRADES
from cmdash.memo.params import MEMORY_SETTINGS
from cmdash.report.params import SETTINGS as _REPORT
from cmdash.retention.settings import SETTINGS as _RETENTION
from cmdash.settings.spec import Setting
from cmdash.stock.params import STOCK_SETTINGS
from cmdash.tiers import TIER_SETTINGS
from cmdash.views.colours import DISPLAY_SETTINGS

_KPI = (
    Setting("kpi.log_hours", 24, "日志及时时限", "Hours to file a visit log", 1, 168, 1,
            "", "DOMAIN §2 default"),
    Setting("kpi.early_end_hour", 16.0, "提前离岗签到时点", "Early end check-in before (hour)",
            12, 20, 0.5, "", "DOMAIN §2 S2, default"),
    # at least a month: silences shorter than a scanned period are not seen
    Setting("kpi.lost_days", 90, "流失判定天数", "Days without an order before a customer"
            " counts as lost", 31, 365, 1, "days", "DOMAIN §5 default"),
    Setting("kpi.sell_through_days", 60, "动销率回看天数", "Days before a period in which a SKU"
            " supplied counts as carried (sell-through)", 0, 365, 1, "days", "default"),
    Setting("kpi.core_range_share", 0.5, "档位核心规格占比", "Share of a tier's retailers"
            " carrying a SKU that puts it in the tier's core range", 0.1, 1.0, 0.05, "",
            "default"),
)


def _assessment() -> list[Setting]:
    out = []
    for part in PARTS:
        out.append(Setting(f"assessment.weight.{part.id}", float(part.weight),
                           f"权重 · {part.label_zh}", f"Weight · {part.label_en}", 0, 100, 1,
                           "", "DOMAIN §3 default"))
        for c in part.components:
            if c.method == "linear":
                lo, hi = sorted((c.zero, c.full))
                span = max(hi - lo, 1.0)
                low, high = min(0.0, lo - span), hi + span
                kpi = KPIS.get(c.kpi)  # its words, never its id, on the page
                zh, en = (kpi.label_zh, kpi.label_en) if kpi else (c.kpi, c.kpi)
                for end, value in (("zero", c.zero), ("full", c.full)):
                    out.append(Setting(
                        f"assessment.{part.id}.{c.kpi}.{end}", float(value),
                        f"{part.label_zh} · {zh} 计{'0' if end == 'zero' else '满'}分值",
                        f"{part.label_en} · {en} value scoring "
                        f"{'0' if end == 'zero' else '100'}",
                        low, high, None, "", "DOMAIN §3 default"))
    out += [
        Setting("assessment.matrix_split_pct", 50.0, "才德划分百分位",
                "Results-vs-conduct split percentile", 10, 90, 5, "pct", "DOMAIN §3 default"),
        Setting("assessment.elimination_pct", 10.0, "末位淘汰比例", "Bottom share flagged for "
                "elimination review", 0, 50, 1, "pct", "DOMAIN §3 default (N = 10)"),
        Setting("assessment.elimination_min_months", 6, "淘汰评估最少月数",
                "Months scored before the elimination flag", 1, 12, 1, "", "default"),
        # ranking fairness (issue 16): territory-dependent components ranked among peers
        Setting("assessment.peer_group", "district", "单箱值与销量的比较范围",
                "Peers for value per case and volume", choices=PEER_GROUPS,
                source="DOMAIN §3 (territory-dependent KPIs vs peers)"),
        Setting("assessment.peer_min_size", 3, "同伴组最少人数（不足则全公司比较）",
                "Smallest peer group (smaller: ranked company-wide)", 2, 20, 1, "",
                "default"),
        Setting("dataset.trade", "auto", "行业（决定指标用语）", "Trade (decides KPI wording)",
                choices=TRADES, source="auto: tobacco when products give units per case"),
        Setting("assessment.count_window_months", 3, "新客户目标完成率累计月数",
                "Months pooled for new-customer attainment", 1, 12, 1, "", "default"),
    ]
    return out


SETTINGS: dict[str, Setting] = {s.key: s for s in (*_KPI, *_assessment(),
                                                 *(Setting(*row) for row in _RETENTION),
                                                 *(Setting(*row) for row in _REPORT),
                                                 *COACHING_SETTINGS, *STOCK_SETTINGS,
                                                 *PAY_SETTINGS, *ladder_settings(),
                                                 *TIER_SETTINGS, *DISPLAY_SETTINGS,
                                                 *MEMORY_SETTINGS)}
