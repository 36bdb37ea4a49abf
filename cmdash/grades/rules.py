"""A ladder's review rule, stated once over arrays: every manager's verdict at the latest
review from their review rows. `decide` (one manager), `evaluate` (a table) and the what-if
(every slider move) all call it, so numpy throughout, never a loop over managers.

The rule: promote when the next grade's promotion lines are all met (an entry grade with a
probation: once the probation months are served, to the lowest graded grade) (further while
`skip_levels` and the one after is met too); otherwise, short of this grade's keep lines (or
below the floor grade and failing in a row), the bottom grades get transfer / grace / below
and the others a demotion (one grade, or straight to the supported grade, or to the lowest
graded one when none is supported). With `demote_to_entry` the lowest graded grade is
demoted to the entry grade below it, and only entry grades get grace and transfer; with
`first_review_optional` an entry grade's first review never counts as a failure. A missing
value never meets a line.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cmdash.grades.ladder import Ladder

ACTIONS = ("promote", "keep", "demote", "grace", "below", "transfer", "not_on_ladder")
PROMOTE, KEEP, DEMOTE, GRACE, BELOW, TRANSFER, NOT_ON_LADDER = range(len(ACTIONS))
OFF = -1  # grade index of a grade that is not on the ladder (and "no grade" elsewhere)
TENURE = "tenure_months"  # the indicator a probation rule reads


@dataclass(frozen=True)
class Reviews:
    """Review rows sorted by manager, then period: indicator values and where each
    manager's rows start (settings-independent, so the what-if builds it once)."""

    values: np.ndarray  # rows × columns, float64; NaN is a missing value
    columns: tuple[str, ...]  # indicator ids of the value columns
    starts: np.ndarray  # first row of each manager, then the number of rows

    @property
    def last(self) -> np.ndarray:
        """Each manager's latest review row."""
        return self.starts[1:] - 1

    def column(self, name: str, rows: np.ndarray) -> np.ndarray:
        """An indicator at the given rows (all missing if the table lacks it)."""
        if name not in self.columns:
            return np.full(len(rows), np.nan)
        return self.values[rows, self.columns.index(name)]


@dataclass(frozen=True)
class Decisions:
    """Per manager: the grade index the results support, the action and the grade after
    the review (OFF: not on the ladder), and reviews in a row failing the floor."""

    supported: np.ndarray
    action: np.ndarray  # index into ACTIONS
    new: np.ndarray
    streak: np.ndarray


def floor_index(ladder: Ladder) -> int:
    """The lowest grade with a keep line (grades below it are entry grades)."""
    return next((i for i, g in enumerate(ladder.grades) if g.keep), 0)


def lines_met(lines: dict[str, float], reviews: Reviews) -> np.ndarray:
    """Per review row: every line met (a missing value, or indicator, never passes)."""
    ok = np.ones(len(reviews.values), dtype=bool)
    for name, line in lines.items():
        if name not in reviews.columns:
            return np.zeros(len(reviews.values), dtype=bool)
        with np.errstate(invalid="ignore"):
            ok &= reviews.values[:, reviews.columns.index(name)] >= line
    return ok


def _streak(failing: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Per manager: failing rows in a row up to the latest."""
    sizes = np.diff(starts)
    before_first = np.repeat(starts[:-1] - 1, sizes)  # "no passing row yet" marker
    last_ok = np.maximum.accumulate(np.where(failing, before_first, np.arange(len(failing))))
    last = starts[1:] - 1
    return last - last_ok[last]


def decisions(ladder: Ladder, reviews: Reviews, current: np.ndarray) -> Decisions:
    """The verdict for every manager; `current`: each one's grade index (OFF if none)."""
    n, f = len(ladder.grades), floor_index(ladder)
    on = current != OFF
    cur = np.where(on, current, f)
    keep = np.column_stack([lines_met(g.keep, reviews) for g in ladder.grades])
    up = np.column_stack([lines_met(g.promote, reviews) for g in ladder.grades])
    rows = np.repeat(cur, np.diff(reviews.starts))
    if ladder.grace_reviews > 0:
        failing = np.where(rows >= f, ~keep[:, f], ~up[:, f])
    else:
        failing = (rows >= f) & ~keep[:, f]
    if ladder.first_review_optional:  # an entry grade's first review may be skipped
        first = reviews.starts[:-1]
        failing[first] &= rows[first] >= f
    streak = np.where(on, _streak(failing, reviews.starts), 0)
    keep, up = keep[reviews.last], up[reviews.last]
    who = np.arange(len(cur))

    supported = np.full(len(cur), OFF)
    for g in range(f, n):
        supported = np.where(keep[:, g], g, supported)

    def meets_up(grade: np.ndarray) -> np.ndarray:
        return (grade < n) & up[who, np.minimum(grade, n - 1)]

    promote = meets_up(cur + 1)
    if ladder.probation_months is not None:  # entry grades: time, not results, moves them
        tenure = reviews.column(TENURE, reviews.last)
        with np.errstate(invalid="ignore"):
            served = (cur < f) & (tenure >= ladder.probation_months)
        promote = np.where(cur < f, served, promote)
        risen = np.where(served, f, cur + promote)  # to the lowest graded grade first
    else:
        risen = cur + promote
    while ladder.skip_levels and (step := promote & meets_up(risen + 1)).any():
        risen = risen + step
    short = ~keep[who, cur] | ((streak > 0) & (cur < f))
    transfer = (streak >= ladder.transfer_after if ladder.transfer_after
                else np.zeros(len(cur), dtype=bool))
    bottom = np.select([transfer, (streak > 0) & (streak <= ladder.grace_reviews)],
                       [TRANSFER, GRACE], BELOW)
    lowest = f - 1 if ladder.demote_to_entry and f > 0 else f
    # straight demotion: to the grade the results support, or the lowest graded one if none
    target = np.where(ladder.straight_demotion, np.where(supported != OFF, supported, lowest),
                      cur - 1)
    demoted = np.maximum(np.minimum(target, cur - 1), lowest)
    at_bottom = cur < f if ladder.demote_to_entry and f > 0 else cur <= f
    action = np.select([~on, promote, short & at_bottom, short],
                       [NOT_ON_LADDER, PROMOTE, bottom, DEMOTE], KEEP)
    new = np.select([~on, promote, short & ~at_bottom], [OFF, risen, demoted], cur)
    return Decisions(np.where(on, supported, OFF), action, new, streak)


def gaps(lines: list[dict[str, float]], grade: np.ndarray, reviews: Reviews,
         rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per manager, against the lines of grade `grade[i]` (OFF: none) at review row
    `rows[i]`: the tightest line's relative gap (negative: short of it; NaN when a value is
    missing or there are no lines) and the binding indicator (the first missing one, else
    the tightest; None when there are no lines)."""
    gap = np.full(len(grade), np.nan)
    binding = np.full(len(grade), None, dtype=object)
    for g, table in enumerate(lines):
        who = np.flatnonzero(grade == g)
        if not len(who) or not table:
            continue
        names = np.array(list(table), dtype=object)
        x = np.column_stack([reviews.column(k, rows[who]) for k in table])
        line = np.array(list(table.values()), dtype="float64")
        with np.errstate(invalid="ignore", divide="ignore"):
            d = np.where(line != 0, (x - line) / np.abs(line), x - line)
        missing = np.isnan(x)
        tight = np.where(missing, np.inf, d).argmin(axis=1)
        lacking = missing.any(axis=1)
        gap[who] = np.where(lacking, np.nan, d[np.arange(len(who)), tight])
        binding[who] = names[np.where(lacking, missing.argmax(axis=1), tight)]
    return gap, binding
