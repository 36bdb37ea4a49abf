import streamlit as st

from cmdash.ui.imports import serialized

with serialized():  # see cmdash/ui/imports.py
    from cmdash.kpi import KPIS, OVERVIEW_KPIS
    from cmdash.numbers import with_excel_formats
    from cmdash.ui import page, page_data
    from cmdash.ui.tables import lang_key, number_columns
    from cmdash.present.labels import kpi_header
    from cmdash.export import to_csv, to_excel
    from cmdash.present.managers import manager_table

ctx = page.start("managers")
with page.guarded(ctx):
    key = lang_key(ctx, "manager_kpis")  # the chips re-labelled after a language switch
    chosen = st.multiselect(ctx.t("managers.kpis"), list(page_data.ALL_KPIS),
                            default=None if key in st.session_state else list(OVERVIEW_KPIS),
                            key=key, format_func=lambda k: kpi_header(k, ctx.lang, ctx.trade))
    frame = page_data.kpis(ctx, page_data.ALL_KPIS, ("manager",), "all")
    table = manager_table(frame.values, page_data.scores(ctx), page_data.directory(ctx),
                          [k for k in chosen if k in KPIS], ctx.lang, ctx.trade)
    st.caption(ctx.t("managers.count", n=len(table)))
    name = ctx.t("overview.name")
    st.dataframe(table, hide_index=True, width="stretch", height="content",
                 column_config={name: st.column_config.TextColumn(name, pinned=True),
                                **number_columns(table.attrs["units"])})
    left, right, _ = st.columns([1, 1, 4])
    # the files are built on the click, not on every run of the page (downloads are rare)
    left.download_button(ctx.t("managers.csv"), lambda: to_csv(table), "managers.csv",
                         "text/csv", on_click="ignore", icon=":material/download:")
    right.download_button(ctx.t("managers.excel"),
                          lambda: with_excel_formats(to_excel(table), table.attrs["units"]),
                          "managers.xlsx", on_click="ignore", icon=":material/download:")
