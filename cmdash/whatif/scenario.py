"""A scenario: what the settings decide about each manager — assessment rank and the
elimination flag, coaching type, grade verdict, pay — from frames that do not depend on the
settings (cached once per filter change), so a slider re-decides in milliseconds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from cmdash.all_settings import SETTINGS
from cmdash.assessment.score import Components, totals
from cmdash.grades.ladder import Ladder
from cmdash.grades.pay import base_pay, monthly_cost, monthly_revenue
from cmdash.grades.rules import ACTIONS, OFF, Decisions, Reviews, decisions
from cmdash.grades.settings import apply
from cmdash.whatif.layout import NONE, Layout, group_mean, layout


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
    classify_reads: tuple[str, ...] = ("coaching.",)  # prefixes of the settings `classify`
    # reads: the types are kept while none of them moves
    layout: Layout | None = field(default=None, repr=False, compare=False)  # built once
    types: dict = field(default_factory=dict, repr=False, compare=False)  # see _types

    def __post_init__(self) -> None:
        if self.layout is None:  # kept by dataclasses.replace, so built once per baseline
            object.__setattr__(self, "layout", layout(
                self.monthly_kpis.keys, self.ladder, self.ladder_kpis, self.grades,
                self.amounts, self.active, self.start, self.end))


@dataclass(frozen=True)
class Outcome:
    managers: pd.DataFrame  # manager, total, rank, eliminate, type, grade action, pay
    totals: dict[str, float]


def outcome(base: Baseline, settings) -> Outcome:
    """What the settings decide for every manager, from the baseline's arrays alone."""
    lay = base.layout
    assert lay is not None  # set in __post_init__
    total = totals(base.monthly_kpis, settings)
    mean = group_mean(total, lay.month_manager, len(lay.managers))
    scored = lay.month_manager[~np.isnan(total)]
    months = np.bincount(scored[scored != NONE], minlength=len(lay.managers))
    ladder = apply(base.ladder, settings)
    verdicts = _verdicts(lay, ladder, total)
    has = lay.reviewed != NONE  # managers with no complete review get no verdict
    at = np.where(has, lay.reviewed, len(lay.current))  # no review: the padding below
    action = np.array([*ACTIONS, np.nan], dtype=object)[
        np.append(verdicts.action, len(ACTIONS))[at]]
    new = np.append(verdicts.new, OFF)[at]
    ids = np.array([g.id for g in ladder.grades], dtype=object)
    new_grade = np.where(has, np.where(new == OFF, np.append(lay.grades, np.nan)[at],
                                       ids[new]), np.nan)
    pay = np.array([*base_pay(ladder, settings).values(), 0.0])  # OFF (-1) pays nothing
    frame = pd.DataFrame({
        "manager": lay.managers.astype(str),
        "total": mean,
        "rank": pd.Series(mean).rank(ascending=False, method="min").astype("Int64").array,
        "eliminate": _eliminate(mean, months, lay.active, settings),
        "grade_action": pd.array(action, dtype="str"),
        "new_grade": pd.array(new_grade, dtype="str"),
        "pay_cost": np.where(has, monthly_cost(pay[new], mean, settings), np.nan),
        "revenue": np.where(has, monthly_revenue(lay.amounts, base.months, settings), np.nan),
    })
    if base.classify is not None:
        frame["type"] = _types(base, settings)
    summary = {
        "pay_cost": float(frame["pay_cost"].sum()),
        "revenue": float(frame["revenue"].sum()),
        "eliminate": int(frame["eliminate"].sum()),
        "promote": int((frame["grade_action"] == "promote").sum()),
        "demote": int((frame["grade_action"] == "demote").sum()),
        "transfer": int((frame["grade_action"] == "transfer").sum()),
    }
    if "type" in frame:
        summary |= {f"type:{t}": int(n) for t, n in frame["type"].value_counts().items()}
    if base.risk is not None:
        summary |= base.risk(settings)
    return Outcome(frame, summary)


TYPES_KEPT = 8  # classifications a baseline remembers (a page compares two at a time)


