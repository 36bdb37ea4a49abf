import streamlit as st

from cmdash.ui.imports import serialized

with serialized():  # see cmdash/ui/imports.py
    from cmdash.ui import page, page_data, whatif

ctx = page.start("whatif")
st.caption(ctx.t("whatif.intro"))
with page.guarded(ctx):
    # results first: on a phone the columns stack, and the outcome must not sit below the
    # levers' sliders; the levers are drawn first (the results read their values)
    results, levers = st.columns([3, 2])
    with levers:
        scenario = whatif.lever_widgets(ctx)
        whatif.side_controls(ctx, scenario)
    with results:
        base = whatif.with_risk(ctx, whatif.baseline(ctx.root, ctx.version, ctx.filters,
                                                     ctx.settings))
        whatif.results(ctx, base, scenario, page_data.manager_names(page_data.directory(ctx)))
