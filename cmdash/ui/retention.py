"""The Retention page's parts: cached training and scoring, the charts and tables it draws.

Training runs once per dataset version, as-of date, horizon and settings (the model is
saved in the dataset's workspace and shared with the CLI, see `retention.store`); scored
results are kept in a process-wide store (large and read-only), computed with a progress
bar; viewers' filters only narrow the cached risk table.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections import OrderedDict
from collections.abc import Callable

import pandas as pd
import streamlit as st

from cmdash.dataset import Dataset
from cmdash.numbers import format_value, with_excel_formats
from cmdash.retention import charts, rollup
from cmdash.retention.backtest import Backtest
from cmdash.retention.pipeline import (
    Progress,
    RiskResult,
    Trained,
    assess,
    backtest,
    data_range,
    saved_or_trained,
)
from cmdash.retention.plan import RHYTHM
from cmdash.ui import cache
from cmdash.ui.context import ViewContext
from cmdash.ui.tables import number_columns, with_row_details


@st.cache_data(show_spinner=False, ttl=3600, max_entries=16)
def date_range(root: str, version: str) -> tuple[dt.date, dt.date]:
    return data_range(cache.engine_for(root, version))


class _Trained:
    """Results kept per (dataset version, as-of, horizon, settings), newest last.

    Not `st.cache_resource` on the function itself: the progress bar drawn while training
    would be replayed from the cache (Streamlit refuses elements drawn into outside blocks).
    """

    size = 8

    def __init__(self) -> None:
        self.items: OrderedDict[tuple, object] = OrderedDict()
        self.lock = threading.Lock()
        self.training: dict[tuple, threading.Lock] = {}  # one trainer per key at a time

    def latest(self, prefix: tuple):
        """The newest result whose key starts with `prefix`, without computing anything."""
        with self.lock:
            hits = [v for k, v in self.items.items() if k[: len(prefix)] == prefix]
        return hits[-1] if hits else None

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
def _store() -> _Trained:
    return _Trained()


def _with_progress(ctx: ViewContext, run: Callable[[Progress], object]):
    bar = st.empty()

    def progress(fraction: float, step: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=ctx.t(step))

    try:
        return run(progress)
    finally:
        bar.empty()


def _trained(ctx: ViewContext, as_of: dt.date, horizon: int, progress: Progress
             ) -> Trained:
    """The model saved in the dataset's workspace (shared with the CLI), or trained now."""
    engine = cache.engine_for(ctx.root, ctx.version)
    return saved_or_trained(Dataset.open(ctx.root).workspace, ctx.version, engine, as_of,
                            ctx.settings, horizon, progress).value


def load(ctx: ViewContext, as_of: dt.date, horizon: int) -> RiskResult:
    engine = cache.engine_for(ctx.root, ctx.version)
    key = ("assess", ctx.root, ctx.version, as_of, horizon, ctx.settings)
    return _store().get(key, ctx, lambda p: assess(
        engine, ctx.settings, as_of, horizon, p, trained=_trained(ctx, as_of, horizon, p)))


def run_backtest(ctx: ViewContext, as_of: dt.date, horizon: int) -> Backtest:
    engine = cache.engine_for(ctx.root, ctx.version)
    key = ("backtest", ctx.root, ctx.version, as_of, horizon, ctx.settings)
    return _store().get(key, ctx, lambda p: backtest(
        engine, as_of, ctx.settings, horizon, p, trained=_trained(ctx, as_of, horizon, p)))


def controls(ctx: ViewContext) -> tuple[dt.date, int]:
    first, last = date_range(ctx.root, ctx.version)
    cols = st.columns(2)
    as_of = cols[0].date_input(ctx.t("retention.as_of"), value=last, min_value=first,
                               max_value=last)
    horizon = cols[1].number_input(ctx.t("retention.horizon"), min_value=14, max_value=365,
                                   value=int(ctx.settings["retention.horizon_days"]), step=15)
    return as_of, int(horizon)


def in_scope(ctx: ViewContext, result: RiskResult) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The risk tables narrowed to the managers the viewer's filters allow."""
    scope = set(ctx.query("scope_managers")["manager_id"])
    customers = result.customers[result.customers["manager_id"].isin(scope)]
    managers = result.managers.frame[result.managers.frame["manager_id"].isin(scope)]
    return customers, managers


def header(ctx: ViewContext, result: RiskResult, customers: pd.DataFrame) -> None:
    tr = result.trained
    if tr.plan.method == "model":
        st.caption(ctx.t("retention.summary", as_of=result.as_of,
                         days=tr.windows.horizon_days, dates=len(tr.train_dates),
                         rows=tr.rows))
    note = tr.plan.note(ctx.lang)
    if tr.probabilities:
        st.caption(note)
    else:
        st.info(note)
    if tr.unavailable:
        st.info(ctx.t("retention.unavailable", tables=", ".join(tr.unavailable)))
    cut = float(ctx.settings["retention.risk_cutoff"])
    cols = st.columns(4)
    cols[0].metric(ctx.t("retention.customers"), f"{len(customers):,}")
    cols[1].metric(ctx.t("retention.high_risk"), f"{int((customers['risk'] >= cut).sum()):,}")
    cols[2].metric(ctx.t("retention.expected"), format_value(
        customers["expected_units"].sum(), "units", ctx.lang, compact=True))
    cols[3].metric(ctx.t("retention.volume_at_risk"), format_value(
        customers["volume_at_risk"].sum(), "units", ctx.lang, compact=True))


