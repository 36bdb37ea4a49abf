import streamlit as st

from cmdash.ui.imports import serialized

with serialized():  # see cmdash/ui/imports.py
    from cmdash.ui import model_cache, page, retention

ctx = page.start("retention")
with page.guarded(ctx):
    as_of, horizon = retention.controls(ctx)
    result = model_cache.risk(ctx, as_of, horizon)
    customers, managers = retention.in_scope(ctx, result)
    if customers.empty:
        st.info(ctx.t("retention.empty"))
        st.stop()
    retention.header(ctx, result, customers)
    retention.distribution(ctx, customers, result)
    retention.plan(ctx, customers)
    retention.managers(ctx, result, managers)
    retention.backtest_panel(ctx, horizon)
