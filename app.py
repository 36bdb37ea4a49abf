"""cmdash: the router and frame. Pages live in pages/, all logic in cmdash/."""

import streamlit as st

from cmdash.ui import frame, identity, page, sidebar
from cmdash.ui.first_run import ensure_demo

st.set_page_config(page_title="cmdash", page_icon=":material/insights:", layout="wide")

lang = sidebar.language()
identity.require_sign_in(lang)  # with [auth]: nothing below runs for a signed-out visitor
ensure_demo(lang)
ctx = sidebar.view_context(lang)
page.publish(ctx)
frame.navigation(lang, ctx.access).run()
