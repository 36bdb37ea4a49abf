"""How far to trust the scores: out-of-time metrics for the model and the baseline."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from sklearn.metrics import brier_score_loss, roc_auc_score

#: Share of customers flagged as the riskiest for the precision figure.
TOP_SHARE = 0.10
CALIBRATION_BINS = 10


@dataclass(frozen=True)
class Metrics:
    auc: float | None  # ROC AUC; None when only one outcome occurred
    top_decile_precision: float | None  # share lost among the riskiest 10 %
    base_rate: float  # share lost among everyone scored
    customers: int
    lost: int
    calibration: tuple[tuple[float, float, int], ...]  # (mean predicted, observed, n) by bin
    brier: float | None = None  # mean squared error of p; None when p is not a probability
                                # of this horizon (a rank score, or a shorter horizon)


@dataclass(frozen=True)
class Backtest:
    as_of: dt.date  # trained on data before it, scored at it
    horizon_days: int
    model: Metrics
    baseline: Metrics
    train_dates: tuple[dt.date, ...]
    training_rows: int
    unavailable: tuple[str, ...]  # tables with no rows: their inputs were not used
    training: dict = field(default_factory=dict)  # TrainingPlan.to_dict(): method, horizons, dates
    calibration: dict = field(default_factory=dict)  # calibration method and data, if any
    against: str = "data"  # "data" (orders after the date) or "truth" (a demo's answers)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["as_of"] = self.as_of.isoformat()
        out["train_dates"] = [d.isoformat() for d in self.train_dates]
        for part in ("model", "baseline"):
            out[part]["calibration"] = [
                {"predicted": p, "observed": o, "customers": n}
                for p, o, n in out[part]["calibration"]]
        return out


def evaluate(y: np.ndarray | pd.Series, p: np.ndarray, bins: int = CALIBRATION_BINS,
             probability: bool = True) -> Metrics:
    """AUC, precision among the top 10 %, calibration by equal-count bins of p and, when p
    is a probability of the horizon evaluated (`probability`), the Brier score."""
    y = np.asarray(y, dtype=int)
    p = np.asarray(p, dtype=float)
    n = len(y)
    auc = float(roc_auc_score(y, p)) if 0 < y.sum() < n else None
    top = None
    if n:
        k = max(1, round(n * TOP_SHARE))
        top = float(y[np.argsort(-p, kind="stable")[:k]].mean())
    calibration = []
    if n:
        order = np.argsort(p, kind="stable")
        for part in np.array_split(order, min(bins, n)):
            if len(part):
                calibration.append((float(p[part].mean()), float(y[part].mean()), len(part)))
    brier = float(brier_score_loss(y, p)) if probability and n else None
    return Metrics(auc, top, float(y.mean()) if n else 0.0, n, int(y.sum()),
                   tuple(calibration), brier)
