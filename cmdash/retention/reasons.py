"""Why a customer scores high: the feature groups that push its risk up (the words are
`cmdash.present.retention`'s).

For each group (recency, volume, visits, complaints, …) the customer's values are swapped
for the population's typical ones (training medians) and the model asked again; the drop
in probability is that group's contribution. A few predictions per group, no SHAP, and
honest about what it measures: "how much lower the risk would be if this looked typical".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cmdash.retention.features import BY_NAME

#: Groups that can be a reason, in the order they are worded when contributions tie.
#: ("profile" — tier, format, tenure — shifts the risk too, but is nothing to act on.)
REASONS = ("recency", "frequency", "volume", "value", "regularity", "handover",
           "manager_left", "manager_risk", "visits", "issues", "complaints", "ratings")


def contributions(model, X: pd.DataFrame, reference: pd.Series) -> pd.DataFrame:
    """Per customer and reason group: risk minus the risk with that group made typical."""
    base = model.predict_proba(X)[:, 1]
    out = {}
    for group in REASONS:
        cols = [c for c in X.columns if BY_NAME[c].group == group]
        if not cols:
            continue
        typical = X.copy()
        for c in cols:
            typical[c] = reference[c]
        out[group] = base - model.predict_proba(typical)[:, 1]
    return pd.DataFrame(out, index=X.index)


def top_reasons(contrib: pd.DataFrame, min_delta: float, k: int = 3) -> list[tuple[str, ...]]:
    """The (up to k) groups raising each customer's risk by at least `min_delta`."""
    if contrib.empty:
        return [()] * len(contrib)
    values = contrib.to_numpy()
    order = np.argsort(-values, axis=1)[:, :k]
    names = np.array(contrib.columns)
    return [tuple(names[j] for j in row if values[i, j] >= min_delta)
            for i, row in enumerate(order)]
