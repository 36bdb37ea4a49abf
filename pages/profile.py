import streamlit as st

from cmdash.ui.imports import serialized

with serialized():  # see cmdash/ui/imports.py
    from cmdash.ui import page, page_data, profile
    from cmdash.ui.frame import page_file

ctx = page.start("profile")
with page.guarded(ctx):
    directory = page_data.directory(ctx)
    whole = page_data.kpis(ctx, page_data.ALL_KPIS, ("manager",), "all")
    manager = profile.pick_manager(ctx, whole.values, directory)
    if manager is None:
        st.stop()
    last_day = page_data.last_day(ctx)
    profile.peer_cards(ctx, whole.values, manager)
    profile.parts_and_matrix(ctx, page_data.scores(ctx), manager, directory)
    profile.trend(ctx, manager)
    profile.calendar(ctx, manager, last_day)
    held = profile.customers(ctx, manager, last_day)
    profile.stock(ctx, manager, held, last_day)
    if ctx.access.may_open("coaching"):
        st.page_link(page_file("coaching"), label=ctx.t("profile.coaching_link"),
                     query_params={"who": manager}, icon=":material/psychology:")
