"""Classify a dataset folder end to end (scan, features, rules): for the CLI, tests and
the quality script. The app does the same in steps, caching each."""

from __future__ import annotations

import pandas as pd

from cmdash.coaching.classify import Classification, classify
from cmdash.coaching.review import Review, review
from cmdash.engine import Engine
from cmdash.kpi import shared_scan
from cmdash.kpi.params import measure_params
from cmdash.query import Filters
from cmdash.settings import Values


def run_review(engine: Engine, settings: Values,
               as_of: pd.Timestamp | None = None,
               filters: Filters | None = None) -> tuple[Review, Classification]:
    filters = filters or Filters(end=as_of.date() if as_of is not None else None)
    scan = shared_scan(engine, filters, measure_params(settings))
    r = review(engine, scan, filters, settings, as_of)
    return r, classify(r.features, settings, r.tables)
