"""Plotly figures for the Retention page; every title and axis label comes from the caller."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from cmdash.retention.backtest import Metrics

_MARGIN = {"l": 10, "r": 10, "t": 40, "b": 10}


BAND_COLOURS = {"low": "#6b8f71", "watch": "#d9a441", "high": "#c62828"}


def risk_band_bars(bands: pd.DataFrame, names: dict[str, str], title: str, x_label: str,
                   y_label: str) -> go.Figure:
    """`bands` as `rollup.risk_bands` returns: one bar per band, its count written on it."""
    fig = go.Figure(go.Bar(
        x=[names[b] for b in bands["band"]], y=bands["customers"],
        text=[f"{n:,}" for n in bands["customers"]], textposition="outside",
        marker_color=[BAND_COLOURS[b] for b in bands["band"]], cliponaxis=False))
    fig.update_layout(title=title, margin=_MARGIN, xaxis_title=x_label, yaxis_title=y_label,
                      yaxis={"rangemode": "tozero", "tickformat": ",d"})
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
