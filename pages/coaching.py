import streamlit as st

from cmdash.ui.imports import serialized

with serialized():  # see cmdash/ui/imports.py
    from cmdash.ui import coaching, page

ctx = page.start("coaching")
with page.guarded(ctx):
    data = coaching.load(ctx)
    if data is None:
        st.info(ctx.t("coaching.empty"))
        st.stop()
    coaching.header(ctx, data)
    coaching.over_time(ctx)
    coaching.scatter(ctx, data)
    coaching.by_type(ctx, data)
    coaching.card(ctx, data)
    coaching.second(ctx, data)
    coaching.coaches(ctx, data)
