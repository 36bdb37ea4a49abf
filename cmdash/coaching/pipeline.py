"""Classify a dataset folder end to end (scan, features, rules): for the CLI, tests and
the quality script. The app does the same in steps, caching each."""

from __future__ import annotations

import pandas as pd

from cmdash.assessment.compute import measure_params
from cmdash.coaching.classify import Classification, classify
from cmdash.coaching.review import Review, review
from cmdash.engine import Engine
from cmdash.kpi import shared_scan
from cmdash.query import Filters
from cmdash.settings import Settings


def run_review(engine: Engine, settings: Settings | None = None,
               as_of: pd.Timestamp | None = None,
               filters: Filters | None = None) -> tuple[Review, Classification]:
    settings = settings or Settings()
    filters = filters or Filters(end=as_of.date() if as_of is not None else None)
    scan = shared_scan(engine, filters, measure_params(settings))
    r = review(engine, scan, filters, settings, as_of)
    return r, classify(r.features, settings, r.tables)
