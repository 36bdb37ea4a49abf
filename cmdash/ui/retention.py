"""The Retention page's parts: the controls, charts and tables it draws.

Training and scoring are shared with the What-if page through `cmdash.ui.model_cache.risk`;
viewers' filters only narrow the cached risk table.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from cmdash.charts import retention as charts
from cmdash.export import to_csv, to_excel
from cmdash.numbers import format_value, with_excel_formats
from cmdash.present import retention as view
from cmdash.retention.backtest import Backtest
from cmdash.retention.pipeline import RiskResult, backtest
from cmdash.retention.plan import RHYTHM, TrainingPlan
from cmdash.ui import cache, model_cache, plots
from cmdash.ui.context import ViewContext
from cmdash.ui.tables import number_columns, with_row_details


def run_backtest(ctx: ViewContext, as_of: dt.date, horizon: int) -> Backtest:
    engine = cache.engine_for(ctx.root, ctx.version)
    key = ("backtest", ctx.root, ctx.version, as_of, horizon, ctx.settings)
    return model_cache.results().get(key, ctx, lambda p: backtest(
        engine, as_of, ctx.settings, horizon, p,
        trained=model_cache.trained(ctx, as_of, horizon, p)))


def controls(ctx: ViewContext) -> tuple[dt.date, int]:
    first, last = model_cache.date_range(ctx.root, ctx.version)
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
    note = view.plan_note(tr.plan, ctx.lang)
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
    bands = view.risk_bands(customers["risk"], cut)
    names = {b: ctx.t(f"retention.band.{b}", low=f"{lo:.2f}", high=f"{hi:.2f}")
             for b, lo, hi in zip(bands["band"], bands["low"], bands["high"], strict=True)}
    plots.show(where=left, figure=charts.risk_band_bars(
        bands, names, ctx.t("retention.distribution"),
        _risk_axis(ctx, result.trained.plan.method), ctx.t("retention.count_axis")),
        width="stretch")
    plots.show(where=right, figure=charts.volume_treemap(
        view.org_tree(customers), ctx.t("retention.by_org"),
        ctx.t("retention.volume_at_risk")), width="stretch")


def plan(ctx: ViewContext, customers: pd.DataFrame) -> None:
    st.subheader(ctx.t("retention.plan"))
    names = (customers.groupby("manager_id", observed=True)["volume_at_risk"].sum()
             .sort_values(ascending=False))
    label = customers.drop_duplicates("manager_id").set_index("manager_id")["manager_name"]
    manager = st.selectbox(ctx.t("retention.manager_pick"), list(names.index),
                           format_func=lambda m: f"{label.get(m, '')} ({m})")
    table = view.visit_plan(customers, manager,
                              float(ctx.settings["retention.risk_cutoff"]), ctx.lang)
    if table.empty:
        st.info(ctx.t("retention.plan_empty"))
        return
    with_row_details(table, f"visit_plan_{manager}", ctx.t("retention.col.reasons"),
                     ctx.t("app.row_details"), number_columns(table.attrs["units"]))
    cols = st.columns(2)
    # built on the click, not on every run of the page
    cols[0].download_button(ctx.t("retention.download_csv"), lambda: to_csv(table),
                            file_name=f"visit-plan-{manager}.csv", mime="text/csv",
                            on_click="ignore")
    cols[1].download_button(
        ctx.t("retention.download_xlsx"),
        lambda: with_excel_formats(to_excel(table, "visit-plan"), table.attrs["units"]),
        file_name=f"visit-plan-{manager}.xlsx", on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def backtest_panel(ctx: ViewContext, horizon: int) -> None:
    st.subheader(ctx.t("retention.backtest"))
    first, last = model_cache.date_range(ctx.root, ctx.version)
    latest = last - dt.timedelta(days=horizon)
    if latest <= first:
        return
    as_of = st.date_input(ctx.t("retention.as_of"), value=latest, min_value=first,
                          max_value=latest, key="retention_backtest_as_of")
    st.caption(ctx.t("retention.backtest_help", as_of=as_of, days=horizon))
    if not st.toggle(ctx.t("retention.backtest_run"), key="retention_backtest_run"):
        return
    b = run_backtest(ctx, as_of, horizon)
    st.caption(view.plan_note(TrainingPlan.from_dict(b.training), ctx.lang))
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
    plots.show(charts.calibration(
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
    table = view.manager_table(frame, names, ctx.lang)
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config=number_columns(table.attrs["units"]))
