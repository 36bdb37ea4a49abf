"""cmdash: the router and frame. Pages live in pages/, all logic in cmdash/."""

from pathlib import Path

import streamlit as st

from cmdash.ui.imports import serialized

with serialized():  # the first sessions of a new server import cmdash one at a time
    from cmdash.ui import frame, identity, page, sidebar
    from cmdash.ui.first_run import ensure_demo

# the icon from the app's own files: a material icon name makes the browser fetch it from
# fonts.gstatic.com (tests/e2e/test_own_host.py)
ICON = Path(__file__).parent / "cmdash" / "ui" / "assets" / "icon.svg"
st.set_page_config(page_title="cmdash", page_icon=str(ICON), layout="wide")

lang = sidebar.language()
identity.require_sign_in(lang)  # with [auth]: nothing below runs for a signed-out visitor
ensure_demo(lang)
ctx = sidebar.view_context(lang)
page.publish(ctx)
frame.navigation(lang, ctx.access).run()
