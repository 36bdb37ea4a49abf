"""Model results shared by pages: the coaching review and the retention risk.

Public and cached so that a page never reads another page's private state: the What-if
page asks for the same review and risk as the Coaching and Retention pages, and gets the
same numbers whichever page was opened first. Kept apart from `cache` because these pull
in scikit-learn, which the other pages do not need.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pandas as pd
import streamlit as st

from cmdash.all_settings import Settings
from cmdash.coaching.review import FEATURE_SETTINGS, Review
from cmdash.coaching.scope import CompanyReview, company_review, cut_review
from cmdash.dataset import Dataset
from cmdash.kpi.scan import sees_everything
from cmdash.memo.budget import Budget
from cmdash.query import Filters
from cmdash.retention.pipeline import (
    Progress,
    RiskResult,
    Trained,
    assess,
    data_range,
    saved_or_trained,
)
from cmdash.ui.cache import engine_for, memory, scan, seen
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
    manager is reviewed); shared by the Coaching and What-if pages.

    Cut from the company's review of the same dates and as-of (computed once, whoever asks
    first), with the peer percentiles recomputed inside the viewer's scope."""
    fs = feature_settings(settings)
    if sees_everything(filters):
        r = company(root, version, filters.start, filters.end, fs, months_back).review
    else:
        key = ("review", root, version, seen(root, version, filters), fs, months_back)
        r = memory().get(key, lambda: _cut(root, version, filters, fs, months_back))
    return r if len(r.features) else None


def company(root: str, version: str, start, end, settings: Settings,
            months_back: int = 0) -> CompanyReview:
    """Every manager's review for these dates and as-of: one per process, kept in budget."""
    def compute() -> CompanyReview:
        s = scan(root, version, Filters(start=start, end=end), "month", settings)
        as_of = None
        if months_back:
            as_of = (pd.Timestamp(s.end) - pd.DateOffset(months=months_back)
                     ).to_period("M").end_time.normalize()
        return company_review(engine_for(root, version), s, settings, as_of)

    return memory().get(("company_review", root, version, start, end, settings,
                         months_back), compute)


def _cut(root: str, version: str, filters: Filters, settings: Settings,
         months_back: int) -> Review:
    whole = company(root, version, filters.start, filters.end, settings, months_back)
    managers = scan(root, version, filters, "month", settings).scope
    return cut_review(whole, managers, settings)


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

    def __init__(self, items: Budget | None = None) -> None:
        self.items = items if items is not None else Budget(2**62)  # kept within a budget
        self.lock = threading.Lock()
        self.training: dict[tuple, threading.Lock] = {}  # one trainer per key at a time

    def _hit(self, key: tuple):
        return self.items.lookup(key)

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
            self.items.put(key, value)
            with self.lock:
                self.training.pop(key, None)
        return value


@st.cache_resource(show_spinner=False)
def results() -> SharedResults:
    return SharedResults(memory())


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
