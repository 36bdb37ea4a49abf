"""Model results shared by pages: the coaching review and the retention risk.

Public and cached so that a page never reads another page's private state: the What-if
page asks for the same review and risk as the Coaching and Retention pages, and gets the
same numbers whichever page was opened first. Kept apart from `cache` because these pull
in scikit-learn, which the other pages do not need.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable

import pandas as pd
import streamlit as st

from cmdash.all_settings import Settings
from cmdash.coaching.review import FEATURE_SETTINGS, Review
from cmdash.coaching.review import review as coaching_review
from cmdash.dataset import Dataset
from cmdash.query import Filters
from cmdash.retention.pipeline import (
    Progress,
    RiskResult,
    Trained,
    assess,
    data_range,
    saved_or_trained,
)
from cmdash.ui.cache import engine_for, scan
from cmdash.ui.context import ViewContext


def feature_settings(settings: Settings) -> Settings:
    """The settings the coaching features depend on (not the thresholds): the review's
    cache key, so moving a threshold never recomputes the features."""
    keep = {k: v for k, (_, v) in settings.diff().items()
            if not k.startswith("coaching.") or k in FEATURE_SETTINGS}
    return Settings().with_values(keep)


def review(root: str, version: str, filters: Filters, settings: Settings,
           months_back: int = 0) -> Review | None:
    """The coaching review `months_back` months before the scan's last day (None when no
    manager is reviewed); shared by the Coaching and What-if pages."""
    return _review(root, version, filters, feature_settings(settings), months_back)


@st.cache_data(show_spinner=False, ttl=3600, max_entries=32)
def _review(root: str, version: str, filters: Filters, settings: Settings,
            months_back: int) -> Review | None:
    s = scan(root, version, filters, "month", settings)
    as_of = (pd.Timestamp(s.end) - pd.DateOffset(months=months_back)) if months_back \
        else None
    if as_of is not None:
        as_of = as_of.to_period("M").end_time.normalize()
    r = coaching_review(engine_for(root, version), s, filters, settings, as_of)
    return r if len(r.features) else None


@st.cache_data(show_spinner=False, ttl=3600, max_entries=16)
def date_range(root: str, version: str) -> tuple[dt.date, dt.date]:
    """The first and last day with sales."""
    return data_range(engine_for(root, version))


class SharedResults:
    """Retention results kept per (kind, dataset version, as-of, horizon, settings), newest
    last, for every page and session of the process.

    Not `st.cache_resource` on the function itself: the progress bar drawn while training
    would be replayed from the cache (Streamlit refuses elements drawn into outside blocks).
    """

    size = 8

    def __init__(self) -> None:
        self.items: OrderedDict[tuple, object] = OrderedDict()
        self.lock = threading.Lock()
        self.training: dict[tuple, threading.Lock] = {}  # one trainer per key at a time

    def _hit(self, key: tuple):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return True, self.items[key]
            return False, None

    def get(self, key: tuple, ctx: ViewContext, compute: Callable[[Progress], object]):
        """The result for `key`; computed by the first session that asks, while the others
        that ask meanwhile wait for it (a model trained once, not once per session)."""
        found, value = self._hit(key)
        if found:
            return value
        with self.lock:
            gate = self.training.setdefault(key, threading.Lock())
        if gate.locked():
            with st.spinner(ctx.t("retention.training_elsewhere")), gate:
                pass
        with gate:
            found, value = self._hit(key)
            if found:
                return value
            value = _with_progress(ctx, compute)
            with self.lock:
                self.items[key] = value
                while len(self.items) > self.size:
                    self.items.popitem(last=False)
                self.training.pop(key, None)
        return value


@st.cache_resource(show_spinner=False)
def results() -> SharedResults:
    return SharedResults()


def _with_progress(ctx: ViewContext, compute: Callable[[Progress], object]):
    bar = st.empty()

    def progress(fraction: float, step: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=ctx.t(step))

    try:
        return compute(progress)
    finally:
        bar.empty()


def trained(ctx: ViewContext, as_of: dt.date, horizon: int, progress: Progress) -> Trained:
    """The model saved in the dataset's workspace (shared with the CLI), or trained now."""
    engine = engine_for(ctx.root, ctx.version)
    return saved_or_trained(Dataset.open(ctx.root).workspace, ctx.version, engine, as_of,
                            ctx.settings, horizon, progress).value


def risk(ctx: ViewContext, as_of: dt.date, horizon: int) -> RiskResult:
    """Every customer's and manager's risk at `as_of` (company-wide; callers narrow it to
    the viewer's scope), trained or read once per dataset version, date, horizon and
    settings, whichever page asks first."""
    engine = engine_for(ctx.root, ctx.version)
    key = ("assess", ctx.root, ctx.version, as_of, horizon, ctx.settings)
    return results().get(key, ctx, lambda p: assess(
        engine, ctx.settings, as_of, horizon, p, trained=trained(ctx, as_of, horizon, p)))
