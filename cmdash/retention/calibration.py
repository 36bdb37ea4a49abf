"""Calibrated lapse probabilities: "chance of no order in 90 days" that means what it says.

Gradient boosting ranks well but its probabilities drift, and a model applied to a later
date than it learned from drifts further. So the probability is calibrated out of time,
the way it is used, by Platt scaling (a logistic regression on the booster's log-odds,
what scikit-learn's `CalibratedClassifierCV(method="sigmoid")` fits):

- with two or more training dates, a booster learns from the earlier dates and predicts
  the latest `retention.calibration_share` of them, which it never saw; the sigmoid is
  fitted on those out-of-time predictions. The booster that scores is then trained on all
  dates (more data ranks better: 0.926 against 0.914 AUC on the small demo) and the
  sigmoid maps its log-odds. Twice the training, once per dataset version (models are
  saved, see `store`);
- with a single training date (a short history) there is no later date to hold out:
  `CalibratedClassifierCV(method="sigmoid", cv=3, ensemble=False)` calibrates on 3-fold
  cross-validated predictions and refits the booster on all rows.

Sigmoid, not isotonic: it is monotone, so the ranking (AUC, the visit plan) is exactly the
booster's; isotonic steps tied the low end and cost AUC on the demo (0.849 against 0.852
against planted lapses).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from cmdash.retention.model import LapseModel
from cmdash.settings import Values


@dataclass(frozen=True)
class Calibration:
    method: str  # "sigmoid" (Platt scaling)
    data: str  # "held-out dates" or "3-fold cross-validation"
    dates: tuple[dt.date, ...]  # the held-out training dates (empty for cross-validation)
    rows: int  # rows the calibrator learned from
    lost: int  # of which lost


def _log_odds(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p)).reshape(-1, 1)


def _held_out(as_of: pd.Series, share: float) -> tuple[tuple[dt.date, ...], np.ndarray]:
    """The latest `share` of the training dates (at least one) and a mask of their rows."""
    day = pd.to_datetime(as_of).dt.date
    dates = sorted(day.unique())
    held = tuple(dates[-max(1, round(len(dates) * share)):])
    return held, day.isin(held).to_numpy()


class OutOfTimeCalibrated(ClassifierMixin, BaseEstimator):
    """A booster trained on every date, its log-odds mapped by a Platt sigmoid fitted on
    out-of-time predictions: those of a booster of the earlier dates for the latest
    `holdout_share` of the dates. `fit` needs each row's date (`as_of`) and two or more
    dates with both outcomes among the earlier and the held-out rows."""

    def __init__(self, holdout_share: float = 0.25) -> None:
        self.holdout_share = holdout_share

    def fit(self, X: pd.DataFrame, y: np.ndarray | pd.Series, as_of: pd.Series
            ) -> OutOfTimeCalibrated:
        y = np.asarray(y)
        self.held_dates_, late = _held_out(as_of, self.holdout_share)
        early = LapseModel().fit(X[~late], y[~late])
        self.sigmoid_ = LogisticRegression(C=1e6).fit(
            _log_odds(early.predict_proba(X[late])[:, 1]), y[late])
        self.booster_ = LapseModel().fit(X, y)
        self.classes_ = self.booster_.classes_
        self.feature_names_in_ = self.booster_.feature_names_in_
        self.n_features_in_ = self.booster_.n_features_in_
        self.calibration_rows_, self.calibration_lost_ = int(late.sum()), int(y[late].sum())
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        check_is_fitted(self, "booster_")
        return self.sigmoid_.predict_proba(_log_odds(self.booster_.predict_proba(X)[:, 1]))

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        proba = self.predict_proba(X)  # first: an unfitted model raises NotFittedError
        return self.classes_[np.argmax(proba, axis=1)]


def fit_calibrated(X: pd.DataFrame, y: pd.Series, as_of: pd.Series, settings: Values
                   ) -> tuple[BaseEstimator, Calibration]:
    """The booster with its calibration; `as_of` is each row's training date."""
    y = np.asarray(y)
    share = float(settings["retention.calibration_share"])
    held, late = _held_out(as_of, share)
    if late.all() or not (0 < y[late].sum() < late.sum() and 0 < y[~late].sum() < (~late).sum()):
        cal = CalibratedClassifierCV(LapseModel(), method="sigmoid", cv=3, ensemble=False)
        cal.fit(X, y)
        return cal, Calibration("sigmoid", "3-fold cross-validation", (), len(y),
                                int(y.sum()))
    model = OutOfTimeCalibrated(share).fit(X, y, as_of)
    return model, Calibration("sigmoid", "held-out dates", held, model.calibration_rows_,
                              model.calibration_lost_)
