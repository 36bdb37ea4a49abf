"""The coaching settings: the review window, the peer group, and one per type test.

Collected by `cmdash.all_settings`; this module imports only the declaration class.
"""

from __future__ import annotations

from cmdash.coaching.features import FEATURES
from cmdash.coaching.types import TYPES
from cmdash.settings.spec import Setting

PEER_GROUPS = ("all", "region", "district")

GENERAL: tuple[Setting, ...] = (
    Setting("coaching.recent_months", 3, "近期窗口（月）", "Recent window (months)", 1, 6, 1,
            "", "docs/coaching.md"),
    Setting("coaching.base_months", 6, "对比窗口（月）", "Comparison window (months)", 2, 12, 1,
            "", "docs/coaching.md"),
    Setting("coaching.peer_group", "all", "同伴范围", "Peers compared with", choices=PEER_GROUPS,
            source="docs/coaching.md"),
    Setting("coaching.big_tier_pct", 67.0, "大户档位分位", "Large retailers: tier percentile",
            30, 95, 1, "pct", "default"),
    Setting("coaching.new_customer_months", 6, "新户认定（月）", "New retailer: opened within "
            "(months)", 1, 24, 1, "", "default"),
    Setting("coaching.long_gap_days", 45, "长间隔拜访（天）", "Long gap between visits (days)",
            14, 120, 1, "", "default"),
    Setting("coaching.clusters", 8, "聚类数（数据参考）", "Clusters (second opinion)", 2, 20, 1,
            "", "default: seven types and the rest"),
    Setting("coaching.min_strength", 0.45, "最低强度（命中条件的清晰程度）", "Minimum strength "
            "(how clearly the signals show)", 0, 1, 0.05, "", "default: chosen on demo seeds 1–3"),
    Setting("coaching.top_pct", 75.0, "优秀分位（结果与过程）", "Top percentile (results and "
            "process)", 50, 95, 5, "pct", "docs/coaching.md (top quartile)"),
)


def _type_settings() -> list[Setting]:
    out: list[Setting] = []
    for t in TYPES:
        out.append(Setting(f"coaching.{t.id}.min_pass", t.min_pass,
                           f"{t.name_zh} · 至少命中的佐证数", f"{t.name_en} · evidence "
                           "tests to pass", 0, max(len(t.evidence), 1), 1, "", "default"))
        for test in t.tests:
            if test.kind == "peer":
                low, high, step, unit = 1.0, 99.0, 1.0, "pct"
                zh, en = "同伴百分位", "peer percentile"
            else:
                span = max(abs(test.default), 1.0)
                low, high, step, unit = test.default - 10 * span, test.default + 10 * span, \
                    None, ""
                zh, en = "阈值", "threshold"
            feature = FEATURES.get(test.feature)  # its words, never its id, on the page
            name_zh = feature.label_zh if feature else test.feature
            name_en = feature.label_en if feature else test.feature
            out.append(Setting(f"coaching.{t.id}.{test.feature}", float(test.default),
                               f"{t.name_zh} · {name_zh} {zh}",
                               f"{t.name_en} · {name_en} {en}", low, high, step, unit,
                               "docs/coaching.md"))
    return out


COACHING_SETTINGS: tuple[Setting, ...] = (*GENERAL, *_type_settings())
