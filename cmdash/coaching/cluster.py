"""A data-driven second opinion: k-means clusters of the same behaviour features.

The features the rules read are imputed (median), standardized, and clustered with a fixed
random state; each cluster is described by the features where its mean stands furthest
from the overall mean (in standard deviations). The cross-table of clusters against the
rule-based primary types, the adjusted Rand index and the share of managers whose rule type
is their cluster's most common one show where the rules and the data agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sklearn.cluster import KMeans
from sklearn.impute import SimpleImputer
from sklearn.metrics import adjusted_rand_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from cmdash.coaching.types import TYPES

#: The features the rules test (each once), in declaration order.
CLUSTER_FEATURES = tuple(dict.fromkeys(test.feature for t in TYPES if not t.style
                                       for test in t.tests))


@dataclass(frozen=True)
class SecondOpinion:
    labels: pd.Series  # manager -> cluster number
    profiles: pd.DataFrame  # cluster × feature: mean in standard deviations from the mean
    sizes: pd.Series  # cluster -> managers
    crosstab: pd.DataFrame  # cluster × rule-based primary type, counts
    adjusted_rand: float  # agreement of clusters and primary types (1 = same partition)
    majority_match: float  # share whose primary type is their cluster's most common one


def second_opinion(features: pd.DataFrame, primary: pd.Series, clusters: int = 8,
                   random_state: int = 0) -> SecondOpinion | None:
    """Clusters for the managers in `features`; None when there are too few to cluster."""
    cols = [c for c in CLUSTER_FEATURES if c in features and features[c].notna().any()]
    x = features[cols].astype("float64")
    k = min(clusters, len(x) - 1)
    if k < 2 or not cols:
        return None
    model = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(),
                          KMeans(n_clusters=k, n_init=10, random_state=random_state))
    labels = pd.Series(model.fit_predict(x), index=features.index, name="cluster")
    z = pd.DataFrame(model[:2].transform(x), index=features.index, columns=cols)
    profiles = z.groupby(labels).mean()
    types = primary.reindex(features.index)
    crosstab = pd.crosstab(labels, types)
    majority = crosstab.idxmax(axis=1)
    match = float((labels.map(majority) == types).mean())
    return SecondOpinion(labels, profiles, labels.value_counts().sort_index(), crosstab,
                         float(adjusted_rand_score(types, labels)), match)


__all__ = ["CLUSTER_FEATURES", "SecondOpinion", "second_opinion"]
