"""The prepared layer on first open of a new data version, built with a progress bar.

Every server process shares the one layer on disk: the first to open a version builds it
(others wait on its lock, then read it), later opens only read it. After building, it
removes old layers no process has used for `prepared.prune_days` (`prepared/prune.py`).
Off with CMDASH_PREPARE_ON_OPEN=0 (pages then scan the fact files, as before the layer
existed).
"""

from __future__ import annotations

import contextlib
import os

import streamlit as st

from cmdash.ui import cache
from cmdash.ui.context import ViewContext

#: The environment variable that turns building on first open off ("0").
ON_OPEN_ENV = "CMDASH_PREPARE_ON_OPEN"


def ensure_prepared(ctx: ViewContext) -> None:
    """Build the layer for this version and these settings if there is none yet."""
    if ctx.ref is None or os.environ.get(ON_OPEN_ENV, "1") == "0":
        return
    from cmdash.dataset import Dataset
    from cmdash.kpi.params import measure_params
    from cmdash.prepared import prepare
    from cmdash.prepared.prune import prune

    engine = cache.engine_for(ctx.root, ctx.version)
    params = measure_params(ctx.settings)
    if engine.prepared.layer(params) is not None:
        return
    if cache.validation_report(ctx.root, ctx.version).errors:
        return  # as `prepare` refuses it: the pages say what is wrong with the data
    text = ctx.t("app.preparing")
    bar = st.progress(0.0, text=text)

    def progress(fraction: float, message: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=f"{text} {message}")

    # a read-only or full workspace, files that cannot be read: the pages scan the fact
    # files instead, and say what is wrong with them
    with contextlib.suppress(Exception):
        layer = prepare(engine, Dataset.open(ctx.root), params, version=ctx.version,
                        progress=progress)
        # the layers of older versions and other settings nobody has used for a while
        prune(layer.path.parent, layer.path.name, float(ctx.settings["prepared.prune_days"]))
    bar.empty()
