"""Plotly figures for the coaching view; every label arrives translated from the caller."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from cmdash.coaching.classify import NONE
from cmdash.coaching.types import TYPE_IDS

_MARGIN = {"l": 10, "r": 10, "t": 40, "b": 10}
#: One colour per type, the same in every chart; "none" in grey.
COLOURS = dict(zip((*TYPE_IDS, NONE), (*px.colors.qualitative.Safe[:len(TYPE_IDS)],
                                       "#c8c8c8"), strict=True))


def counts_over_time(frame: pd.DataFrame, names: dict[str, str], title: str, x_label: str,
                     y_label: str, legend: str) -> go.Figure:
    """`frame`: as_of, type, count — stacked bars, one per review date."""
    d = frame[frame["type"] != NONE].assign(name=lambda f: f["type"].map(names))
    fig = px.bar(d, x="as_of", y="count", color="type", title=title,
                 color_discrete_map=COLOURS, labels={"as_of": x_label, "count": y_label,
                                                     "type": legend},
                 category_orders={"type": list(TYPE_IDS)}, hover_data={"name": True})
    fig.for_each_trace(lambda tr: tr.update(name=names.get(tr.name, tr.name)))
    fig.update_layout(margin=_MARGIN, barmode="stack", xaxis={"type": "category"})
    return count_axis(fig, d.groupby("as_of")["count"].sum().max() if len(d) else 0)


def count_axis(fig: go.Figure, highest: float) -> go.Figure:
    """A count axis from 0 in whole numbers (a scope with no flagged manager drew −1…4)."""
    axis: dict = {"rangemode": "tozero", "tickformat": ",d"}
    if highest <= 5:
        axis |= {"dtick": 1, "range": [0, max(float(highest), 1.0) * 1.05]}
    fig.update_yaxes(**axis)
    return fig


def results_process(frame: pd.DataFrame, names: dict[str, str], title: str, x_label: str,
                    y_label: str, legend: str) -> go.Figure:
    """`frame`: manager, label, results_score, process_score, primary (type id)."""
    fig = go.Figure()
    for type_id in (*TYPE_IDS, NONE):
        d = frame[frame["primary"] == type_id]
        if d.empty:
            continue
        fig.add_scatter(x=d["results_score"], y=d["process_score"], mode="markers",
                        name=names.get(type_id, type_id), text=d["label"],
                        customdata=d["manager"],
                        marker={"color": COLOURS[type_id], "size": 9 if type_id != NONE else 6,
                                "line": {"width": 0.5, "color": "#333"}},
                        hovertemplate="%{text}<br>%{x:.1f} / %{y:.1f}<extra></extra>")
    fig.update_layout(title=title, xaxis_title=x_label, yaxis_title=y_label, margin=_MARGIN,
                      legend={"title": legend})
    return fig


def cluster_profile(profiles: pd.DataFrame, labels: dict[str, str], title: str,
                    x_label: str, y_label: str, colour_label: str) -> go.Figure:
    """Heatmap: cluster × feature, mean in standard deviations from everyone's mean."""
    fig = go.Figure(go.Heatmap(
        z=profiles.to_numpy(), x=[labels.get(c, c) for c in profiles.columns],
        y=[str(i) for i in profiles.index], colorscale="RdBu", zmid=0, zmin=-3, zmax=3,
        colorbar={"title": colour_label}))
    fig.update_layout(title=title, xaxis_title=x_label, yaxis_title=y_label, margin=_MARGIN)
    return fig
