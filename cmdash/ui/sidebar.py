"""The shared sidebar: language, dataset and the global filters, drawn once per run by app.py.

Every widget is bound to the URL (Streamlit's `bind="query-params"`), so the address bar
always holds the view and can be shared; a stale or foreign value is dropped, not an error.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from cmdash.access import EVERYONE, Access
from cmdash.all_settings import SETTINGS_FILE, Settings
from cmdash.errors import InputError
from cmdash.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from cmdash.memo.budget import MIB
from cmdash.memo.params import MEMORY_KEYS, duckdb_mib, limit_bytes
from cmdash.query import Filters
from cmdash.roots import DatasetRef, list_datasets
from cmdash.ui import cache, identity, page_data
from cmdash.ui.context import ViewContext

_LANG_NAMES = {"zh": "中文", "en": "English"}
URL = "query-params"
FILTER_KEYS = ("region", "district", "manager", "dates")


def language() -> str:
    lang = st.sidebar.segmented_control(
        "Language / 语言", LANGUAGES, default=DEFAULT_LANGUAGE,
        format_func=_LANG_NAMES.__getitem__, key="lang", bind=URL,
        label_visibility="collapsed", required=True,
    )
    return lang or DEFAULT_LANGUAGE


def dataset(lang: str) -> DatasetRef | None:
    refs = {r.key: r for r in list_datasets()}
    if not refs:
        return None
    if len(refs) == 1:
        return next(iter(refs.values()))
    key = st.sidebar.selectbox(
        t("data.current", lang), list(refs), key="ds", bind=URL, on_change=clear_filters,
    )
    return refs.get(key) or next(iter(refs.values()))


def _keep_valid(key: str, options: list[str]) -> None:
    """Drop selections the narrowed option list no longer holds."""
    if key in st.session_state:
        st.session_state[key] = [v for v in st.session_state[key] or [] if v in options]


def clear_filters() -> None:
    for key in FILTER_KEYS:
        st.session_state.pop(key, None)


def _date_span(span: pd.DataFrame) -> tuple[dt.date, dt.date] | None:
    if span.empty:
        return None
    # by column: a row of mixed types would be built (and converted) on every rerun
    first, last = span["first_day"].iloc[0], span["last_day"].iloc[0]
    if pd.isna(first) or pd.isna(last):
        return None
    return pd.Timestamp(first).date(), pd.Timestamp(last).date()


def filters(lang: str, ref: DatasetRef, version: str, access: Access = EVERYONE) -> Filters:
    sb = st.sidebar
    root = str(ref.path)
    directory = cache.query(root, version, "manager_directory", Filters(access=access))
    bounds = _date_span(cache.query(root, version, "sales_date_range", Filters()))
    sb.subheader(t("filter.header", lang))

    start = end = None
    if bounds:
        picked = sb.date_input(
            t("filter.dates", lang), value=bounds, min_value=bounds[0], max_value=bounds[1],
            key="dates", bind=URL,
        )
        if isinstance(picked, tuple | list) and len(picked) == 2:
            start, end = picked
            if (start, end) == bounds:
                start = end = None  # the whole span: no date filter at all

    regions = sorted(directory["region"].dropna().unique())
    _keep_valid("region", regions)
    chosen_regions = sb.multiselect(
        t("filter.region", lang), regions, key="region", bind=URL,
        placeholder=t("filter.all", lang),
    )
    scoped = directory[directory["region"].isin(chosen_regions)] if chosen_regions else directory
    districts = sorted(scoped["district"].dropna().unique())
    _keep_valid("district", districts)
    chosen_districts = sb.multiselect(
        t("filter.district", lang), districts, key="district", bind=URL,
        placeholder=t("filter.all", lang),
    )
    if chosen_districts:
        scoped = scoped[scoped["district"].isin(chosen_districts)]
    names = page_data.manager_names(scoped)
    _keep_valid("manager", list(names))
    chosen_managers = sb.multiselect(
        t("filter.manager", lang), list(names), key="manager", bind=URL,
        format_func=lambda m: f"{names.get(m, m)} · {m}", placeholder=t("filter.all", lang),
    )
    sb.button(t("filter.reset", lang), on_click=clear_filters)
    sb.caption(t("filter.share", lang))
    return Filters(
        start=start, end=end, regions=tuple(chosen_regions),
        districts=tuple(chosen_districts), managers=tuple(chosen_managers), access=access,
    )


def dataset_settings(lang: str, ref: DatasetRef) -> Settings:
    """The settings file in the dataset folder, if any; a bad one is named, not fatal."""
    path = ref.path / SETTINGS_FILE
    if not path.is_file():
        return Settings()
    try:
        values = Settings.load(path)
    except InputError as exc:
        st.sidebar.warning(t("app.bad_settings", lang, msg=exc.describe()))
        return Settings()
    if ignored := server_ignores(values):
        st.sidebar.caption(t("app.memory_settings", lang, keys=", ".join(ignored),
                             cache=limit_bytes() // MIB, duckdb=duckdb_mib()))
    return values


def server_ignores(values: Settings) -> list[str]:
    """The settings a dataset's file sets that a server takes from its environment only:
    one budget serves every dataset (`cmdash.memo.params`)."""
    return [k for k in values.diff() if k in MEMORY_KEYS]


def view_context(lang: str) -> ViewContext:
    """Called by app.py once per run, before the page: the widgets live in the sidebar."""
    ref = dataset(lang)
    access = identity.viewer(lang, ref)
    if ref is None:
        return ViewContext(lang=lang, ref=None, filters=Filters(access=access))
    version = cache.dataset_version(str(ref.path))
    return ViewContext(lang=lang, ref=ref, filters=filters(lang, ref, version, access),
                       version=version, settings=dataset_settings(lang, ref))