def _risk_axis(ctx: ViewContext, method: str, probability: str = "retention.risk_axis"
               ) -> str:
    """The probability's axis label, or "score" when the label-free rhythm score ranked."""
    return ctx.t("retention.score_axis" if method == RHYTHM else probability)


def distribution(ctx: ViewContext, customers: pd.DataFrame, result: RiskResult) -> None:
    left, right = st.columns(2)
    cut = float(ctx.settings["retention.risk_cutoff"])
    bands = rollup.risk_bands(customers["risk"], cut)
    names = {b: ctx.t(f"retention.band.{b}", low=f"{lo:.2f}", high=f"{hi:.2f}")
             for b, lo, hi in zip(bands["band"], bands["low"], bands["high"], strict=True)}
    left.plotly_chart(charts.risk_band_bars(
        bands, names, ctx.t("retention.distribution"),
        _risk_axis(ctx, result.trained.plan.method), ctx.t("retention.count_axis")),
        width="stretch")
    right.plotly_chart(charts.volume_treemap(
        rollup.org_tree(customers), ctx.t("retention.by_org"),
        ctx.t("retention.volume_at_risk")), width="stretch")


def plan(ctx: ViewContext, customers: pd.DataFrame) -> None:
    st.subheader(ctx.t("retention.plan"))
    names = (customers.groupby("manager_id", observed=True)["volume_at_risk"].sum()
             .sort_values(ascending=False))
    label = customers.drop_duplicates("manager_id").set_index("manager_id")["manager_name"]
    manager = st.selectbox(ctx.t("retention.manager_pick"), list(names.index),
                           format_func=lambda m: f"{label.get(m, '')} ({m})")
    table = rollup.visit_plan(customers, manager,
                              float(ctx.settings["retention.risk_cutoff"]), ctx.lang)
    if table.empty:
        st.info(ctx.t("retention.plan_empty"))
        return
    with_row_details(table, f"visit_plan_{manager}", ctx.t("retention.col.reasons"),
                     ctx.t("app.row_details"), number_columns(table.attrs["units"]))
    cols = st.columns(2)
    cols[0].download_button(ctx.t("retention.download_csv"),
                            table.to_csv(index=False).encode("utf-8-sig"),
                            file_name=f"visit-plan-{manager}.csv", mime="text/csv")
    buf = io.BytesIO()
    table.to_excel(buf, index=False)
    cols[1].download_button(
        ctx.t("retention.download_xlsx"), with_excel_formats(buf.getvalue(),
                                                              table.attrs["units"]),
        file_name=f"visit-plan-{manager}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def backtest_panel(ctx: ViewContext, horizon: int) -> None:
    st.subheader(ctx.t("retention.backtest"))
    first, last = date_range(ctx.root, ctx.version)
    latest = last - dt.timedelta(days=horizon)
    if latest <= first:
        return
    as_of = st.date_input(ctx.t("retention.as_of"), value=latest, min_value=first,
                          max_value=latest, key="retention_backtest_as_of")
    st.caption(ctx.t("retention.backtest_help", as_of=as_of, days=horizon))
    if not st.toggle(ctx.t("retention.backtest_run"), key="retention_backtest_run"):
        return
    b = run_backtest(ctx, as_of, horizon)
    st.caption(b.training.get("note", ""))
    rows = []
    for name, m in ((ctx.t("retention.model"), b.model),
                    (ctx.t("retention.baseline"), b.baseline)):
        rows.append({"": name, ctx.t("retention.auc"): _shown(m.auc),
                     ctx.t("retention.brier"): _shown(m.brier),
                     ctx.t("retention.top_decile"): _shown(m.top_decile_precision),
                     ctx.t("retention.base_rate"): _shown(m.base_rate)})
    st.dataframe(pd.DataFrame(rows).fillna(ctx.t("retention.not_measured")),
                 hide_index=True)
    if b.calibration:
        st.caption(ctx.t("retention.calibrated", method=b.calibration["method"],
                         rows=b.calibration["rows"], dates=len(b.calibration["dates"])))
    names = tuple(name if m.brier is None else f"{name} · Brier {m.brier:.4f}"
                  for name, m in ((ctx.t("retention.model"), b.model),
                                  (ctx.t("retention.baseline"), b.baseline)))
    st.plotly_chart(charts.calibration(
        b.model, b.baseline, names,
        ctx.t("retention.calibration"),
        _risk_axis(ctx, b.training.get("method", ""), "retention.predicted"),
        ctx.t("retention.observed")), width="stretch")


def _shown(value: float | None) -> float | None:
    """Three decimals; None stays None (shown as "not measured")."""
    return None if value is None else round(value, 3)


def managers(ctx: ViewContext, result: RiskResult, frame: pd.DataFrame) -> None:
    st.subheader(ctx.t("retention.managers"))
    key = "retention.method.model" if result.managers.method == "model" else \
        "retention.method.rule"
    st.caption(ctx.t(key, n=result.managers.leavers))
    names = ctx.query("manager_directory")
    table = rollup.manager_table(frame, names, ctx.lang)
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config=number_columns(table.attrs["units"]))
