"""Pay tiers and what they cost against what the tier's results bring in (docs/ladders.md, the
brokerage example: a team costing over 15万 in six months against under 5万 of net
commission). Base pay comes from the ladder's grades; the variable part and the revenue
rate are settings."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cmdash.grades.ladder import Ladder
from cmdash.settings.spec import Setting

PAY_SETTINGS = (
    Setting("pay.bonus_per_point", 40.0, "考核奖励（元/分·月）",
            "Bonus per assessment point above the bar (yuan/month)", 0, 500, 5, "",
            "default"),
    Setting("pay.bonus_bar", 60.0, "考核奖励起点（分）", "Assessment total where the bonus "
            "starts (points)", 0, 100, 1, "", "default"),
    Setting("pay.social_insurance", 1000.0, "五险一金（单位缴纳，元/人·月）",
            "Social insurance and housing fund (employer, yuan per person-month)", 0, 5000,
            50, "", "S4: paid once on a formal contract; the amount is ours, set your own"),
    Setting("pay.margin_rate", 0.08, "毛利率（收入占销售额）", "Gross margin kept on sales "
            "(share of amount)", 0.0, 0.5, 0.005, "", "default"),
)


def base_pay(ladder: Ladder, settings=None) -> dict[str, float]:
    """Grade -> monthly fixed cost: base pay (a grade without one, or off the ladder, pays
    0), plus 五险一金 for grades on a formal contract when settings are given."""
    social = settings["pay.social_insurance"] if settings is not None else 0.0
    return {g.id: (g.base_pay or 0.0) + (social if g.formal_contract else 0.0)
            for g in ladder.grades}


def monthly_cost(base: np.ndarray, score: np.ndarray, settings) -> np.ndarray:
    """Base pay plus the bonus per assessment point above the bar (no score: no bonus)."""
    bonus = np.clip(score - settings["pay.bonus_bar"], 0, None) * settings["pay.bonus_per_point"]
    return base + np.where(np.isnan(bonus), 0.0, bonus)


def monthly_revenue(amount: np.ndarray, months: int, settings) -> np.ndarray:
    """The margin kept on the range's sales, per month (no sales: none)."""
    return np.where(np.isnan(amount), 0.0, amount) * settings["pay.margin_rate"] / max(
        months, 1)


def pay_table(verdicts: pd.DataFrame, ladder: Ladder, scores: pd.Series, amounts: pd.Series,
              months: int, settings) -> pd.DataFrame:
    """Per manager: grade after review, monthly cost (base + bonus) and monthly revenue
    (margin on sales), for the grade now and after the review."""
    base = base_pay(ladder, settings)
    out = verdicts[["manager", "grade", "new_grade"]].copy()
    score = out["manager"].map(scores).to_numpy(dtype="float64", na_value=np.nan)
    for col, grade in (("cost_now", "grade"), ("cost_after", "new_grade")):
        out[col] = monthly_cost(out[grade].map(base).fillna(0).to_numpy("float64"), score,
                                settings)
    out["revenue"] = monthly_revenue(out["manager"].map(amounts).to_numpy(
        dtype="float64", na_value=np.nan), months, settings)
    return out
