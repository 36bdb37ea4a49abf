"""A scenario: what the settings decide about each manager — assessment rank and the
elimination flag, coaching type, grade verdict, pay — from frames that do not depend on the
settings (cached once per filter change), so a slider re-decides in milliseconds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cmdash.assessment import score
from cmdash.assessment.score import Components
from cmdash.grades import evaluate
from cmdash.grades.indicators import ASSESSMENT_TOTAL, complete_periods
from cmdash.grades.ladder import Ladder
from cmdash.grades.pay import pay_table
from cmdash.grades.settings import apply
from cmdash.kpi.rollup import regroup


@dataclass(frozen=True)
class Baseline:
    """Everything a scenario needs that no lever changes."""

    monthly_kpis: Components  # manager × month assessment KPIs, ready to score
    ladder: Ladder
    ladder_kpis: pd.DataFrame  # manager × review period: the ladder's KPI-based indicators
    grades: dict[str, str]  # manager -> current grade
    amounts: pd.Series  # manager -> sales amount (元) over the range
    months: int  # months in the range (to make pay and revenue monthly)
    start: pd.Timestamp
    end: pd.Timestamp
    active: frozenset[str]  # still employed: the only ones flagged for elimination review
    classify: Callable[[object], pd.Series] | None = None  # settings -> primary type
    risk: Callable[[object], dict[str, float]] | None = None  # settings -> risk totals
    extras: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    managers: pd.DataFrame  # manager, total, rank, eliminate, type, grade action, pay
    totals: dict[str, float]


def outcome(base: Baseline, settings) -> Outcome:
    scores = score(base.monthly_kpis, settings)
    mean = scores.groupby("manager", observed=True)["total"].mean()
    months = scores.dropna(subset=["total"]).groupby("manager", observed=True).size()
    frame = pd.DataFrame({"total": mean}).reindex(sorted(set(mean.index)))
    frame["rank"] = frame["total"].rank(ascending=False, method="min").astype("Int64")
    frame["eliminate"] = _eliminate(frame["total"], months, base.active, settings)
    ladder = apply(base.ladder, settings)
    indicators = _indicators(base, ladder, scores)
    verdicts = evaluate(ladder, indicators, base.grades).set_index("manager")
    frame["grade_action"] = verdicts["action"].reindex(frame.index)
    frame["new_grade"] = verdicts["new_grade"].reindex(frame.index)
    pay = pay_table(verdicts.reset_index(), ladder, mean, base.amounts, base.months,
                    settings).set_index("manager")
    frame["pay_cost"] = pay["cost_after"].reindex(frame.index)
    frame["revenue"] = pay["revenue"].reindex(frame.index)
    if base.classify is not None:
        frame["type"] = base.classify(settings).reindex(frame.index)
    totals = {
        "pay_cost": float(frame["pay_cost"].sum()),
        "revenue": float(frame["revenue"].sum()),
        "eliminate": int(frame["eliminate"].sum()),
        "promote": int((frame["grade_action"] == "promote").sum()),
        "demote": int((frame["grade_action"] == "demote").sum()),
        "transfer": int((frame["grade_action"] == "transfer").sum()),
    }
    if "type" in frame:
        totals |= {f"type:{t}": int(n) for t, n in frame["type"].value_counts().items()}
    if base.risk is not None:
        totals |= base.risk(settings)
    return Outcome(frame.rename_axis("manager").reset_index(), totals)


def _eliminate(total: pd.Series, months: pd.Series, active: frozenset[str],
               settings) -> pd.Series:
    """Bottom N % of the active managers scored in enough months, over the range."""
    eligible = total.index.isin(list(active)) & (
        months.reindex(total.index).fillna(0) >= settings["assessment.elimination_min_months"])
    ranked = total.where(eligible).rank(method="first")
    n = int(np.ceil(eligible.sum() * settings["assessment.elimination_pct"] / 100))
    return (ranked <= n).fillna(False).astype(bool)


def _indicators(base: Baseline, ladder: Ladder, scores: pd.DataFrame) -> pd.DataFrame:
    out = base.ladder_kpis
    for ind in ladder.indicators.values():
        if ind.kpi == ASSESSMENT_TOTAL:
            s = scores.assign(period=regroup(scores["period"], ladder.review, base.start))
            per = s.groupby(["manager", "period"], observed=True)["total"].mean().rename(
                ind.id).reset_index().astype({"manager": str})
            per = complete_periods(per, ladder.review, base.end)
            out = per if out.empty else out.merge(per, on=["manager", "period"], how="outer")
    return out


MOVER_FIELDS = ("rank", "eliminate", "type", "grade_action", "new_grade", "pay_cost")
PAY_CHANGE_MIN = 100.0  # 元 per month: smaller pay changes are not listed as moves


def movers(before: Outcome, after: Outcome) -> pd.DataFrame:
    """One row per manager whose rank, flag, type, grade verdict or pay changes."""
    b = before.managers.set_index("manager")
    a = after.managers.set_index("manager").reindex(b.index)
    changed = pd.Series(False, index=b.index)
    out = pd.DataFrame(index=b.index)
    for f in MOVER_FIELDS:
        if f not in b or f not in a:
            continue
        old, new = b[f], a[f]
        diff = (old.astype("object") != new.astype("object")) & ~(old.isna() & new.isna())
        if f == "pay_cost":
            diff = (old - new).abs() >= PAY_CHANGE_MIN
        changed |= diff.fillna(False)
        out[f"{f}_before"], out[f"{f}_after"] = old, new
    out["total_before"], out["total_after"] = b["total"], a["total"]
    out = out[changed]
    # the verdicts that change first, then the biggest rank moves
    flips = sum((out[f"{f}_before"].astype("object") != out[f"{f}_after"].astype("object"))
                .astype(int) for f in ("eliminate", "type", "grade_action")
                if f"{f}_before" in out)
    jump = (out["rank_before"].astype("float64") - out["rank_after"].astype("float64")).abs()
    order = pd.DataFrame({"flips": flips, "jump": jump}).sort_values(
        ["flips", "jump"], ascending=False).index
    return out.loc[order].reset_index()


def totals_table(before: Outcome, after: Outcome) -> pd.DataFrame:
    keys = list(dict.fromkeys([*before.totals, *after.totals]))
    return pd.DataFrame({"measure": keys,
                         "before": [before.totals.get(k, 0) for k in keys],
                         "after": [after.totals.get(k, 0) for k in keys]})
