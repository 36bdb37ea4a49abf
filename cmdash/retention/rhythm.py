"""Label-free scores for when no label can be learned (too little history, one-sided labels).

`RhythmScore`: how overdue the customer is against its own order rhythm (days since the
last order over its usual gap between orders), with frequency and monetary value — low
frequency and low volume weigh towards risk. Each signal becomes its percentile among the
customers scored at the date (`fit` needs no labels: it only stores those distributions),
and the score is their weighted mean, 0–1. It ranks; it is not a probability.

`RecencyRank`: plain recency as a percentile, the baseline shown beside it.

Measured before choosing (docs/retention.md): it ranks about as well as plain recency
(demo 0.863 against 0.880 AUC, CDNOW 0.583 against 0.590) and clearly below a model
learned from labels (demo 0.926, CDNOW 0.674), so it is only the last resort. BG/NBD's
P(no purchase) also ranked below recency on the whole CDNOW cohort (0.747 against 0.759).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted, validate_data

#: (feature, direction): +1 when a higher value means more risk.
SIGNALS = (("overdue_cycles", 1.0), ("orders_year", -1.0), ("units_month", -1.0))


def _percentile(reference: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Share of the reference at or below each value (mid-rank for ties); NaN stays NaN."""
    if not len(reference):
        return np.full(len(values), 0.5)
    lo = np.searchsorted(reference, values, side="left")
    hi = np.searchsorted(reference, values, side="right")
    out = (lo + hi) / 2 / len(reference)
    return np.where(np.isnan(values), np.nan, out)


class _RankScore(ClassifierMixin, BaseEstimator):
    """Shared plumbing: fit stores sorted reference values; predict_proba = [1 − s, s]."""

    def _signals(self, X: pd.DataFrame) -> dict[str, np.ndarray]:
        raise NotImplementedError

    def _weights(self) -> dict[str, float]:
        raise NotImplementedError

    def fit(self, X: pd.DataFrame, y: np.ndarray | pd.Series | None = None) -> _RankScore:
        """`y` is ignored (accepted for the estimator API): the score needs no labels."""
        validate_data(self, X, ensure_all_finite="allow-nan", dtype="float64")
        self.classes_ = np.array([0, 1])
        self._prepare(X)
        self.reference_ = {k: np.sort(v[~np.isnan(v)]) for k, v in self._signals(X).items()}
        return self

    def _prepare(self, X: pd.DataFrame) -> None:
        del X

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        check_is_fitted(self, "reference_")
        validate_data(self, X, reset=False, ensure_all_finite="allow-nan", dtype="float64")
        weights = self._weights()
        total = np.zeros(len(X))
        weight = np.zeros(len(X))
        for name, values in self._signals(X).items():
            direction = dict(SIGNALS).get(name, 1.0)
            p = _percentile(self.reference_[name], values)
            p = p if direction > 0 else 1 - p
            ok = ~np.isnan(p)
            total[ok] += weights[name] * p[ok]
            weight[ok] += weights[name]
        score = np.where(weight > 0, total / np.where(weight > 0, weight, 1), 0.5)
        return np.column_stack([1 - score, score])

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        proba = self.predict_proba(X)  # first: an unfitted model raises NotFittedError
        return self.classes_[np.argmax(proba, axis=1)]


class RhythmScore(_RankScore):
    """Overdue against the own rhythm, frequency and value, weighted (weights are settings).

    A customer's usual gap is its own mean gap between orders shrunk towards the typical
    (median) gap of the customers scored, as if `prior_gaps` typical gaps had been seen
    too: one or two gaps say little about a rhythm (a customer with a single order has
    only the typical gap). Without the shrinking, "overdue" ranked worse than chance on
    the CDNOW log, where most customers have one to three orders (docs/retention.md).
    """

    def __init__(self, overdue_weight: float = 0.6, frequency_weight: float = 0.2,
                 value_weight: float = 0.2, prior_gaps: float = 2.0) -> None:
        self.overdue_weight = overdue_weight
        self.frequency_weight = frequency_weight
        self.value_weight = value_weight
        self.prior_gaps = prior_gaps

    def _weights(self) -> dict[str, float]:
        return {"overdue_cycles": self.overdue_weight, "orders_year": self.frequency_weight,
                "units_month": self.value_weight}

    def _prepare(self, X: pd.DataFrame) -> None:
        gap = X["recency_days"] / X["overdue_cycles"]
        gap = gap[np.isfinite(gap) & (gap > 0)]
        self.typical_gap_ = float(gap.median()) if len(gap) else 30.0

    def _signals(self, X: pd.DataFrame) -> dict[str, np.ndarray]:
        recency = X["recency_days"].to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            own = recency / X["overdue_cycles"].to_numpy(dtype=float)
        own = np.where(np.isfinite(own) & (own > 0), own, self.typical_gap_)
        gaps = np.clip(X["orders_year"].to_numpy(dtype=float) - 1, 0, None)
        seen = gaps + self.prior_gaps
        usual = np.where(seen > 0, (gaps * own + self.prior_gaps * self.typical_gap_)
                         / np.where(seen > 0, seen, 1), self.typical_gap_)
        return {"overdue_cycles": recency / usual,
                "orders_year": X["orders_year"].to_numpy(dtype=float),
                "units_month": X["units_month"].to_numpy(dtype=float)}


class RecencyRank(_RankScore):
    """Days since the last order, as a percentile among the customers scored."""

    def _weights(self) -> dict[str, float]:
        return {"recency_days": 1.0}

    def _signals(self, X: pd.DataFrame) -> dict[str, np.ndarray]:
        return {"recency_days": X["recency_days"].to_numpy(dtype=float)}
