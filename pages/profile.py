import streamlit as st

from cmdash.ui import page

ctx = page.start("nav.profile")
st.info(ctx.t("placeholder.coming"))
