"""Why a customer scores high: the feature groups that push its risk up, in words.

For each group (recency, volume, visits, complaints, …) the customer's values are swapped
for the population's typical ones (training medians) and the model asked again; the drop
in probability is that group's contribution. A few predictions per group, no SHAP, and
honest about what it measures: "how much lower the risk would be if this looked typical".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cmdash.i18n import t
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


def _num(value: object, digits: int = 0) -> str:
    if value is None or pd.isna(value):
        return "—"
    return f"{float(value):,.{digits}f}"


def describe(key: str, row: pd.Series, lang: str) -> str:
    """One reason in words, with the customer's own numbers."""
    get = row.get
    if key == "recency":
        return t("retention.reason.recency", lang, days=_num(get("recency_days")),
                 gap=_num(get("usual_gap"), 0))
    if key in ("frequency", "volume"):
        col = "frequency_trend" if key == "frequency" else "volume_trend"
        return t(f"retention.reason.{key}", lang, pct=_num(100 * (get(col) or 0)))
    if key == "value":
        return t("retention.reason.value", lang, units=_num(get("units_month"), 0))
    if key == "handover" and get("no_handover_visit", 0) > 0:
        return t("retention.reason.no_handover", lang)
    if key == "visits":
        return t("retention.reason.visits", lang, days=_num(get("days_since_visit")))
    if key == "issues":
        return t("retention.reason.issues", lang, n=_num(get("issues_open")))
    if key == "complaints":
        return t("retention.reason.complaints", lang, n=_num(get("complaints_recent")),
                 open=_num(get("complaints_open")))
    if key == "ratings":
        return t("retention.reason.ratings", lang, score=_num(get("rating_recent"), 1))
    return t(f"retention.reason.{key}", lang)


def words(keys: tuple[str, ...], row: pd.Series, lang: str) -> str:
    sep = t("sep.items", lang)
    return sep.join(describe(k, row, lang) for k in keys)
