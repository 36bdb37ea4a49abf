"""Calibrated lapse probabilities: "chance of no order in 90 days" that means what it says.

Gradient boosting ranks well but its probabilities drift, and a model applied to a later
date than it learned from drifts further. So the probability is calibrated out of time,
the way it is used:

- with two or more training dates, the booster learns from the earlier dates and a
  calibrator (scikit-learn's `CalibratedClassifierCV` over the frozen booster) from the
  latest `retention.calibration_share` of them, which it never saw;
- with a single training date (a short history) there is no later date to hold out:
  3-fold cross-validated predictions calibrate a booster fitted on all rows
  (`CalibratedClassifierCV(cv=3, ensemble=False)`).

Method: isotonic regression when the calibration rows hold at least
`retention.isotonic_min_lost` lost customers (it needs many to be smooth), else Platt's
sigmoid. Both keep the ranking (isotonic may tie neighbours).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator

from cmdash.retention.model import LapseModel
from cmdash.settings import Settings


@dataclass(frozen=True)
class Calibration:
    method: str  # "isotonic" or "sigmoid"
    data: str  # "held-out dates" or "3-fold cross-validation"
    dates: tuple[dt.date, ...]  # the held-out training dates (empty for cross-validation)
    rows: int  # rows the calibrator learned from
    lost: int  # of which lost


def fit_calibrated(X: pd.DataFrame, y: pd.Series, as_of: pd.Series, settings: Settings
                   ) -> tuple[CalibratedClassifierCV, Calibration]:
    """The booster wrapped with its calibrator; `as_of` is each row's training date."""
    dates = sorted(pd.to_datetime(as_of).dt.date.unique())
    need = int(settings["retention.isotonic_min_lost"])
    if len(dates) >= 2:
        share = float(settings["retention.calibration_share"])
        held = dates[-max(1, round(len(dates) * share)):]
        late = pd.to_datetime(as_of).dt.date.isin(held).to_numpy()
        yl = np.asarray(y)[late]
        if 0 < yl.sum() < len(yl) and 0 < np.asarray(y)[~late].sum() < (~late).sum():
            method = "isotonic" if yl.sum() >= need else "sigmoid"
            model = LapseModel().fit(X[~late], np.asarray(y)[~late])
            cal = CalibratedClassifierCV(FrozenEstimator(model), method=method)
            cal.fit(X[late], yl)
            return cal, Calibration(method, "held-out dates", tuple(held), len(yl),
                                    int(yl.sum()))
    method = "isotonic" if int(np.sum(y)) >= need else "sigmoid"
    cal = CalibratedClassifierCV(LapseModel(), method=method, cv=3, ensemble=False)
    cal.fit(X, np.asarray(y))
    return cal, Calibration(method, "3-fold cross-validation", (), len(y), int(np.sum(y)))
