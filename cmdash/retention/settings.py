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
    ("retention.min_history_days", 30, "最少订货历史（天）",
            "Days of orders needed to score at all", 7, 365, 1, "", "default"),
    ("retention.min_training_dates", 4, "缩短预测期时至少训练截面数",
            "Training dates a shortened horizon must still give", 1, 24, 1, "", "default"),
    ("retention.min_horizon_days", 30, "可缩短到的最短预测期（天）",
            "Shortest horizon learned from a short history (days)", 7, 365, 1, "",
            "default"),
    ("retention.min_class_rows", 20, "训练所需最少流失/留存样本",
            "Lost (and kept) training cases needed to learn; else the rhythm score", 5,
            1000, 1, "", "default"),
    ("retention.rhythm_weight.overdue", 0.6, "节奏评分权重 · 超出自身订货周期",
            "Rhythm score weight · overdue against own order rhythm", 0, 1, 0.05, "",
            "default"),
    ("retention.rhythm_weight.frequency", 0.2, "节奏评分权重 · 订货频次低",
            "Rhythm score weight · low order frequency", 0, 1, 0.05, "", "default"),
    ("retention.rhythm_weight.value", 0.2, "节奏评分权重 · 订货量小",
            "Rhythm score weight · low order volume", 0, 1, 0.05, "", "default"),
    ("retention.rhythm_prior_gaps", 2.0, "节奏评分 · 向总体订货周期收缩的先验间隔数",
            "Rhythm score · typical gaps assumed before a customer's own", 0, 20, 0.5, "",
            "default"),
    ("retention.calibration_share", 0.25, "留作概率校准的最近训练截面占比",
            "Share of the latest training dates held out to calibrate", 0.1, 0.5, 0.05, "",
            "default"),
    ("retention.risk_cutoff", 0.3, "高风险阈值", "High-risk cut-off (probability)",
            0.05, 0.95, 0.05, "", "default"),
    ("retention.reason_min_delta", 0.02, "原因最小贡献", "Smallest contribution shown "
            "as a reason (probability)", 0.0, 0.5, 0.01, "", "default"),
    ("retention.visit_lead_days", 7, "高风险客户建议拜访提前天数",
            "Days within which to visit a high-risk customer", 1, 60, 1, "", "default"),
    ("retention.manager_min_leavers", 5, "训练离职模型所需离职人数（少于一把则用规则）",
            "Leavers needed to train the attrition model (fewer: the rule)", 2, 200, 1, "",
            "issue 12: a handful"),
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
