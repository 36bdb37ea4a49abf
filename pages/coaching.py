import streamlit as st

from cmdash.ui import page

ctx = page.start("nav.coaching")
st.info(ctx.t("placeholder.coming"))
