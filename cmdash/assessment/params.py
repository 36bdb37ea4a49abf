"""The assessment's tunable numbers: part weights, each linear component's 0- and
100-point values (from the scheme), and the ranking rules. Collected by
`cmdash.all_settings`."""

from __future__ import annotations

from cmdash.assessment.roster import PEER_GROUPS
from cmdash.assessment.scheme import PARTS
from cmdash.kpi.catalog import KPIS
from cmdash.settings.spec import Setting


def _assessment_settings() -> list[Setting]:
    out = []
    for part in PARTS:
        out.append(Setting(f"assessment.weight.{part.id}", float(part.weight),
                           f"权重 · {part.label_zh}", f"Weight · {part.label_en}", 0, 100, 1,
                           "", "docs/assessment.md"))
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
                        low, high, None, "", "docs/assessment.md"))
    out += [
        Setting("assessment.matrix_split_pct", 50.0, "才德划分百分位",
                "Results-vs-conduct split percentile", 10, 90, 5, "pct", "docs/assessment.md"),
        Setting("assessment.elimination_pct", 10.0, "末位淘汰比例", "Bottom share flagged for "
                "elimination review", 0, 50, 1, "pct", "docs/assessment.md (N = 10)"),
        Setting("assessment.elimination_min_months", 6, "淘汰评估最少月数",
                "Months scored before the elimination flag", 1, 12, 1, "", "default"),
        # ranking fairness: territory-dependent components ranked among peers
        Setting("assessment.peer_group", "district", "单箱值与销量的比较范围",
                "Peers for value per case and volume", choices=PEER_GROUPS,
                source="docs/assessment.md (territory-dependent KPIs vs peers)"),
        Setting("assessment.peer_min_size", 3, "同伴组最少人数（不足则全公司比较）",
                "Smallest peer group (smaller: ranked company-wide)", 2, 20, 1, "",
                "default"),
        Setting("assessment.count_window_months", 3, "新客户目标完成率累计月数",
                "Months pooled for new-customer attainment", 1, 12, 1, "", "default"),
    ]
    return out


ASSESSMENT_SETTINGS: tuple[Setting, ...] = tuple(_assessment_settings())
