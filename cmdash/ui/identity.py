"""Who is looking: Streamlit's OIDC login when the deployment configures a provider,
mapped to the dataset's access.toml; otherwise a clearly labelled demo mode in which the
viewer picks a role to see what it sees. No password is ever stored by cmdash.

Every rerun checks the sign-in again (cmdash.access.signin): its age, the claims, and the
access file as it is on disk now. Runs that stop before a page declare the page list
hidden, so nobody sees the menu before they are let in.
"""

from __future__ import annotations

import ipaddress
import time
from typing import NoReturn

import streamlit as st
from streamlit.logger import get_logger

from cmdash.access import ACCESS_FILE, EVERYONE, ROLES, Access, AccessFile, current, signouts
from cmdash.access.signin import HOUR, sign_in
from cmdash.errors import InputError
from cmdash.i18n import t
from cmdash.query import Filters
from cmdash.roots import DatasetRef
from cmdash.ui import cache, page_data
from cmdash.ui.frame import navigation

URL = "query-params"
_LOG = get_logger(__name__)
_LOGGED: set[str] = set()  # warnings already written to the server log by this process


def login_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section (st.login can work)."""
    try:
        return "auth" in st.secrets
    except Exception:
        return False


def _stop(lang: str) -> NoReturn:
    navigation(lang, hidden=True)
    st.stop()


def _claims() -> dict[str, object]:
    return st.user.to_dict()


def require_sign_in(lang: str) -> None:
    """With a login configured, a visitor who is not signed in (or signed out this session
    elsewhere) sees the sign-in screen and nothing else: no pages, no dataset names."""
    if not login_configured():
        return
    if st.user.is_logged_in and not signouts.ended(_claims(), time.time()):
        return
    st.title(t("app.title", lang))
    st.info(t("access.please_login", lang))
    st.button(t("access.login", lang), on_click=st.login, type="primary")
    _stop(lang)


def access_file(lang: str, ref: DatasetRef | None) -> AccessFile | None:
    if ref is None:
        return None
    try:
        return current(ref.path / ACCESS_FILE)
    except InputError as exc:
        st.sidebar.error(t("access.bad_file", lang, msg=exc.describe()))
        _stop(lang)


def viewer(lang: str, ref: DatasetRef | None) -> Access:
    """The viewer's access; stops the page with a message when they may see nothing."""
    rules = access_file(lang, ref)
    if login_configured():
        return signed_in_viewer(lang, rules)
    warn_if_exposed(lang)
    return demo_viewer(lang, ref)


def _sign_out(hours: float) -> None:
    claims = _claims()
    started = claims.get("auth_time") or claims.get("iat") or time.time()
    try:
        forget_at = float(started) + hours * HOUR  # type: ignore[arg-type]
    except (TypeError, ValueError):
        forget_at = time.time() + hours * HOUR
    signouts.end(claims, forget_at)
    st.logout()


def signed_in_viewer(lang: str, rules: AccessFile | None) -> Access:
    verdict = sign_in(_claims(), rules, time.time())
    hours = (rules or AccessFile()).max_session_hours
    st.sidebar.caption(t("access.signed_in", lang,
                         who=verdict.who or t("access.unknown_user", lang)))
    st.sidebar.button(t("access.logout", lang), on_click=_sign_out, args=(hours,))
    if verdict.access is None:
        st.title(t("app.title", lang))
        st.error(t(f"access.refused.{verdict.refusal}", lang, **verdict.detail))
        if verdict.detail.get("subject"):
            st.caption(t("access.refused.ids", lang, issuer=verdict.detail["issuer"],
                         subject=verdict.detail["subject"]))
        if verdict.refusal == "expired":
            st.button(t("access.login", lang), on_click=st.login, type="primary")
        _stop(lang)
    return verdict.access


def exposed_address(address: str | None) -> str | None:
    """The address when the server listens beyond this machine (unset: every interface),
    None for loopback addresses and Unix sockets."""
    if not address:
        return "0.0.0.0"
    if address.startswith("unix://") or address.lower() == "localhost":
        return None
    try:
        return None if ipaddress.ip_address(address.strip("[]")).is_loopback else address
    except ValueError:
        return address  # a host name: reachable by whoever resolves it


def warn_if_exposed(lang: str) -> None:
    """Demo mode must never face a network: say so on the page and in the server log."""
    address = exposed_address(st.get_option("server.address"))
    if address is None:
        return
    if address not in _LOGGED:
        _LOGGED.add(address)
        _LOG.warning("cmdash runs in demo mode (no [auth] in secrets.toml) on server.address "
                     "%s: anyone who can reach this server sees every number. Configure [auth] "
                     "(docs/deployment.md) or use --server.address 127.0.0.1.", address)
    st.warning(t("access.exposed", lang, address=address), icon=":material/public:")


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
    names = page_data.manager_names(people)
    pick = box.selectbox(t("filter.manager", lang), sorted(names), key="as_manager",
                         bind=URL, format_func=lambda m: f"{names[m]} · {m}")
    return Access("demo", role, managers=(pick,))
