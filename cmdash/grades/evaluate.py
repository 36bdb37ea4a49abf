"""Every manager against a ladder at the latest review: promote, keep, demote, transfer.

Pure pandas over an indicator table (one row per manager and review period), so moving a
threshold re-evaluates instantly.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cmdash.grades.ladder import Grade, Ladder

ACTIONS = ("promote", "keep", "demote", "grace", "below", "transfer", "not_on_ladder")


def meets(thresholds: dict[str, float], values: dict[str, float]) -> bool:
    """Every indicator at or above its line; a missing value never passes."""
    return all(_ok(values.get(k)) and values[k] >= v for k, v in thresholds.items())


def _ok(v: float | None) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v))


def floor_index(ladder: Ladder) -> int:
    """The lowest grade with a keep line (grades below it are entry grades)."""
    return next((i for i, g in enumerate(ladder.grades) if g.keep), 0)


def supported(ladder: Ladder, values: dict[str, float]) -> int | None:
    """The highest grade whose keep lines the results meet (None: not even the floor's)."""
    best = None
    for i in range(floor_index(ladder), len(ladder.grades)):
        if meets(ladder.grades[i].keep, values):
            best = i
    return best


def margin(thresholds: dict[str, float], values: dict[str, float]) -> tuple[float | None,
                                                                            str | None]:
    """The tightest indicator's relative gap to its line (negative: short of it)."""
    gaps = {k: (values[k] - v) / abs(v) if v else values[k] - v
            for k, v in thresholds.items() if _ok(values.get(k))}
    missing = [k for k in thresholds if not _ok(values.get(k))]
    if missing:
        return None, missing[0]
    if not gaps:
        return None, None
    k = min(gaps, key=gaps.get)
    return gaps[k], k


@dataclass(frozen=True)
class Verdict:
    manager: str
    grade: str
    supported: str | None
    action: str
    new_grade: str
    next_grade: str | None
    to_next: float | None  # relative gap to the next grade's promotion line (<0: short)
    to_next_binding: str | None  # the indicator that gap is about
    to_keep: float | None  # relative headroom over this grade's keep line (<0: below)
    to_keep_binding: str | None
    streak: int  # reviews in a row failing the floor (or, below it, the promotion to it)


def _failing_floor(ladder: Ladder, current: int, values: dict[str, float]) -> bool:
    f = floor_index(ladder)
    if current >= f:
        return not meets(ladder.grades[f].keep, values)
    return ladder.grace_reviews > 0 and not meets(ladder.grades[f].promote, values)


def decide(ladder: Ladder, grade: str, history: list[dict[str, float]],
           manager: str = "") -> Verdict:
    """The verdict at the last review in `history` (oldest first) for someone in `grade`."""
    cur = ladder.index(grade)
    if cur is None or not history:
        return Verdict(manager, grade, None, "not_on_ladder", grade, None, None, None, None,
                       None, 0)
    values = history[-1]
    grades = ladder.grades
    streak = 0
    for past in reversed(history):
        if not _failing_floor(ladder, cur, past):
            break
        streak += 1
    sup = supported(ladder, values)
    new, action = cur, "keep"
    if cur + 1 < len(grades) and meets(grades[cur + 1].promote, values):
        new = cur + 1
        while ladder.skip_levels and new + 1 < len(grades) and meets(grades[new + 1].promote,
                                                                     values):
            new += 1
        action = "promote"
    elif not meets(grades[cur].keep, values) or (streak and cur < floor_index(ladder)):
        if cur <= floor_index(ladder):
            if ladder.transfer_after and streak >= ladder.transfer_after:
                action = "transfer"
            elif streak and streak <= ladder.grace_reviews:
                action = "grace"
            else:
                action = "below"
        else:
            target = sup if ladder.straight_demotion and sup is not None else cur - 1
            new, action = max(min(target, cur - 1), floor_index(ladder)), "demote"
    nxt: Grade | None = grades[cur + 1] if cur + 1 < len(grades) else None
    up, up_k = margin(nxt.promote, values) if nxt else (None, None)
    keep, keep_k = margin(grades[cur].keep, values)
    return Verdict(manager, grade, grades[sup].id if sup is not None else None, action,
                   grades[new].id, nxt.id if nxt else None, up, up_k, keep, keep_k, streak)


def _meets_rows(thresholds: dict[str, float], cols: list[str], matrix: np.ndarray
                ) -> np.ndarray:
    """`meets` for every row at once (a missing value never passes)."""
    ok = np.ones(len(matrix), dtype=bool)
    for name, line in thresholds.items():
        if name not in cols:
            return np.zeros(len(matrix), dtype=bool)
        with np.errstate(invalid="ignore"):
            ok &= matrix[:, cols.index(name)] >= line
    return ok


def evaluate(ladder: Ladder, indicators: pd.DataFrame, grades: dict[str, str]) -> pd.DataFrame:
    """One row per manager: the verdict at the latest review period in `indicators`
    (columns: manager, period, one per ladder indicator). The same rules as `decide`, with
    every line tested on all rows at once (what-if sliders re-run this for every manager)."""
    cols = [c for c in ladder.indicators if c in indicators]
    frame = indicators.sort_values(["manager", "period"], kind="stable")
    managers = frame["manager"].astype(str).to_numpy()
    if not len(managers):
        return pd.DataFrame(columns=[*Verdict.__dataclass_fields__, *[f"value_{c}"
                                                                      for c in cols]])
    matrix = frame[cols].to_numpy(dtype="float64") if cols else np.empty((len(frame), 0))
    keep = np.column_stack([_meets_rows(g.keep, cols, matrix) for g in ladder.grades])
    up = np.column_stack([_meets_rows(g.promote, cols, matrix) for g in ladder.grades])
    f, n = floor_index(ladder), len(ladder.grades)
    starts = [0, *(np.flatnonzero(managers[1:] != managers[:-1]) + 1), len(managers)]
    rows = []
    for a, b in itertools.pairwise(starts):
        m, last = managers[a], b - 1
        grade = grades.get(m, "")
        cur = ladder.index(grade)
        values = dict(zip(cols, matrix[last], strict=True))
        if cur is None:
            v = Verdict(m, grade, None, "not_on_ladder", grade, None, None, None, None, None, 0)
            rows.append({**v.__dict__, **{f"value_{c}": values[c] for c in cols}})
            continue
        failing = ~keep[a:b, f] if cur >= f else (
            ~up[a:b, f] if ladder.grace_reviews > 0 else np.zeros(b - a, dtype=bool))
        ok_at = np.flatnonzero(~failing)
        streak = (b - a) - 1 - (ok_at[-1] if len(ok_at) else -1)
        supported_at = [g for g in range(f, n) if keep[last, g]]
        sup = supported_at[-1] if supported_at else None
        new, action = cur, "keep"
        if cur + 1 < n and up[last, cur + 1]:
            new = cur + 1
            while ladder.skip_levels and new + 1 < n and up[last, new + 1]:
                new += 1
            action = "promote"
        elif not keep[last, cur] or (streak and cur < f):
            if cur <= f:
                if ladder.transfer_after and streak >= ladder.transfer_after:
                    action = "transfer"
                elif streak and streak <= ladder.grace_reviews:
                    action = "grace"
                else:
                    action = "below"
            else:
                target = sup if ladder.straight_demotion and sup is not None else cur - 1
                new, action = max(min(target, cur - 1), f), "demote"
        nxt = ladder.grades[cur + 1] if cur + 1 < n else None
        to_up, up_k = margin(nxt.promote, values) if nxt else (None, None)
        to_keep, keep_k = margin(ladder.grades[cur].keep, values)
        v = Verdict(m, grade, ladder.grades[sup].id if sup is not None else None, action,
                    ladder.grades[new].id, nxt.id if nxt else None, to_up, up_k, to_keep,
                    keep_k, int(streak))
        rows.append({**v.__dict__, **{f"value_{c}": values[c] for c in cols}})
    return pd.DataFrame(rows)
