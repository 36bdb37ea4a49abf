"""The retention view's tunable numbers, collected by cmdash.settings.registry.

Plain rows in `cmdash.settings.spec.Setting`'s field order (key, default, zh, en, low, high,
step, unit, source): the registry builds the Settings, so this module imports nothing of
cmdash.settings (which imports it).
"""

from __future__ import annotations

from typing import Any

SETTINGS: tuple[tuple[Any, ...], ...] = (
    ("retention.horizon_days", 90, "流失预测期（天）", "Lapse horizon (days)",
            14, 365, 1, "", "DOMAIN §5 default"),
    ("retention.active_days", 90, "活跃客户：近 N 天有订货", "Active customer: ordered "
            "in the last N days", 14, 365, 1, "", "default"),
    ("retention.recent_days", 60, "近期窗口（天）", "Recent window (days)", 14, 180, 1,
            "", "default"),
    ("retention.base_days", 180, "对比基期（天）", "Comparison window before it (days)",
            30, 365, 1, "", "default"),
    ("retention.handover_days", 120, "换人交接观察期（天）",
            "Manager-change look-back (days)", 30, 365, 1, "", "default"),
    ("retention.training_dates", 12, "训练截面个数", "Training as-of dates", 2, 24, 1,
            "", "default"),
    ("retention.training_step_days", 28, "训练截面间隔（天）",
            "Days between training as-of dates", 7, 120, 1, "", "default"),
    ("retention.risk_cutoff", 0.3, "高风险阈值", "High-risk cut-off (probability)",
            0.05, 0.95, 0.05, "", "default"),
    ("retention.reason_min_delta", 0.02, "原因最小贡献", "Smallest contribution shown "
            "as a reason (probability)", 0.0, 0.5, 0.01, "", "default"),
    ("retention.visit_lead_days", 7, "高风险客户建议拜访提前天数",
            "Days within which to visit a high-risk customer", 1, 60, 1, "", "default"),
    ("retention.manager_min_leavers", 15, "训练离职模型所需离职人数",
            "Leavers needed to train the attrition model", 5, 200, 1, "", "default"),
    ("retention.manager_weight.below_target", 2.0, "权重 · 连续未完成目标",
            "Weight · consecutive months below target", 0, 10, 0.5, "", "DOMAIN §6 default"),
    ("retention.manager_weight.negative_events", 2.0, "权重 · 近期谈话/扣奖/加任务/降级",
            "Weight · recent talks, bonus cuts, quota rises, demotions", 0, 10, 0.5, "",
            "DOMAIN §6 default"),
    ("retention.manager_weight.quota_squeeze", 1.0, "权重 · 任务上调而完成率持平",
            "Weight · quota up with flat attainment", 0, 10, 0.5, "", "DOMAIN §6 default"),
    ("retention.manager_weight.short_tenure", 1.0, "权重 · 入职短且客户少",
            "Weight · short tenure with a small book", 0, 10, 0.5, "", "DOMAIN §6 default"),
    ("retention.manager_weight.after_hours", 0.5, "权重 · 非工作时间作业多",
            "Weight · heavy after-hours activity", 0, 10, 0.5, "", "DOMAIN §6 default"),
    ("retention.manager_weight.fading", 2.0, "权重 · 销量与拜访双降",
            "Weight · falling volume and visits", 0, 10, 0.5, "", "DOMAIN §6 default"),
    ("retention.manager_short_tenure_days", 730, "入职较短（天）",
            "Short tenure (days)", 90, 3650, 30, "", "default"),
)
