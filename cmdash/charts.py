"""Plotly figures built from result frames; titles, axes and units come from the caller."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

_MARGIN = {"l": 10, "r": 10, "t": 40, "b": 10}
MONTH_FORMAT = "%Y-%m"  # 2025-01 in both languages (plotly's default writes "Jan 2025")


def month_axis(fig: go.Figure, periods: pd.Series) -> go.Figure:
    """A month axis ticked 2025-01: one tick a month when few, and a single month padded by
    half a month each side (left alone, plotly zooms into it down to "23:59:59.999")."""
    months = pd.to_datetime(pd.Series(periods)).dropna().drop_duplicates()
    axis: dict = {"type": "date", "tickformat": MONTH_FORMAT, "hoverformat": MONTH_FORMAT}
    if len(months) <= 12:
        axis["dtick"] = "M1"
    if len(months) == 1:
        only = months.iloc[0]
        axis["range"] = [only - pd.Timedelta(days=15), only + pd.Timedelta(days=15)]
    fig.update_xaxes(**axis)
    return fig


def trend_lines(frame: pd.DataFrame, kpi: str, title: str, x_label: str, y_label: str,
                this_label: str, last_label: str) -> go.Figure:
    fig = go.Figure()
    fig.add_scatter(x=frame["period"], y=frame[kpi], mode="lines+markers", name=this_label)
    if f"{kpi}__yoy" in frame:
        fig.add_scatter(x=frame["period"], y=frame[f"{kpi}__yoy"], mode="lines",
                        name=last_label, line={"dash": "dot"})
    fig.update_layout(title=title, xaxis_title=x_label, yaxis_title=y_label, margin=_MARGIN,
                      hovermode="x unified", legend={"orientation": "h", "y": -0.2})
    return month_axis(fig, frame["period"])


def bars(frame: pd.DataFrame, x: str, y: str, title: str, x_label: str, y_label: str,
         text: list[str] | None = None) -> go.Figure:
    fig = px.bar(frame, x=x, y=y, labels={x: x_label, y: y_label}, title=title, text=text)
    fig.update_layout(margin=_MARGIN, clickmode="event+select")
    return fig


def histogram(values: pd.Series, title: str, x_label: str, y_label: str,
              bins: int = 20) -> go.Figure:
    fig = px.histogram(x=values, nbins=bins, title=title, labels={"x": x_label})
    fig.update_layout(margin=_MARGIN, yaxis_title=y_label, bargap=0.05)
    return fig


def radar(categories: list[str], series: dict[str, list[float]], title: str) -> go.Figure:
    fig = go.Figure()
    for name, values in series.items():
        fig.add_scatterpolar(r=[*values, values[0]], theta=[*categories, categories[0]],
                             fill="toself", name=name)
    fig.update_layout(title=title, polar={"radialaxis": {"range": [0, 100]}}, margin=_MARGIN)
    return fig


def calendar_heatmap(days: pd.DataFrame, value: str, title: str, weekday_names: list[str],
                     week_label: str, value_label: str) -> go.Figure:
    """A week × weekday grid, one cell per day (GitHub-style)."""
    d = days.assign(day=pd.to_datetime(days["day"]))
    d["week"] = d["day"].dt.to_period("W-SUN").dt.start_time
    d["weekday"] = d["day"].dt.day_of_week
    grid = d.pivot_table(index="weekday", columns="week", values=value, aggfunc="sum")
    grid = grid.reindex(range(7))
    fig = go.Figure(go.Heatmap(
        z=grid.to_numpy(), x=list(grid.columns), y=weekday_names, colorscale="Greens",
        colorbar={"title": value_label}, hoverongaps=False,
    ))
    fig.update_layout(title=title, xaxis_title=week_label, margin=_MARGIN,
                      yaxis={"autorange": "reversed"})
    return fig


def scatter_highlight(frame: pd.DataFrame, x: str, y: str, highlight: str, label_col: str,
                      title: str, x_label: str, y_label: str) -> go.Figure:
    others = frame[frame[label_col] != highlight]
    me = frame[frame[label_col] == highlight]
    fig = go.Figure()
    fig.add_scatter(x=others[x], y=others[y], mode="markers", name="",
                    marker={"color": "lightgray", "size": 8}, text=others[label_col],
                    showlegend=False)
    fig.add_scatter(x=me[x], y=me[y], mode="markers+text", marker={"size": 14, "color": "red"},
                    text=me[label_col], textposition="top center", showlegend=False)
    fig.update_layout(title=title, xaxis_title=x_label, yaxis_title=y_label, margin=_MARGIN,
                      xaxis={"range": [0, 100]}, yaxis={"range": [0, 100]})
    return fig
