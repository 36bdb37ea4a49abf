"""The lapse model against scikit-learn's own estimator checks.

The other retention estimators are not run through them: the recency/frequency baseline
and the rank scores (`rhythm.py`) read named feature columns (days since the last order,
orders a year…) that the checks' unnamed random arrays do not have, so nearly every check
fails on a missing column rather than on the estimator contract; the calibrated booster's
`fit` needs each row's date. Their behaviour is pinned in tests/unit/test_retention.py and
test_retention_history.py."""

from __future__ import annotations

from sklearn.utils.estimator_checks import parametrize_with_checks

from cmdash.retention.model import LapseModel

ESTIMATORS = [LapseModel(max_iter=10)]


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_compatible(estimator, check) -> None:
    check(estimator)
