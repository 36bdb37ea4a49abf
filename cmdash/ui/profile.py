"""The manager profile's widgets."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from cmdash import charts
from cmdash.assessment import PARTS
from cmdash.kpi import OVERVIEW_KPIS
from cmdash.kpi.catalog import KPIS
from cmdash.numbers import format_signed
from cmdash.present import profile as pf
from cmdash.present.labels import kpi_header
from cmdash.ui import cache, page_data, plots
from cmdash.ui.context import ViewContext


def pick_manager(ctx: ViewContext, values: pd.DataFrame, directory: pd.DataFrame) -> str | None:
    names = page_data.manager_names(directory)
    options = sorted(values["manager"].astype(str).unique(), key=lambda m: names.get(m, m))
    if not options:
        st.info(ctx.t("profile.none"))
        return None
    # the id travels in the URL (?who=KM0042), so other pages can link here
    linked = st.query_params.get("who")
    if linked in options and st.session_state.get("_who_linked") != linked:
        st.session_state["who"] = linked
        st.session_state["_who_linked"] = linked
    if st.session_state.get("who") not in options:
        st.session_state.pop("who", None)
    who = st.selectbox(ctx.t("profile.pick"), options, key="who",
                       format_func=lambda m: f"{names.get(m, m)} · {m}")
    # what this page wrote to the URL is not a new link: without this, the first pick after
    # opening from the sidebar found the URL still naming the first manager and snapped back
    st.query_params["who"] = who
    st.session_state["_who_linked"] = who
    return who


def peer_cards(ctx: ViewContext, values: pd.DataFrame, manager: str) -> None:
    peers = max(len(values) - 1, 0)
    bench = None
    if peers < ctx.access.k_anonymity:  # too few peers in scope: a labelled company benchmark
        table = page_data.benchmark(ctx, tuple(OVERVIEW_KPIS))
        bench = table["median"]
        st.caption(ctx.t("access.benchmark", n=int(table["managers"].max())))
    else:
        st.caption(ctx.t("profile.vs_peers", n=peers))
    cards = pf.peer_cards(values, manager, list(OVERVIEW_KPIS), ctx.lang, bench)
    # three to a row: at 1280 px four cut the peer median to "中位数…"
    for row in range(0, len(cards), 3):
        for col, card in zip(st.columns(3), cards[row:row + 3], strict=False):
            delta = format_signed(card.delta, KPIS[card.kpi].unit, ctx.lang)
            col.metric(kpi_header(card.kpi, ctx.lang, ctx.trade), card.value, delta=delta,
                       delta_color=card.color, border=True,
                       delta_description=ctx.t("profile.peer_median", v=card.peer))


def parts_and_matrix(ctx: ViewContext, scores: pd.DataFrame, manager: str,
                     directory: pd.DataFrame) -> None:
    left, right = st.columns(2)
    mine, peers = pf.part_profile(scores, manager)
    names = [f"{p.number} {p.label(ctx.lang)}" for p in PARTS]
    radar = charts.radar(names, {ctx.t("profile.me"): mine, ctx.t("profile.peers"): peers},
                         ctx.t("profile.parts"))
    plots.show(radar, where=left, width="stretch")
    pos = pf.matrix_position(scores)
    label = page_data.manager_names(directory)
    pos["label"] = pos["manager"].map(lambda m: label.get(m, m))
    me = pos[pos["manager"] == manager]
    plots.show(where=right, figure=charts.scatter_highlight(
        pos, "talent", "virtue", label.get(manager, manager), "label", ctx.t("profile.matrix"),
        ctx.t("profile.talent"), ctx.t("profile.virtue"), pf.matrix_split(pos),
        pf.matrix_corners(ctx.lang)), width="stretch")
    if not me.empty:
        right.caption(ctx.t("profile.cell", cell=pf.matrix_label(me.iloc[0]["cell"], ctx.lang)))


def trend(ctx: ViewContext, manager: str) -> None:
    monthly = page_data.kpis(ctx, ("sales_cases", "target_attainment"), ("manager",), "month")
    mine = monthly.values[monthly.values["manager"] == manager]
    if mine.empty or "sales_cases" not in mine:  # no volume measured: no trend to draw
        return
    fig = charts.trend_lines(mine, "sales_cases", ctx.t("profile.trend"),
                             ctx.t("overview.month"),
                             kpi_header("sales_cases", ctx.lang, ctx.trade),
                             kpi_header("sales_cases", ctx.lang, ctx.trade), "")
    if "target_attainment" in mine:
        fig.add_scatter(x=mine["period"], y=mine["target_attainment"], yaxis="y2",
                        name=kpi_header("target_attainment", ctx.lang, ctx.trade), mode="lines",
                        line={"dash": "dash"})
        # its own round ticks (90, 95, 100), not ticks synced to the left axis (89.29, 92.67)
        fig.update_layout(yaxis2={"overlaying": "y", "side": "right", "tickmode": "auto",
                                  "nticks": 6, "tickformat": ",.0f", "showgrid": False,
                                  "title": kpi_header("target_attainment", ctx.lang, ctx.trade)})
    plots.show(fig, width="stretch")


def calendar(ctx: ViewContext, manager: str, last_day: pd.Timestamp) -> None:
    start = (last_day - pd.DateOffset(months=6)).date()
    window = dataclasses.replace(ctx.filters, start=max(start, ctx.filters.start or start),
                                 end=last_day.date())
    days = ctx.query("manager_visit_days", window, manager_id=manager)
    if days.empty:
        return
    plots.show(charts.calendar_heatmap(
        days, "visits", ctx.t("profile.calendar"), ctx.t("profile.weekdays").split(","),
        ctx.t("profile.week"), kpi_header("visits", ctx.lang, ctx.trade)), width="stretch")


def customers(ctx: ViewContext, manager: str, last_day: pd.Timestamp) -> pd.DataFrame:
    st.subheader(ctx.t("profile.customers"))
    frame = ctx.query("manager_customers", dataclasses.replace(ctx.filters,
                                                               end=last_day.date()),
                      manager_id=manager)
    table = pf.customer_list(frame)
    st.dataframe(table[["customer_id", "name", "tier", "format", "recent_units",
                        "recent_amount", "last_order", "last_visit"]], hide_index=True,
                 width="stretch", column_config={
                     "customer_id": ctx.t("managers.id"),
                     "name": ctx.t("profile.customer"),
                     "tier": ctx.t("profile.tier"),
                     "format": ctx.t("profile.format"),
                     "recent_units": st.column_config.NumberColumn(
                         ctx.t("profile.recent_units"), format="%.1f"),
                     "recent_amount": st.column_config.NumberColumn(
                         ctx.t("profile.recent_amount"), format="%,.0f"),
                     "last_order": st.column_config.DateColumn(ctx.t("profile.last_order")),
                     "last_visit": st.column_config.DatetimeColumn(
                         ctx.t("profile.last_visit"), format="YYYY-MM-DD HH:mm"),
                 })
    return table


def _stock(root: str, version: str, filters, settings, end) -> tuple[pd.DataFrame,
                                                                      pd.DataFrame]:
    """Kept in the process's memory budget (read-only: callers select, never modify)."""
    from cmdash.stock.safety import compute

    def run() -> tuple[pd.DataFrame, pd.DataFrame]:
        result = compute(cache.engine_for(root, version), filters, settings, end)
        return result.lines, result.customers

    return cache.memory().get(("stock", root, version, filters, settings, end), run)


