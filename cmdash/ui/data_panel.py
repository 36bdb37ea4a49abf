"""The Data page's widgets: dataset picker, validation report, row counts and upload."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from cmdash.contract import TABLES
from cmdash.errors import InputError
from cmdash.i18n import pick
from cmdash.ingest import ALLOWED_SUFFIXES, MAX_UPLOAD_BYTES, import_table
from cmdash.roots import list_datasets, uploads_path
from cmdash.ui import cache
from cmdash.ui.context import ViewContext
from cmdash.ui.sidebar import clear_filters
from cmdash.validate import Report


def _open(key: str) -> None:
    st.session_state["ds"] = key
    clear_filters()


def current(ctx: ViewContext) -> None:
    st.subheader(ctx.t("data.current"))
    if ctx.ref is not None:
        # the server's folder layout is for the people who run it, not every viewer
        where = f" — `{ctx.ref.path}`" if ctx.access.spec.paths else ""
        st.markdown(f"**{ctx.ref.key}**{where}")
    st.caption(ctx.t("data.choose_help"))


def row_counts(ctx: ViewContext, report: Report) -> None:
    st.subheader(ctx.t("data.row_counts"))
    if not ctx.access.everything:
        st.caption(ctx.t("data.company_wide"))
    rows = [
        {
            ctx.t("data.table"): f"{pick(tbl.label_zh, tbl.label_en, ctx.lang)} ({name})",
            ctx.t("data.rows"): report.row_counts.get(name, 0),
            ctx.t("data.present"): ctx.t("data.yes") if report.row_counts.get(name)
            else ctx.t("data.no"),
        }
        for name, tbl in TABLES.items()
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def validation(ctx: ViewContext, report: Report) -> None:
    st.subheader(ctx.t("data.report"))
    if report.ok:
        st.success(ctx.t("data.ok"))
    else:
        st.error(ctx.t("data.errors", n=len(report.errors)))
    cols = st.columns(3)
    cols[0].metric(ctx.t("severity.error"), len(report.errors))
    cols[1].metric(ctx.t("severity.warning"), len(report.warnings))
    cols[2].metric(ctx.t("severity.info"), len(report.findings) - len(report.errors)
                   - len(report.warnings))
    if report.findings:
        if not ctx.access.everything:
            # example row keys may name people or customers outside the viewer's scope:
            # report_frame masks them
            st.caption(ctx.t("data.company_wide"))
        st.dataframe(report_frame(ctx, report), hide_index=True, width="stretch")


def report_frame(ctx: ViewContext, report: Report) -> pd.DataFrame:
    findings = report.findings
    if not ctx.access.everything:
        findings = [dataclasses.replace(f, examples=("…",)) for f in findings]
    return pd.DataFrame(
        [
            {
                ctx.t("data.severity"): ctx.t(f"severity.{f.severity}"),
                ctx.t("data.message"): f.message(ctx.lang),
                ctx.t("data.file"): f.file or "",
                ctx.t("data.column"): f.column or "",
                ctx.t("data.count"): f.count,
                ctx.t("data.examples"): ", ".join(f.examples),
            }
            for f in findings
        ]
    )


def upload(ctx: ViewContext) -> None:
    st.subheader(ctx.t("data.upload"))
    if not ctx.access.spec.settings:
        st.caption(ctx.t("data.upload_denied"))
        return
    st.caption(ctx.t("data.upload_help"))
    with st.form("upload_table", clear_on_submit=True):
        table = st.selectbox(
            ctx.t("data.upload_table"), list(TABLES),
            format_func=lambda n: f"{pick(TABLES[n].label_zh, TABLES[n].label_en, ctx.lang)}"
            f" ({n})",
        )
        file = st.file_uploader(
            ctx.t("data.upload_file"), type=[s.lstrip(".") for s in ALLOWED_SUFFIXES],
            max_upload_size=MAX_UPLOAD_BYTES // (1024 * 1024),
        )
        submitted = st.form_submit_button(ctx.t("data.upload_go"))
    if not (submitted and file is not None):
        return
    try:
        folder = import_table(table, file.getvalue(), file.name,
                              ctx.ref.path if ctx.ref else None, uploads_path())
    except InputError as exc:
        st.error(ctx.t("data.upload_failed", msg=exc.describe()))
        return
    key = next((r.key for r in list_datasets() if r.path == folder), None)
    st.success(ctx.t("data.upload_done", name=key or folder.name))
    report = cache.validation_report(str(folder), cache.dataset_version(str(folder)))
    validation(ctx, report)
    if key:
        st.button(ctx.t("data.open"), on_click=_open, args=(key,))
