"""The ladder rule as it was first written: plain Python, one manager and one line at a
time. Kept only as the slow reference the vectorised rule (`cmdash.grades.rules`) is tested
against, so a change to either shows up as a disagreement."""

from __future__ import annotations

import math

from cmdash.grades.ladder import Ladder


def _ok(v: float | None) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v))


def meets(lines: dict[str, float], values: dict[str, float]) -> bool:
    return all(_ok(values.get(k)) and values[k] >= v for k, v in lines.items())


def floor_index(ladder: Ladder) -> int:
    return next((i for i, g in enumerate(ladder.grades) if g.keep), 0)


def margin(lines: dict[str, float], values: dict[str, float]
           ) -> tuple[float | None, str | None]:
    gaps = {k: (values[k] - v) / abs(v) if v else values[k] - v
            for k, v in lines.items() if _ok(values.get(k))}
    missing = [k for k in lines if not _ok(values.get(k))]
    if missing:
        return None, missing[0]
    if not gaps:
        return None, None
    k = min(gaps, key=gaps.get)
    return gaps[k], k


def decide(ladder: Ladder, grade: str, history: list[dict[str, float]]) -> dict:
    """Verdict fields (as in `cmdash.grades.Verdict`, without the manager)."""
    cur, f, grades = ladder.index(grade), floor_index(ladder), ladder.grades
    if cur is None or not history:
        return dict(grade=grade, supported=None, action="not_on_ladder", new_grade=grade,
                    next_grade=None, to_next=None, to_next_binding=None, to_keep=None,
                    to_keep_binding=None, streak=0)
    values = history[-1]

    def failing(past: dict[str, float]) -> bool:
        if cur >= f:
            return not meets(grades[f].keep, past)
        return ladder.grace_reviews > 0 and not meets(grades[f].promote, past)

    streak = 0
    for i in range(len(history) - 1, -1, -1):
        if not failing(history[i]) or (i == 0 and ladder.first_review_optional and cur < f):
            break
        streak += 1
    sup = None
    for i in range(f, len(grades)):
        if meets(grades[i].keep, values):
            sup = i
    new, action = cur, "keep"
    tenure = values.get("tenure_months")
    on_probation = ladder.probation_months is not None and cur < f
    if on_probation:  # time served, not results, lifts an entry grade
        rise = _ok(tenure) and tenure >= ladder.probation_months
    else:
        rise = cur + 1 < len(grades) and meets(grades[cur + 1].promote, values)
    if rise:
        new = f if on_probation else cur + 1
        while ladder.skip_levels and new + 1 < len(grades) and meets(grades[new + 1].promote,
                                                                     values):
            new += 1
        action = "promote"
    elif not meets(grades[cur].keep, values) or (streak and cur < f):
        lowest = f - 1 if ladder.demote_to_entry and f > 0 else f
        if cur < f or (cur == f and lowest == f):
            if ladder.transfer_after and streak >= ladder.transfer_after:
                action = "transfer"
            elif streak and streak <= ladder.grace_reviews:
                action = "grace"
            else:
                action = "below"
        else:
            straight = sup if sup is not None else lowest
            target = straight if ladder.straight_demotion else cur - 1
            new, action = max(min(target, cur - 1), lowest), "demote"
    nxt = grades[cur + 1] if cur + 1 < len(grades) else None
    up, up_k = margin(nxt.promote, values) if nxt else (None, None)
    keep, keep_k = margin(grades[cur].keep, values)
    return dict(grade=grade, supported=grades[sup].id if sup is not None else None,
                action=action, new_grade=grades[new].id, next_grade=nxt.id if nxt else None,
                to_next=up, to_next_binding=up_k, to_keep=keep, to_keep_binding=keep_k,
                streak=streak)
