"""The frame every page shares: the context from app.py, the data banner, errors as messages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from cmdash.errors import InputError
from cmdash.ui import cache
from cmdash.ui.context import ViewContext
from cmdash.ui.frame import page_file, title_key

_VIEW = "_view"  # this run's ViewContext, set by app.py before the page runs


def publish(ctx: ViewContext) -> None:
    st.session_state[_VIEW] = ctx


def start(page_id: str, *, needs_data: bool = True) -> ViewContext:
    """Open page `page_id` (of PAGE_IDS): its title, and a stop with a message (never a
    blank page) when the viewer may not open it or there is nothing to show."""
    if _VIEW not in st.session_state:
        # A deep link opened on a fresh server runs the page without app.py (Streamlit's
        # legacy pages/ mode); declaring the navigation switches to app.py for good.
        from cmdash.i18n import DEFAULT_LANGUAGE
        from cmdash.ui.frame import navigation

        navigation(DEFAULT_LANGUAGE, hidden=True)  # app.py lists what the viewer may open
        keep = [(k, v) for k in st.query_params for v in st.query_params.get_all(k)]
        st.switch_page(page_file(page_id), query_params=keep)
    # consumed, so a run that skipped app.py can never draw with last run's filters
    ctx: ViewContext = st.session_state.pop(_VIEW)
    st.title(ctx.t(title_key(page_id)))
    if not ctx.access.may_open(page_id):
        st.warning(ctx.t("access.page_denied"))
        st.stop()
    if needs_data and ctx.ref is None:
        st.info(ctx.t("app.no_data"))
        st.stop()
    if needs_data:
        from cmdash.ui.prepared import ensure_prepared

        ensure_prepared(ctx)
        _as_of(ctx)
    if ctx.ref is not None:
        report = cache.validation_report(ctx.root, ctx.version)
        if report.errors and page_id != "data":
            st.warning(ctx.t("app.data_errors", n=len(report.errors)))
    return ctx


def _as_of(ctx: ViewContext) -> None:
    """The header line: which dataset, and the last day it has sales for (数据截至 …)."""
    from cmdash.query import Filters

    try:
        span = ctx.query("sales_date_range", Filters())
    except Exception:  # a decoration: the page itself says what is wrong with the data
        return
    if len(span) and pd.notna(span.iloc[0]["last_day"]):
        st.caption(ctx.t("app.as_of", name=ctx.ref.key,
                         day=f"{pd.Timestamp(span.iloc[0]['last_day']):%Y-%m-%d}"))


@contextmanager
def guarded(ctx: ViewContext) -> Iterator[None]:
    """A failing query shows what went wrong in words; the rest of the page still draws."""
    try:
        yield
    except InputError as exc:
        st.error(ctx.t("app.bad_data", msg=exc.describe()))
    except Exception as exc:
        st.error(ctx.t("app.bad_data", msg=f"{type(exc).__name__}: {exc}"))
