"""The app frame: page config, sidebar context and the page list (st.navigation)."""

from __future__ import annotations

import streamlit as st

from cmdash.i18n import t

#: (section label key, [(file, title key, icon, default)])
PAGES = (
    ("nav.section.performance", (
        ("pages/overview.py", "nav.overview", ":material/dashboard:", True),
        ("pages/managers.py", "nav.managers", ":material/groups:", False),
        ("pages/profile.py", "nav.profile", ":material/person:", False),
    )),
    ("nav.section.people", (
        ("pages/coaching.py", "nav.coaching", ":material/psychology:", False),
        ("pages/retention.py", "nav.retention", ":material/person_remove:", False),
    )),
    ("nav.section.admin", (
        ("pages/whatif.py", "nav.whatif", ":material/tune:", False),
        ("pages/data.py", "nav.data", ":material/database:", False),
    )),
)


def navigation(lang: str, access=None, *, hidden: bool = False):
    """The pages this viewer's role may open (all of them when access is not known yet).

    `hidden`: declared but not listed, for runs that stop before a page (the sign-in screen,
    a refusal): a deep link still matches its page, and no page list shows."""
    def allowed(path: str) -> bool:
        return access is None or access.may_open(path.removeprefix("pages/").removesuffix(
            ".py"))

    sections = {
        t(section, lang): [
            st.Page(path, title=t(title, lang), icon=icon, default=default)
            for path, title, icon, default in pages if allowed(path)
        ]
        for section, pages in PAGES
    }
    return st.navigation({k: v for k, v in sections.items() if v},
                         position="hidden" if hidden else "sidebar")


def page_file(title_key: str) -> str:
    """The page script whose title is `title_key`."""
    return next(path for _, pages in PAGES for path, title, _, _ in pages if title == title_key)
