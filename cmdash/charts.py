"""Plotly figures built from result frames; labels and units come from the caller's language."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go


def monthly_line(frame: pd.DataFrame, x: str, y: str, x_label: str, y_label: str) -> go.Figure:
    fig = px.line(frame, x=x, y=y, markers=True, labels={x: x_label, y: y_label})
    fig.update_layout(margin={"l": 10, "r": 10, "t": 30, "b": 10}, hovermode="x unified")
    return fig
