"""How well the primary types match known answers (the demo's planted types).

Used by the tests and the quality script; cmdash itself never reads `_truth/`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cmdash.coaching.classify import NONE
from cmdash.coaching.types import TYPE_IDS

STEADY = "steady"


@dataclass(frozen=True)
class Quality:
    confusion: pd.DataFrame  # planted type (rows) × primary type (columns), counts
    recall: pd.Series  # per planted type: share whose primary type is the planted one
    macro: float  # mean of `recall`
    steady_flagged: float  # share of steady managers given a primary type
    steady: int  # steady managers scored


def quality(primary: pd.Series, planted: pd.Series) -> Quality:
    """`primary` and `planted` indexed by manager; managers missing from either are left out."""
    both = pd.concat([planted.rename("planted"), primary.rename("primary")], axis=1,
                     join="inner").dropna()
    order = [*TYPE_IDS, NONE]
    rows = [t for t in (*TYPE_IDS, STEADY) if t in set(both["planted"])]
    confusion = pd.crosstab(both["planted"], both["primary"]).reindex(
        index=rows, columns=order, fill_value=0)
    typed = both[both["planted"] != STEADY]
    recall = (typed["primary"] == typed["planted"]).groupby(typed["planted"]).mean()
    steady = both[both["planted"] == STEADY]
    flagged = float((steady["primary"] != NONE).mean()) if len(steady) else 0.0
    return Quality(confusion, recall.reindex([t for t in TYPE_IDS if t in recall.index]),
                   float(recall.mean()), flagged, len(steady))
