"""Pay tiers and what they cost against what the tier's results bring in (DOMAIN §7, the
brokerage example: a team costing over 15万 in six months against under 5万 of net
commission). Base pay comes from the ladder's grades; the variable part and the revenue
rate are settings."""

from __future__ import annotations

import pandas as pd

from cmdash.grades.ladder import Ladder
from cmdash.settings.spec import Setting

PAY_SETTINGS = (
    Setting("pay.bonus_per_point", 40.0, "考核奖励（元/分·月）",
            "Bonus per assessment point above the bar (yuan/month)", 0, 500, 5, "",
            "default"),
    Setting("pay.bonus_bar", 60.0, "考核奖励起点（分）", "Assessment total where the bonus "
            "starts (points)", 0, 100, 1, "", "default"),
    Setting("pay.margin_rate", 0.08, "毛利率（收入占销售额）", "Gross margin kept on sales "
            "(share of amount)", 0.0, 0.5, 0.005, "", "default"),
)


def pay_table(verdicts: pd.DataFrame, ladder: Ladder, scores: pd.Series, amounts: pd.Series,
              months: int, settings) -> pd.DataFrame:
    """Per manager: grade after review, monthly cost (base + bonus) and monthly revenue
    (margin on sales), for the grade now and after the review."""
    base = {g.id: g.base_pay or 0.0 for g in ladder.grades}
    bar, per_point = settings["pay.bonus_bar"], settings["pay.bonus_per_point"]
    out = verdicts[["manager", "grade", "new_grade"]].copy()
    score = out["manager"].map(scores).astype("float64")
    bonus = ((score - bar).clip(lower=0) * per_point).fillna(0)
    out["cost_now"] = out["grade"].map(base).fillna(0) + bonus
    out["cost_after"] = out["new_grade"].map(base).fillna(0) + bonus
    out["revenue"] = out["manager"].map(amounts).astype("float64").fillna(0) * settings[
        "pay.margin_rate"] / max(months, 1)
    return out


def tier_totals(pay: pd.DataFrame) -> pd.DataFrame:
    """Per grade after review: managers, monthly cost and revenue, and revenue per 元 paid."""
    totals = pay.groupby("new_grade").agg(managers=("manager", "size"),
                                          cost=("cost_after", "sum"),
                                          revenue=("revenue", "sum"))
    totals["revenue_per_yuan"] = totals["revenue"] / totals["cost"].where(totals["cost"] > 0)
    return totals.reset_index()
