import streamlit as st

from cmdash.charts import monthly_line
from cmdash.summary import headline, monthly_totals
from cmdash.ui import page

ctx = page.start("nav.overview")
with page.guarded(ctx):
    monthly = ctx.query("monthly_sales_by_manager")
    if monthly.empty:
        st.info(ctx.t("overview.empty"))
        st.stop()
    head = headline(monthly)
    cols = st.columns(3)
    cols[0].metric(ctx.t("overview.managers"), f"{head.managers:,}")
    cols[1].metric(ctx.t("overview.cases"), f"{head.cases:,.1f}")
    cols[2].metric(ctx.t("overview.amount"), f"{head.amount_wan:,.1f}")
    fig = monthly_line(
        monthly_totals(monthly), "month", "cases", ctx.t("overview.month"),
        ctx.t("overview.monthly"),
    )
    st.plotly_chart(fig, width="stretch")
