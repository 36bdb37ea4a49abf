"""The app frame: page config, sidebar context and the page list (st.navigation)."""

from __future__ import annotations

import streamlit as st

from cmdash.i18n import t

#: (section label key, [(page id, icon, default)]); a page's title is the label nav.<id>
PAGES = (
    ("nav.section.performance", (
        ("overview", ":material/dashboard:", True),
        ("managers", ":material/groups:", False),
        ("profile", ":material/person:", False),
    )),
    ("nav.section.people", (
        ("coaching", ":material/psychology:", False),
        ("retention", ":material/person_remove:", False),
    )),
    ("nav.section.admin", (
        ("whatif", ":material/tune:", False),
        ("data", ":material/database:", False),
    )),
)


def page_file(page_id: str) -> str:
    """The script of a page: the one place a page id becomes a file."""
    return f"pages/{page_id}.py"


def title_key(page_id: str) -> str:
    return f"nav.{page_id}"


def navigation(lang: str, access=None, *, hidden: bool = False):
    """The pages this viewer's role may open (all of them when access is not known yet).

    `hidden`: declared but not listed, for runs that stop before a page (the sign-in screen,
    a refusal): a deep link still matches its page, and no page list shows."""
    sections = {
        t(section, lang): [
            st.Page(page_file(page), title=t(title_key(page), lang), icon=icon, default=default)
            for page, icon, default in pages if access is None or access.may_open(page)
        ]
        for section, pages in PAGES
    }
    return st.navigation({k: v for k, v in sections.items() if v},
                         position="hidden" if hidden else "sidebar")
