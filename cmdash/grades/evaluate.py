"""Every manager against a ladder at the latest review: promote, keep, demote, transfer.

`decide` (one manager's history) and `evaluate` (an indicator table) are two ways in to the
same rule (`cmdash.grades.rules`), with the margins to the next and the current grade's lines.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cmdash.grades.ladder import Ladder
from cmdash.grades.rules import ACTIONS, OFF, Decisions, Reviews, decisions, gaps

__all__ = ["ACTIONS", "Verdict", "action_label", "decide", "evaluate", "reviews_of"]


def action_label(action: object, lang: str) -> object:
    """A verdict in words (labels.py `grades.action.*`); anything else as it is."""
    from cmdash.i18n import t

    return t(f"grades.action.{action}", lang) if action in ACTIONS else action


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


def grade_indexes(ladder: Ladder, grades: list[str]) -> np.ndarray:
    """Each grade's index on the ladder (OFF when it is not on it)."""
    where = {g.id: i for i, g in enumerate(ladder.grades)}
    return np.array([where.get(g, OFF) for g in grades], dtype=np.int64)


def _ids(ladder: Ladder, index: np.ndarray) -> np.ndarray:
    """Grade ids for indexes, None for OFF."""
    ids = np.array([g.id for g in ladder.grades] + [None], dtype=object)
    return ids[np.where(index == OFF, len(ladder.grades), index)]


def _table(ladder: Ladder, reviews: Reviews, managers: np.ndarray, grades: list[str]
           ) -> dict[str, np.ndarray | list]:
    """The verdict columns (Verdict's fields), one entry per manager."""
    current = grade_indexes(ladder, grades)
    d: Decisions = decisions(ladder, reviews, current)
    n, last = len(ladder.grades), reviews.last
    nxt = np.where((current != OFF) & (current + 1 < n), current + 1, OFF)
    to_next, next_k = gaps([g.promote for g in ladder.grades], nxt, reviews, last)
    to_keep, keep_k = gaps([g.keep for g in ladder.grades], current, reviews, last)
    return {"manager": managers, "grade": np.array(grades, dtype=object),
            "supported": _ids(ladder, d.supported),
            "action": np.array(ACTIONS, dtype=object)[d.action],
            "new_grade": np.where(d.new == OFF, np.array(grades, dtype=object),
                                  _ids(ladder, d.new)),
            "next_grade": _ids(ladder, nxt), "to_next": to_next, "to_next_binding": next_k,
            "to_keep": to_keep, "to_keep_binding": keep_k, "streak": d.streak}


def decide(ladder: Ladder, grade: str, history: list[dict[str, float]],
           manager: str = "") -> Verdict:
    """The verdict at the last review in `history` (oldest first) for someone in `grade`."""
    if ladder.index(grade) is None or not history:
        return Verdict(manager, grade, None, "not_on_ladder", grade, None, None, None, None,
                       None, 0)
    columns = tuple(dict.fromkeys([*ladder.indicators, *(k for g in ladder.grades
                                                         for k in (*g.promote, *g.keep))]))
    values = np.array([[_number(row.get(c)) for c in columns] for row in history],
                      dtype="float64").reshape(len(history), len(columns))
    reviews = Reviews(values, columns, np.array([0, len(history)]))
    row = {k: v[0] for k, v in _table(ladder, reviews, np.array([manager], dtype=object),
                                      [grade]).items()}
    for k in ("to_next", "to_keep"):
        row[k] = None if np.isnan(row[k]) else float(row[k])
    return Verdict(**{**row, "streak": int(row["streak"])})


def _number(v: object) -> float:
    return np.nan if v is None else float(v)  # type: ignore[arg-type]


def reviews_of(indicators: pd.DataFrame, columns: list[str]) -> tuple[Reviews, np.ndarray]:
    """An indicator table (manager, period, indicators) as review rows, and the managers in
    row-block order."""
    frame = indicators.sort_values(["manager", "period"], kind="stable")
    managers = frame["manager"].astype(str).to_numpy(dtype=object)
    values = frame[columns].to_numpy(dtype="float64") if columns else np.empty(
        (len(frame), 0))
    starts = np.flatnonzero(np.r_[True, managers[1:] != managers[:-1], True]) if len(
        managers) else np.zeros(1, dtype=np.int64)
    return Reviews(values, tuple(columns), starts), managers[starts[:-1]]


def evaluate(ladder: Ladder, indicators: pd.DataFrame, grades: dict[str, str]) -> pd.DataFrame:
    """One row per manager: the verdict at the latest review period in `indicators`
    (columns: manager, period, one per ladder indicator), and the latest values."""
    cols = [c for c in ladder.indicators if c in indicators]
    if not len(indicators):
        return pd.DataFrame(columns=[*Verdict.__dataclass_fields__, *[f"value_{c}"
                                                                      for c in cols]])
    reviews, managers = reviews_of(indicators, cols)
    table = _table(ladder, reviews, managers, [grades.get(m, "") for m in managers])
    latest = reviews.values[reviews.last]
    return pd.DataFrame({**table, **{f"value_{c}": latest[:, j] for j, c in enumerate(cols)}})
