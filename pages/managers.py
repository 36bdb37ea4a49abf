import streamlit as st

from cmdash.kpi import KPIS, OVERVIEW_KPIS
from cmdash.ui import page, views
from cmdash.views.labels import kpi_header
from cmdash.export import to_csv, to_excel
from cmdash.views.managers import manager_table

ctx = page.start("nav.managers")
with page.guarded(ctx):
    chosen = st.multiselect(ctx.t("managers.kpis"), list(views.ALL_KPIS),
                            default=list(OVERVIEW_KPIS), key="manager_kpis",
                            format_func=lambda k: kpi_header(k, ctx.lang, ctx.trade))
    frame = views.kpis(ctx, views.ALL_KPIS, ("manager",), "all")
    table = manager_table(frame.values, views.scores(ctx), views.directory(ctx),
                          [k for k in chosen if k in KPIS], ctx.lang, ctx.trade)
    st.caption(ctx.t("managers.count", n=len(table)))
    st.dataframe(table, hide_index=True, width="stretch")
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(ctx.t("managers.csv"), to_csv(table), "managers.csv", "text/csv",
                         icon=":material/download:")
    right.download_button(ctx.t("managers.excel"), to_excel(table), "managers.xlsx",
                          icon=":material/download:")
