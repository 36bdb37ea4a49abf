"""First run with no data: generate the small demo with a progress bar."""

from __future__ import annotations

import streamlit as st

from cmdash.i18n import t
from cmdash.roots import demo_path, list_datasets


def ensure_demo(lang: str) -> None:
    if list_datasets():
        return
    from cmdash.demo import generate

    bar = st.progress(0.0, text=t("app.first_run", lang))

    def progress(fraction: float, message: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=f"{t('app.first_run', lang)} {message}")

    generate(demo_path(), size="small", progress=progress)
    bar.empty()
    st.toast(t("app.first_run_done", lang))