def _types(base: Baseline, settings) -> pd.api.extensions.ExtensionArray:
    """Each manager's primary type, classified again only when a setting the hook reads
    moves: a weight, a ladder line or a pay lever leaves the types as they were."""
    assert base.classify is not None and base.layout is not None
    key = (base.classify, tuple(settings[k] for k in _reads(base.classify_reads)))
    hit = base.types.get(key)
    if hit is None:
        hit = base.classify(settings).reindex(base.layout.managers).array
        if len(base.types) >= TYPES_KEPT:
            base.types.clear()  # atomic: sessions share a cached baseline
        base.types[key] = hit
    return hit


@cache
def _reads(prefixes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(k for k in SETTINGS if k.startswith(prefixes))


def _verdicts(lay: Layout, ladder: Ladder, total: np.ndarray) -> Decisions:
    """The ladder rule on the cached review rows, the assessment columns filled with this
    scenario's mean total per manager and review period."""
    values = lay.reviews.values
    if lay.score_columns:
        values = values.copy()
        values[:, lay.score_columns] = group_mean(total, lay.month_review, len(values))[:, None]
    return decisions(ladder, Reviews(values, lay.reviews.columns, lay.reviews.starts),
                     lay.current)


def _eliminate(total: np.ndarray, months: np.ndarray, active: np.ndarray,
               settings) -> np.ndarray:
    """Bottom N % of the active managers scored in enough months, over the range (ties:
    the first in manager order)."""
    eligible = active & (months >= settings["assessment.elimination_min_months"])
    n = int(np.ceil(eligible.sum() * settings["assessment.elimination_pct"] / 100))
    candidates = np.where(eligible, total, np.nan)
    ranked = np.argsort(candidates, kind="stable")[:min(n, int((~np.isnan(candidates)).sum()))]
    out = np.zeros(len(total), dtype=bool)
    out[ranked] = True
    return out


MOVER_FIELDS = ("rank", "eliminate", "type", "grade_action", "new_grade", "pay_cost")
PAY_CHANGE_MIN = 100.0  # 元 per month: smaller pay changes are not listed as moves


def movers(before: Outcome, after: Outcome) -> pd.DataFrame:
    """One row per manager whose rank, flag, type, grade verdict or pay changes."""
    b, a = before.managers, after.managers
    if not b["manager"].equals(a["manager"]):  # outcomes of one baseline share the rows
        a = a.set_index("manager").reindex(b["manager"]).reset_index()
    fields = [f for f in MOVER_FIELDS if f in b and f in a]
    differs = {f: _differs(b[f], a[f]) for f in fields if f != "pay_cost"}
    changed = np.zeros(len(b), dtype=bool)
    for f in fields:
        if f == "pay_cost":
            with np.errstate(invalid="ignore"):
                changed |= np.abs(_floats(b[f]) - _floats(a[f])) >= PAY_CHANGE_MIN
        else:  # a value missing on both sides is no change
            changed |= differs[f] & ~(b[f].isna().to_numpy() & a[f].isna().to_numpy())
    rows = np.flatnonzero(changed)
    # the verdicts that change first, then the biggest rank moves
    flips = sum((differs[f][rows].astype(int) for f in ("eliminate", "type", "grade_action")
                 if f in differs), np.zeros(len(rows), dtype=int))
    jump = np.abs(_floats(b["rank"]) - _floats(a["rank"]))[rows]
    rows = rows[np.lexsort((-jump, -flips))]  # stable; an unranked side sorts last
    out = {"manager": b["manager"].iloc[rows]}
    for f in fields:
        out[f"{f}_before"], out[f"{f}_after"] = b[f].iloc[rows], a[f].iloc[rows]
    out["total_before"], out["total_after"] = b["total"].iloc[rows], a["total"].iloc[rows]
    return pd.DataFrame({k: v.array for k, v in out.items()})


def _differs(old: pd.Series, new: pd.Series) -> np.ndarray:
    """`old != new` as pandas compares objects: a missing value equals nothing."""
    out = old.isna().to_numpy() | new.isna().to_numpy()
    both = ~out
    out[both] = old.to_numpy(dtype=object)[both] != new.to_numpy(dtype=object)[both]
    return out


def _floats(s: pd.Series) -> np.ndarray:
    return s.to_numpy(dtype="float64", na_value=np.nan)


def totals_table(before: Outcome, after: Outcome) -> pd.DataFrame:
    keys = list(dict.fromkeys([*before.totals, *after.totals]))
    return pd.DataFrame({"measure": keys,
                         "before": [before.totals.get(k, 0) for k in keys],
                         "after": [after.totals.get(k, 0) for k in keys]})