def stock(ctx: ViewContext, manager: str, customers: pd.DataFrame,
          last_day: pd.Timestamp) -> None:
    """Safety stock and the suggested order for this manager's retailers (docs/whatif.md)."""
    st.subheader(ctx.t("profile.stock"))
    st.caption(ctx.t("profile.stock_help", weeks=ctx.settings["stock.window_weeks"],
                     steady=ctx.settings["stock.coef_steady"],
                     profitable=ctx.settings["stock.coef_profitable"]))
    scope = dataclasses.replace(ctx.filters, managers=(manager,), regions=(), districts=())
    lines, checks = _stock(ctx.root, ctx.version, scope, ctx.settings, last_day.date())
    mine = lines[lines["customer_id"].isin(customers["customer_id"])]
    if mine.empty:
        st.info(ctx.t("overview.empty"))
        return
    names = dict(zip(customers["customer_id"], customers["name"], strict=True))
    table = mine.assign(customer=mine["customer_id"].map(names))[
        ["customer_id", "customer", "product", "line_class", "per_cycle", "coefficient",
         "safety_stock", "on_hand", "suggested_order", "basis", "order_every"]].sort_values(
        ["customer_id", "product"])
    table["line_class"] = table["line_class"].map(lambda c: ctx.t(f"profile.class.{c}"))
    table["basis"] = table["basis"].map(lambda b: ctx.t(f"stock.basis.{b}"))
    headers = {"customer_id": ctx.t("managers.id"), "customer": ctx.t("profile.customer"),
               "product": ctx.t("profile.product"), "line_class": ctx.t("profile.line_class"),
               "per_cycle": ctx.t("profile.per_cycle"), "coefficient":
               ctx.t("profile.coefficient"), "safety_stock": ctx.t("profile.safety_stock"),
               "on_hand": ctx.t("stock.on_hand"), "suggested_order": ctx.t("profile.suggested"),
               "basis": ctx.t("stock.basis"), "order_every": ctx.t("stock.order_every")}
    shown = table.rename(columns=headers)
    st.dataframe(shown, hide_index=True, width="stretch")
    from cmdash.export import to_csv

    st.download_button(ctx.t("profile.stock_download"), lambda: to_csv(shown),
                       f"stock-{manager}.csv", "text/csv", on_click="ignore",
                       icon=":material/download:")  # built on the click
    if not checks.empty:
        short = checks["stock_short_share"].mean()
        under = checks["short_after_under_order"].mean()
        full = checks["short_after_full_order"].mean()
        st.caption(ctx.t("profile.stock_check", short=f"{short:.0%}",
                         under="—" if pd.isna(under) else f"{under:.0%}",
                         full="—" if pd.isna(full) else f"{full:.0%}"))
