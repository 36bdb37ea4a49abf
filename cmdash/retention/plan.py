"""What the history before an as-of date allows: which horizon and training dates to learn
from, or a label-free score when no label can be learned.

A label at a training date needs the whole horizon after it to be known before the as-of
date, and the date itself needs some order history before it. A short extract (a company
that has just started with cmdash) may not fit the asked horizon. Rather than refuse,
the plan learns from what fits, in this order:

1. the asked horizon from at least `retention.min_training_dates` dates;
2. a shorter horizon (down to `retention.min_horizon_days`) so that many dates fit;
3. the asked horizon from the fewer dates that fit;
4. the longest horizon that fits one date (at least `retention.min_horizon_days`);
5. the label-free rhythm score (`rhythm.RhythmScore`).

Only under `retention.min_history_days` of orders is there nothing to score. Pure
functions of dates and settings, so they are checked by hand in the unit tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from cmdash.errors import InputError
from cmdash.settings import Values

MODEL, RHYTHM = "model", "rhythm"


@dataclass(frozen=True)
class TrainingPlan:
    method: str  # MODEL (learned from labels) or RHYTHM (label-free score)
    asked_horizon_days: int  # the horizon the user asked for
    horizon_days: int  # the horizon the labels were learned on (= asked unless shortened)
    dates: tuple[dt.date, ...]  # training as-of dates, oldest first (empty for RHYTHM)
    history_days: int  # days of orders before the as-of date

    @property
    def shortened(self) -> bool:
        return self.method == MODEL and self.horizon_days < self.asked_horizon_days

    def with_method(self, method: str) -> TrainingPlan:
        """The same plan with another method (RHYTHM when the labels turn out one-sided)."""
        dates = self.dates if method == MODEL else ()
        return TrainingPlan(method, self.asked_horizon_days, self.horizon_days, dates,
                            self.history_days)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["dates"] = [d.isoformat() for d in self.dates]
        return out

    @classmethod
    def from_dict(cls, d: dict) -> TrainingPlan:
        return cls(d["method"], d["asked_horizon_days"], d["horizon_days"],
                   tuple(dt.date.fromisoformat(x) for x in d["dates"]), d["history_days"])


def _dates(as_of: dt.date, earliest: dt.date, horizon: int, step: int, wanted: int
           ) -> tuple[dt.date, ...]:
    days = (as_of - dt.timedelta(days=horizon + step * k) for k in range(wanted))
    return tuple(sorted(d for d in days if d >= earliest))


def plan_training(first: dt.date, as_of: dt.date, horizon_days: int, lookback_days: int,
                  settings: Values) -> TrainingPlan:
    """The plan for scoring at `as_of` when orders start on `first`.

    `lookback_days`: order history a training date needs before it (the recent window).
    Raises InputError when there are fewer than `retention.min_history_days` of orders.
    """
    history = (as_of - first).days
    need = int(settings["retention.min_history_days"])
    if history < need:
        raise InputError(
            f"Only {max(history, 0)} days of orders before {as_of} (the first is on {first}): "
            f"at least {need} are needed to score customers", file="sales")
    step = int(settings["retention.training_step_days"])
    wanted = int(settings["retention.training_dates"])
    enough = min(int(settings["retention.min_training_dates"]), wanted)
    shortest = int(settings["retention.min_horizon_days"])
    earliest = first + dt.timedelta(days=lookback_days)
    span = (as_of - earliest).days  # room for a training date plus its horizon

    def plan(horizon: int, dates: tuple[dt.date, ...]) -> TrainingPlan:
        return TrainingPlan(MODEL, horizon_days, horizon, dates, history)

    asked = _dates(as_of, earliest, horizon_days, step, wanted)
    if len(asked) >= enough:
        return plan(horizon_days, asked)
    shorter = min(horizon_days, span - step * (enough - 1))
    if shorter >= shortest:
        return plan(shorter, _dates(as_of, earliest, shorter, step, wanted))
    if asked:
        return plan(horizon_days, asked)
    if min(horizon_days, span) >= shortest:
        one = min(horizon_days, span)
        return plan(one, _dates(as_of, earliest, one, step, wanted))
    return TrainingPlan(RHYTHM, horizon_days, horizon_days, (), history)
