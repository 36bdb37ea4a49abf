"""cmdash: the router and frame. Pages live in pages/, all logic in cmdash/."""

import streamlit as st

from cmdash.i18n import t
from cmdash.ui import page, sidebar
from cmdash.ui.first_run import ensure_demo

st.set_page_config(page_title="cmdash", page_icon=":material/insights:", layout="wide")

lang = sidebar.language()
ensure_demo(lang)
page.publish(sidebar.view_context(lang))

nav = st.navigation(
    {
        t("nav.section.performance", lang): [
            st.Page("pages/overview.py", title=t("nav.overview", lang),
                    icon=":material/dashboard:", default=True),
            st.Page("pages/managers.py", title=t("nav.managers", lang),
                    icon=":material/groups:"),
            st.Page("pages/profile.py", title=t("nav.profile", lang), icon=":material/person:"),
        ],
        t("nav.section.people", lang): [
            st.Page("pages/coaching.py", title=t("nav.coaching", lang),
                    icon=":material/psychology:"),
            st.Page("pages/retention.py", title=t("nav.retention", lang),
                    icon=":material/person_remove:"),
        ],
        t("nav.section.admin", lang): [
            st.Page("pages/whatif.py", title=t("nav.whatif", lang), icon=":material/tune:"),
            st.Page("pages/data.py", title=t("nav.data", lang), icon=":material/database:"),
        ],
    }
)
nav.run()
