"""Filters, language and dataset live in the URL so a view can be shared by its address.

The URL is read once per session into widget state, and written back on every run
(Streamlit clears query parameters when the page changes).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from cmdash.i18n import DEFAULT_LANGUAGE, LANGUAGES

# session-state key -> URL key
KEYS = {
    "lang": "lang",
    "ds": "ds",
    "flt_regions": "region",
    "flt_districts": "district",
    "flt_managers": "manager",
}
LIST_KEYS = ("flt_regions", "flt_districts", "flt_managers")
_LOADED = "_url_loaded"


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def load_once() -> None:
    """Seed widget state from the URL the session was opened with."""
    if st.session_state.get(_LOADED):
        return
    qp = st.query_params
    lang = qp.get("lang", DEFAULT_LANGUAGE)
    st.session_state["lang"] = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    if "ds" in qp:
        st.session_state["ds"] = qp.get("ds")
    for key in LIST_KEYS:
        st.session_state[key] = qp.get_all(KEYS[key])
    start, end = _date(qp.get("from")), _date(qp.get("to"))
    if start and end and start <= end:
        st.session_state["flt_dates"] = (start, end)
    st.session_state[_LOADED] = True


def write_back(dates: tuple[dt.date, dt.date] | None) -> None:
    state: dict[str, str | list[str]] = {}
    lang = st.session_state.get("lang", DEFAULT_LANGUAGE)
    if lang != DEFAULT_LANGUAGE:
        state["lang"] = lang
    if st.session_state.get("ds"):
        state["ds"] = st.session_state["ds"]
    for key in LIST_KEYS:
        if values := st.session_state.get(key):
            state[KEYS[key]] = list(values)
    if dates:
        state["from"], state["to"] = dates[0].isoformat(), dates[1].isoformat()
    st.query_params.from_dict(state)
