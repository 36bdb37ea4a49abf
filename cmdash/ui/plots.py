"""Every chart goes on a page through `show`: its text in the ink of the viewer's theme
(Streamlit's own plotly theme greys ticks and axis titles below 4.5:1 on white) and
plotly's tool bar trimmed (`charts.CONFIG`)."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from cmdash import charts


def show(figure: go.Figure, where=None, **kwargs):
    """`where.plotly_chart(figure, ...)` (the page when `where` is None), inked for the theme
    the browser reports (light until it says otherwise)."""
    theme = st.context.theme.type
    return (where or st).plotly_chart(charts.inked(figure, theme), config=charts.CONFIG,
                                      **kwargs)
