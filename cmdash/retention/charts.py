"""Plotly figures for the Retention page; every title and axis label comes from the caller."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from cmdash.retention.backtest import Metrics

_MARGIN = {"l": 10, "r": 10, "t": 40, "b": 10}


def risk_histogram(risk: pd.Series, cutoff: float, title: str, x_label: str, y_label: str
                   ) -> go.Figure:
    fig = px.histogram(x=risk, nbins=20, range_x=[0, 1], title=title, labels={"x": x_label})
    fig.add_vline(x=cutoff, line_dash="dash", line_color="firebrick")
    fig.update_layout(margin=_MARGIN, yaxis_title=y_label, bargap=0.05)
    return fig


def volume_treemap(tree: pd.DataFrame, title: str, value_label: str) -> go.Figure:
    """`tree`: ids, labels, parents, value (as `rollup.org_tree` returns)."""
    fig = go.Figure(go.Treemap(
        ids=tree["id"], labels=tree["label"], parents=tree["parent"], values=tree["value"],
        branchvalues="total", hovertemplate="%{label}<br>" + value_label + ": %{value:,.1f}"
        "<extra></extra>"))
    fig.update_layout(title=title, margin=_MARGIN)
    return fig


def calibration(model: Metrics, baseline: Metrics, names: tuple[str, str], title: str,
                x_label: str, y_label: str) -> go.Figure:
    """Reliability curves (mean predicted against observed share, equal-count bins) and
    the diagonal; both axes span the points, since lapse chances are mostly small."""
    points = [v for m in (model, baseline) for p, o, _ in m.calibration for v in (p, o)]
    top = min(1.0, max(points, default=1.0) * 1.1) or 1.0
    fig = go.Figure()
    fig.add_scatter(x=[0, top], y=[0, top], mode="lines",
                    line={"dash": "dot", "color": "grey"}, showlegend=False,
                    hoverinfo="skip")
    for metrics, name in zip((model, baseline), names, strict=True):
        fig.add_scatter(x=[p for p, _, _ in metrics.calibration],
                        y=[o for _, o, _ in metrics.calibration],
                        customdata=[n for _, _, n in metrics.calibration],
                        mode="lines+markers", name=name,
                        hovertemplate="%{x:.3f} → %{y:.3f} (n=%{customdata})<extra></extra>")
    fig.update_layout(title=title, xaxis_title=x_label, yaxis_title=y_label, margin=_MARGIN,
                      xaxis={"range": [0, top]}, yaxis={"range": [0, top]},
                      legend={"orientation": "h", "y": -0.2})
    return fig
