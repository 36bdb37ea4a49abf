import streamlit as st

from cmdash.ui import page, page_data, whatif

ctx = page.start("whatif")
st.caption(ctx.t("whatif.intro"))
with page.guarded(ctx):
    levers, results = st.columns([2, 3])
    with levers:
        scenario = whatif.lever_widgets(ctx)
        whatif.side_controls(ctx, scenario)
    with results:
        base = whatif.with_risk(ctx, whatif.baseline(ctx.root, ctx.version, ctx.filters,
                                                     ctx.settings))
        whatif.results(ctx, base, scenario, page_data.manager_names(page_data.directory(ctx)))
