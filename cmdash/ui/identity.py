"""Who is looking: Streamlit's OIDC login when the deployment configures a provider,
mapped to the dataset's access.toml; otherwise a clearly labelled demo mode in which the
viewer picks a role to see what it sees. No password is ever stored by cmdash."""

from __future__ import annotations

import streamlit as st

from cmdash.access import ACCESS_FILE, EVERYONE, ROLES, Access, AccessFile, load
from cmdash.errors import InputError
from cmdash.i18n import t
from cmdash.query import Filters
from cmdash.roots import DatasetRef
from cmdash.ui import cache

URL = "query-params"


def login_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section (st.login can work)."""
    try:
        return "auth" in st.secrets
    except Exception:
        return False


@st.cache_data(show_spinner=False, ttl=30)
def _access_file(path: str) -> AccessFile | None:
    return load(path)


def access_file(lang: str, ref: DatasetRef | None) -> AccessFile | None:
    if ref is None:
        return None
    try:
        return _access_file(str(ref.path / ACCESS_FILE))
    except InputError as exc:
        st.sidebar.error(t("access.bad_file", lang, msg=exc.describe()))
        st.stop()


def viewer(lang: str, ref: DatasetRef | None) -> Access:
    """The viewer's access; stops the page with a message when they may see nothing."""
    rules = access_file(lang, ref)
    if login_configured():
        if not st.user.is_logged_in:
            st.title(t("app.title", lang))
            st.info(t("access.please_login", lang))
            st.button(t("access.login", lang), on_click=st.login)
            st.stop()
        email = str(st.user.get("email", "")).lower()
        access = rules.lookup(email) if rules else None
        st.sidebar.caption(t("access.signed_in", lang, who=email))
        st.sidebar.button(t("access.logout", lang), on_click=st.logout)
        if access is None:
            st.error(t("access.no_access", lang, who=email))
            st.stop()
        return access
    return demo_viewer(lang, ref)


def demo_viewer(lang: str, ref: DatasetRef | None) -> Access:
    """Demo mode: pick a role (and the scope it needs) to see the app as that viewer."""
    box = st.sidebar.expander(t("access.demo", lang), icon=":material/theater_comedy:")
    role = box.selectbox(t("access.role", lang), list(ROLES), key="as_role", bind=URL,
                         index=list(ROLES).index(EVERYONE.role),
                         format_func=lambda r: ROLES[r].label(lang))
    box.caption(t("access.demo_help", lang))
    if ref is None or ROLES[role].scope == "all":
        return EVERYONE if role == "analyst" else Access("demo", role)
    version = cache.dataset_version(str(ref.path))
    people = cache.query(str(ref.path), version, "manager_directory", Filters())
    scope = ROLES[role].scope
    if scope == "region":
        options = sorted(people["region"].dropna().unique())
        pick = box.selectbox(t("filter.region", lang), options, key="as_region", bind=URL)
        return Access("demo", role, regions=(pick,))
    if scope == "district":
        options = sorted(people["district"].dropna().unique())
        pick = box.selectbox(t("filter.district", lang), options, key="as_district",
                             bind=URL)
        return Access("demo", role, districts=(pick,))
    names = dict(zip(people["manager_id"], people["name"], strict=True))
    pick = box.selectbox(t("filter.manager", lang), sorted(names), key="as_manager",
                         bind=URL, format_func=lambda m: f"{names[m]} · {m}")
    return Access("demo", role, managers=(pick,))
