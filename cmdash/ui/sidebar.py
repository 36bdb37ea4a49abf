"""The shared sidebar: language switch and the global filters, drawn once per run by app.py."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from cmdash.i18n import LANGUAGES, t
from cmdash.query import Filters
from cmdash.roots import DatasetRef, resolve
from cmdash.ui import cache, url_state
from cmdash.ui.context import ViewContext

_LANG_NAMES = {"zh": "中文", "en": "English"}


def language() -> str:
    url_state.load_once()
    return st.sidebar.segmented_control(
        "Language / 语言",
        LANGUAGES,
        format_func=_LANG_NAMES.__getitem__,
        key="lang",
        label_visibility="collapsed",
    ) or LANGUAGES[0]


def current_dataset() -> DatasetRef | None:
    ref = resolve(st.session_state.get("ds"))
    if ref is None and st.session_state.get("ds"):
        ref = resolve(None)  # a shared link to a dataset this server lacks: fall back
    if ref is not None:
        st.session_state["ds"] = ref.key
    return ref


def _keep_valid(key: str, options: list[str]) -> None:
    """Drop selections the narrowed option list no longer holds (a stale or shared URL)."""
    chosen = st.session_state.get(key) or []
    st.session_state[key] = [v for v in chosen if v in options]


def _clear() -> None:
    for key in (*url_state.LIST_KEYS, "flt_dates"):
        st.session_state.pop(key, None)


def filters(lang: str, ref: DatasetRef | None, version: str) -> tuple[Filters, bool]:
    """Draws the filter widgets; returns the filters and whether the date widget is complete."""
    sb = st.sidebar
    if ref is None:
        return Filters(), True
    root = str(ref.path)
    directory = cache.query(root, version, "manager_directory", Filters())
    span = cache.query(root, version, "sales_date_range", Filters())
    sb.subheader(t("filter.header", lang))

    dates: tuple[dt.date, dt.date] | None = None
    first, last = (span.iloc[0]["first_day"], span.iloc[0]["last_day"]) if len(span) else (
        None, None)
    if pd.notna(first) and pd.notna(last):
        first, last = pd.Timestamp(first).date(), pd.Timestamp(last).date()
        saved = st.session_state.get("flt_dates")
        if not (isinstance(saved, tuple) and len(saved) == 2
                and first <= saved[0] <= saved[1] <= last):
            st.session_state["flt_dates"] = (first, last)
        picked = sb.date_input(
            t("filter.dates", lang), min_value=first, max_value=last, key="flt_dates"
        )
        if isinstance(picked, tuple) and len(picked) == 2:
            dates = (picked[0], picked[1])
    complete = dates is not None or pd.isna(first)

    regions = sorted(directory["region"].dropna().unique())
    _keep_valid("flt_regions", regions)
    chosen_regions = sb.multiselect(
        t("filter.region", lang), regions, key="flt_regions", placeholder=t("filter.all", lang)
    )
    scoped = directory[directory["region"].isin(chosen_regions)] if chosen_regions else directory
    districts = sorted(scoped["district"].dropna().unique())
    _keep_valid("flt_districts", districts)
    chosen_districts = sb.multiselect(
        t("filter.district", lang), districts, key="flt_districts",
        placeholder=t("filter.all", lang),
    )
    if chosen_districts:
        scoped = scoped[scoped["district"].isin(chosen_districts)]
    names = dict(zip(scoped["manager_id"], scoped["name"], strict=True))
    _keep_valid("flt_managers", list(names))
    chosen_managers = sb.multiselect(
        t("filter.manager", lang), list(names), key="flt_managers",
        format_func=lambda m: f"{names.get(m, m)} · {m}", placeholder=t("filter.all", lang),
    )
    sb.button(t("filter.reset", lang), on_click=_clear)
    sb.caption(t("filter.share", lang))
    url_state.write_back(dates if dates and (dates[0], dates[1]) != (first, last) else None)
    return (
        Filters(
            start=dates[0] if dates else None,
            end=dates[1] if dates else None,
            regions=tuple(chosen_regions),
            districts=tuple(chosen_districts),
            managers=tuple(chosen_managers),
        ),
        complete,
    )


def view_context(lang: str) -> ViewContext:
    """Called by app.py once per run, before the page: the widgets live in the sidebar."""
    ref = current_dataset()
    version = cache.dataset_version(str(ref.path)) if ref else ""
    flt, _ = filters(lang, ref, version)
    return ViewContext(lang=lang, ref=ref, filters=flt, version=version)
