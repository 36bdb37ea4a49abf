"""Plotly figures built from result frames; titles, axes and units come from the caller."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

_MARGIN = {"l": 10, "r": 10, "t": 64, "b": 10}  # the title sits low in it: see `inked`
#: two series told apart by colour and line (a viewer first, peers second)
SERIES_COLOURS = ("#1f5fbf", "#d95f02")


@dataclass(frozen=True)
class Ink:
    """The colours of a chart's text and of its grey marks, for one theme's background:
    each at least 4.5:1 against it (WCAG AA for text; tests/unit/test_contrast.py)."""

    background: str  # the theme's backgroundColor (.streamlit/config.toml)
    text: str  # titles, ticks, axis titles, legends (Streamlit's plotly theme greys them)
    last_year: str  # the 去年同期 line and quadrant guides and their names


INK = {
    "light": Ink("#ffffff", "#303030", "#595959"),
    "dark": Ink("#171614", "#e0ded9", "#b3b1ac"),
}
LAST_YEAR_COLOUR = INK["light"].last_year
GUIDE = "guide"  # the `name` of shapes and annotations drawn in the last_year ink
#: plotly's tool bar: no logo link, no selection tools the pages do not use
CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


def inked(fig: go.Figure, theme: str | None) -> go.Figure:
    """`fig` with its text and grey marks in `theme`'s ink (light unless "dark"), and its
    title just above the plot, clear of the tool bar in the margin's top corner."""
    ink = INK["dark" if theme == "dark" else "light"]
    fig.update_layout(font_color=ink.text, legend_font_color=ink.text,
                      title={"font": {"color": ink.text}, "yref": "paper", "y": 1,
                             "yanchor": "bottom", "pad": {"b": 8}})
    fig.update_xaxes(tickfont_color=ink.text, title_font_color=ink.text)
    fig.update_yaxes(tickfont_color=ink.text, title_font_color=ink.text)
    fig.for_each_trace(lambda t: t.update(line_color=ink.last_year),
                       selector={"meta": GUIDE})
    fig.for_each_shape(lambda s: s.update(line_color=ink.last_year), selector={"name": GUIDE})
    fig.for_each_annotation(lambda a: a.update(font_color=ink.last_year),
                            selector={"name": GUIDE})
    return fig
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
    fig.add_scatter(x=frame["period"], y=frame[kpi], mode="lines+markers", name=this_label,
                    line={"color": SERIES_COLOURS[0]})
    if f"{kpi}__yoy" in frame:  # dark grey, dotted: 7:1 on white (WCAG AA asks 4.5:1 for text)
        fig.add_scatter(x=frame["period"], y=frame[f"{kpi}__yoy"], mode="lines",
                        name=last_label, line={"dash": "dot", "color": LAST_YEAR_COLOUR},
                        meta=GUIDE)
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
    """Parts on a 0–100 radar; wide side margins so long part names (④ 营销服务) are not cut."""
    fig = go.Figure()
    for i, (name, values) in enumerate(series.items()):
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        fig.add_scatterpolar(r=[*values, values[0]], theta=[*categories, categories[0]],
                             fill="toself", name=name, line={"color": colour,
                                                             "dash": "solid" if i == 0
                                                             else "dash"},
                             fillcolor=colour, opacity=0.55 if i == 0 else 0.35)
    fig.update_layout(title=title, polar={"radialaxis": {"range": [0, 100]},
                                          "domain": {"x": [0.12, 0.88]}},
                      margin={"l": 60, "r": 60, "t": 60, "b": 30},
                      legend={"orientation": "h", "y": -0.1})
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
    # weeks start on Monday (the rows run 周一…周日); ticks as 2026-01-05, not "Jan 5"
    fig.update_layout(title=title, xaxis_title=week_label, margin=_MARGIN,
                      yaxis={"autorange": "reversed"},
                      xaxis={"type": "date", "tickformat": "%Y-%m-%d"})
    return fig


def scatter_highlight(frame: pd.DataFrame, x: str, y: str, highlight: str, label_col: str,
                      title: str, x_label: str, y_label: str,
                      split: tuple[float, float] | None = None,
                      corners: dict[tuple[bool, bool], str] | None = None) -> go.Figure:
    """Everyone in grey, one point named in red; `split` draws the quadrant lines (x, y) and
    `corners` names each quadrant by (x high, y high)."""
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
    if split is not None:
        guide = {"dash": "dash", "color": LAST_YEAR_COLOUR, "width": 1}
        fig.add_vline(x=split[0], line=guide, name=GUIDE)
        fig.add_hline(y=split[1], line=guide, name=GUIDE)
    for (x_high, y_high), text in (corners or {}).items():
        fig.add_annotation(x=98 if x_high else 2, y=98 if y_high else 2, text=text,
                           showarrow=False, xanchor="right" if x_high else "left",
                           yanchor="top" if y_high else "bottom",
                           font={"color": LAST_YEAR_COLOUR, "size": 12}, name=GUIDE)
    return fig
