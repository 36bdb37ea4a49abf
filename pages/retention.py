import streamlit as st

from cmdash.ui import page

ctx = page.start("nav.retention")
st.info(ctx.t("placeholder.coming"))
