import streamlit as st

from cmdash.ui.imports import serialized

with serialized():  # see cmdash/ui/imports.py
    from cmdash.ui import overview, page, page_data

ctx = page.start("overview")
with page.guarded(ctx):
    company = overview.headline(ctx)
    overview.trend(ctx, company)
    directory = page_data.directory(ctx)
    left, right = st.columns([3, 2])
    with left:
        overview.drill(ctx, directory)
    with right:
        overview.ranking(ctx, directory)
    overview.bulletin(ctx)
