"""From an engine and a cached scan to the reviewed features (the words for a
classification are `cmdash.present.coaching`'s).

The heavy part (`review`) runs once per filter change and feature setting; `classify` then
runs on its features for every threshold change.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cmdash.assessment import ASSESSMENT_KPIS, score
from cmdash.coaching.features import add_scores, extras, features
from cmdash.coaching.window import Window
from cmdash.engine import Engine
from cmdash.kpi import Scan, kpi_table
from cmdash.query import Filters
from cmdash.settings import Values
from cmdash.tiers import TierOrder, tier_order

#: The settings that change the features (the rest only move thresholds).
FEATURE_SETTINGS = ("coaching.recent_months", "coaching.base_months",
                    "coaching.big_tier_pct", "coaching.new_customer_months",
                    "coaching.long_gap_days", "coaching.top_pct", "tiers.encoding",
                    "tiers.named_order")


@dataclass(frozen=True)
class Review:
    window: Window
    features: pd.DataFrame  # one row per reviewed manager (index `manager`), FEATURES columns
    scores: pd.DataFrame  # monthly assessment: manager, period, talent, virtue, total
    tables: frozenset[str]  # tables with rows (decides what can be assessed)
    tiers: TierOrder | None = None  # the tier order the visit mix used


def window_for(scan: Scan, settings: Values, as_of: pd.Timestamp | None = None) -> Window:
    return Window(pd.Timestamp(as_of if as_of is not None else scan.end),
                  int(settings["coaching.recent_months"]), int(settings["coaching.base_months"]))


def review(engine: Engine, scan: Scan, filters: Filters, settings: Values,
           as_of: pd.Timestamp | None = None, scores: pd.DataFrame | None = None) -> Review:
    """Features for every reviewed manager at `as_of` (default: the scan's last day)."""
    window = window_for(scan, settings, as_of)
    extra = extras(engine, filters, window, settings["coaching.long_gap_days"])
    tiers = tier_order(scan.facts["visits"]["tier"].astype("object").unique(),
                       settings["tiers.encoding"], settings["tiers.named_order"])
    feats = features(scan, extra, window, settings["coaching.big_tier_pct"],
                     int(settings["coaching.new_customer_months"]), tiers=tiers)
    if scores is None:
        kpis = kpi_table(scan, list(ASSESSMENT_KPIS), ("manager",), "month")
        scores = score(kpis.values, settings)
    feats = add_scores(feats, scores, window, settings["coaching.top_pct"])
    tables = frozenset(k for k, v in scan.rows.items() if v > 0)
    return Review(window, feats, scores, tables, tiers)
