"""Coaching at scale: one review of the whole company per as-of, and each viewer's scope
cut from it.

The features of a manager are their own facts and do not depend on who else is in view,
so they are computed once over the company (the scan, the coaching queries) and cut by
manager. What compares a manager with peers is recomputed inside the scope, as docs/coaching.md
says peers are local: the assessment scores (their peer components rank within the rows
scored), the results and process percentiles built on them, and (in `classify`) every
threshold set as a peer percentile. What defines the data rather than peers stays
company-wide: the tier order, which tier percentile makes a retailer "large" and the
monthly index that takes seasonality out of the after-an-event trends.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from cmdash.assessment import ASSESSMENT_KPIS, score
from cmdash.coaching.features import add_scores
from cmdash.coaching.review import Review, review
from cmdash.engine import Engine
from cmdash.kpi import Scan, kpi_table
from cmdash.query import Filters
from cmdash.settings import Values


@dataclass(frozen=True)
class CompanyReview:
    review: Review  # every reviewed manager of the company
    kpis: pd.DataFrame  # assessment KPIs per manager and month: scored again per scope


def company_review(engine: Engine, scan: Scan, settings: Values,
                   as_of: pd.Timestamp | None = None) -> CompanyReview:
    """The review of every manager at `as_of`, from the company-wide (unscoped) scan."""
    if scan.scope is not None:
        raise ValueError("the company review needs the unscoped scan")
    kpis = kpi_table(scan, list(ASSESSMENT_KPIS), ("manager",), "month").values
    filters = Filters(start=pd.Timestamp(scan.start).date(), end=pd.Timestamp(scan.end).date())
    r = review(engine, scan, filters, settings, as_of, scores=score(kpis, settings))
    return CompanyReview(r, kpis)


def cut_review(company: CompanyReview, managers: frozenset[str] | None,
               settings: Values) -> Review:
    """The review a viewer of `managers` sees (None: everyone): the company's features of
    those managers, with the peer-based scores and percentiles recomputed among them."""
    r = company.review
    if managers is None:
        return r
    kpis = company.kpis[company.kpis["manager"].astype(str).isin(managers)]
    scores = score(kpis.reset_index(drop=True), settings)
    features = r.features[r.features.index.isin(managers)]
    features = add_scores(features, scores, r.window, settings["coaching.top_pct"])
    return dataclasses.replace(r, features=features, scores=scores)
