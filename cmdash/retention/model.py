"""The lapse model and its transparent baseline, as scikit-learn estimators.

Both take the feature frame (`FeatureSet.matrix()`, labelled columns) and return the
probability of being lost within the horizon. The model is a histogram gradient-boosting
classifier over every usable feature; the baseline is a logistic regression on recency and
frequency alone — the rule of thumb a sales manager already uses — so the model has to earn
its place beside it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted, validate_data
from threadpoolctl import threadpool_limits

from cmdash.retention.features import BY_NAME

#: What the baseline reads: days since the last order and orders in the last year.
BASELINE_FEATURES = ("recency_days", "orders_year")


class LapseModel(ClassifierMixin, BaseEstimator):
    """Gradient boosting over the customer features; missing values are allowed (NaN).

    Categorical columns are recognised by name from `features.FEATURES`. `n_threads`
    caps OpenMP threads: on a small shared machine one thread is ~10× faster than
    several contending for the cores (measured: 1.6 s against 17 s for 46k rows).
    """

    def __init__(self, max_iter: int = 300, learning_rate: float = 0.05,
                 max_leaf_nodes: int = 15, min_samples_leaf: int = 40,
                 l2_regularization: float = 1.0, random_state: int = 0,
                 n_threads: int | None = 1) -> None:
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.random_state = random_state
        self.n_threads = n_threads

    def fit(self, X: pd.DataFrame, y: np.ndarray | pd.Series) -> LapseModel:
        X_, y_ = validate_data(self, X, y, ensure_all_finite="allow-nan", dtype="float64")
        names = list(getattr(self, "feature_names_in_", []))
        categorical = [i for i, n in enumerate(names)
                       if n in BY_NAME and BY_NAME[n].categorical]
        self.classes_ = np.unique(y_)
        # a column with no value at all (a tiny or lean dataset) is read as 0
        self.empty_columns_ = np.isnan(X_).all(axis=0)
        X_ = self._fill(X_)
        self.booster_ = HistGradientBoostingClassifier(
            max_iter=self.max_iter, learning_rate=self.learning_rate,
            max_leaf_nodes=self.max_leaf_nodes, min_samples_leaf=self.min_samples_leaf,
            l2_regularization=self.l2_regularization, random_state=self.random_state,
            categorical_features=categorical or None, early_stopping=False,
        )
        with threadpool_limits(self.n_threads, user_api="openmp"):
            self.booster_.fit(X_, y_)
        self.n_iter_ = self.booster_.n_iter_
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # a feature the data cannot measure is NaN
        return tags

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        check_is_fitted(self, "booster_")
        X_ = validate_data(self, X, reset=False, ensure_all_finite="allow-nan",
                           dtype="float64")
        with threadpool_limits(self.n_threads, user_api="openmp"):
            return self.booster_.predict_proba(self._fill(X_))

    def _fill(self, X: np.ndarray) -> np.ndarray:
        if not self.empty_columns_.any():
            return X
        X = X.copy()
        X[:, self.empty_columns_] = 0.0
        return X

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        proba = self.predict_proba(X)  # first: an unfitted model raises NotFittedError
        return self.classes_[np.argmax(proba, axis=1)]


class RecencyFrequencyBaseline(ClassifierMixin, BaseEstimator):
    """Logistic regression on log(1 + days since last order) and log(1 + orders a year).

    Reads only the two columns it needs from a wider frame, so model and baseline share
    one feature table.
    """

    def __init__(self, C: float = 1.0) -> None:
        self.C = C

    def _pick(self, X: pd.DataFrame) -> np.ndarray:
        cols = [c for c in BASELINE_FEATURES if c in X.columns]
        return np.log1p(X[cols].clip(lower=0).fillna(0).to_numpy(dtype="float64"))

    def fit(self, X: pd.DataFrame, y: np.ndarray | pd.Series) -> RecencyFrequencyBaseline:
        validate_data(self, X, ensure_all_finite="allow-nan", dtype="float64")
        self.logit_ = LogisticRegression(C=self.C).fit(self._pick(X), np.asarray(y))
        self.classes_ = self.logit_.classes_
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        check_is_fitted(self, "logit_")
        validate_data(self, X, reset=False, ensure_all_finite="allow-nan", dtype="float64")
        return self.logit_.predict_proba(self._pick(X))

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        proba = self.predict_proba(X)  # first: an unfitted model raises NotFittedError
        return self.classes_[np.argmax(proba, axis=1)]
