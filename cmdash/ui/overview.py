"""The overview page's widgets: cards, trend, drill-down, ranking, score spread."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from cmdash import charts
from cmdash.kpi import OVERVIEW_KPIS
from cmdash.kpi.compare import COMPARISONS
from cmdash.kpi.grains import DIMENSIONS, ORG_LEVELS
from cmdash.kpi.wording import kpi_label
from cmdash.present import overview as ov
from cmdash.present.colours import RED_UP
from cmdash.present.labels import kpi_header
from cmdash.ui import page_data, plots
from cmdash.ui.context import ViewContext
from cmdash.ui.frame import page_file

SPANS = ("month", "ytd")  # 本月 / 本年累计


def _company(ctx: ViewContext):
    """The company's monthly KPIs with comparisons (cached: every part reads the same)."""
    return page_data.kpis(ctx, ov.CARD_KPIS, (), "month", COMPARISONS[:2])


def headline(ctx: ViewContext) -> None:
    company = _company(ctx)
    missing = [kpi_label(k, ctx.lang, ctx.trade) for k in company.unavailable
               if k in ov.CARD_KPIS]
    if missing:
        st.caption(ctx.t("overview.unavailable", names="、".join(missing)))
    red_up = bool(ctx.settings[RED_UP])
    order = ov.headline_order(ov.CARD_KPIS)
    span = st.segmented_control(ctx.t("overview.span"), SPANS, default=SPANS[0], key="span",
                                format_func=lambda s: ctx.t(f"overview.span.{s}"),
                                bind="query-params", required=True) or SPANS[0]
    mtd = page_data.month_to_date(ctx, ov.CARD_KPIS) if span == "month" else None
    if span == "ytd":
        ytd, current, yoy = page_data.year_to_date(ctx, ov.CARD_KPIS)
        shown = ov.ytd_cards(current, yoy, company.values, ytd, order, ctx.lang, ctx.trade,
                             red_up)
    elif mtd is not None:  # the range ends mid-month: that month to date, like for like
        windows, current, prior, yoy = mtd
        shown = ov.mtd_cards(current, prior, yoy, company.values, windows, order, ctx.lang,
                             ctx.trade, red_up)
    else:
        shown = ov.cards(company.values, order, ctx.lang, ctx.trade, red_up)
    if not shown:
        st.info(ctx.t("overview.empty"))
        st.stop()
    latest = max(c.period for c in shown)
    if span == "ytd":
        st.caption(ctx.t("overview.ytd", start=f"{ytd.current[0]:%Y-%m-%d}",
                         end=f"{ytd.current[1]:%Y-%m-%d}"))
    elif mtd is not None:
        st.caption(ctx.t("overview.mtd", month=f"{latest:%Y-%m}", day=mtd[0].days))
    else:
        st.caption(ctx.t("overview.latest", month=f"{latest:%Y-%m}"))
    first, rest = ov.fold(shown)
    _grid(ctx, first, latest, span, mtd is not None)
    if rest:
        with st.expander(ctx.t("overview.more", n=len(rest)), icon=":material/add_chart:"):
            _grid(ctx, rest, latest, span, mtd is not None)
    return company


def _grid(ctx: ViewContext, shown, latest, span: str, to_date: bool) -> None:
    """Cards four to a row on a wide screen and two to a row on a phone: two columns
    (which stack below 640 px) of two columns that never stack (`wrap=False`)."""
    for row in range(0, len(shown), 4):
        halves = st.columns(2)
        for i, card in enumerate(shown[row:row + 4]):
            if i % 2 == 0:
                pair = halves[i // 2].columns(2, wrap=False)
            yoy = ctx.t("overview.yoy", v=card.yoy) if card.yoy else ctx.t("overview.no_yoy")
            if to_date or span == "ytd":
                yoy = ctx.t("overview.mtd_yoy", v=card.yoy) if card.yoy \
                    else ctx.t("overview.no_yoy" if span != "ytd" else "overview.ytd_delta")
            if card.period != latest:
                yoy = f"{ctx.t('overview.as_of', month=f'{card.period:%Y-%m}')} · {yoy}"
            pair[i % 2].metric(card.label, card.value, delta=card.delta,
                               delta_color=card.delta_color, help=card.note or None,
                               border=True, chart_data=card.trend, delta_description=yoy)


def trend(ctx: ViewContext, company) -> None:
    available = [k for k in OVERVIEW_KPIS if k in company.values]
    kpi = st.selectbox(ctx.t("overview.trend_kpi"), available, key="trend_kpi",
                       format_func=lambda k: kpi_header(k, ctx.lang, ctx.trade))
    frame = ov.trend(company.values, kpi)
    plots.show(charts.trend_lines(
        frame, kpi, ov.titled(ctx.t("overview.trend"), frame["period"]), ctx.t("overview.month"),
        kpi_header(kpi, ctx.lang, ctx.trade), ctx.t("overview.this_year"),
        ctx.t("overview.last_year"),
    ), width="stretch")


def _go(path: list[str]) -> None:
    """Drill to `path` (city, district) by setting the sidebar's filters: the whole page and
    the URL follow (a cross-filter, like 联动), and the breadcrumb or 重置 goes back."""
    for level, key in (("region", "region"), ("district", "district")):
        depth = ORG_LEVELS.index(level)
        st.session_state[key] = [path[depth]] if len(path) > depth else []
    st.session_state["manager"] = []


def _path(ctx: ViewContext) -> list[str]:
    """Where the drill stands: the one city (and one district) the filters name."""
    f = ctx.filters
    path: list[str] = []
    if len(f.regions) == 1:
        path.append(f.regions[0])
        if len(f.districts) == 1:
            path.append(f.districts[0])
    return path


def _picked(key: str, path: list[str]) -> None:
    """The drill selectbox's choice: one level down (managers open their profile instead)."""
    value = st.session_state.get(key)
    if value is not None and len(path) < len(ORG_LEVELS) - 1:
        _go([*path, value])


def _clicked(key: str, path: list[str], labels: dict[str, str]) -> None:
    """A bar clicked: one level down, as the selectbox does."""
    event = st.session_state.get(key)
    points = event.selection.points if event is not None else []
    if points and len(path) < len(ORG_LEVELS) - 1:
        shown = points[0].get("x")
        _go([*path, labels.get(shown, shown)])


def drill(ctx: ViewContext, directory) -> None:
    st.subheader(ctx.t("overview.drill"))
    st.caption(ctx.t("overview.drill_help"))
    path = _path(ctx)
    crumbs = st.columns(len(path) + 1 if path else 1)
    crumbs[0].button(ctx.t("overview.drill_all"), on_click=_go, args=([],), key="crumb_0")
    for i, value in enumerate(path):
        crumbs[i + 1].button(f"› {value}", on_click=_go, args=(path[: i + 1],),
                             key=f"crumb_{i + 1}")
    step = ov.drill_step(path)
    kpi = st.session_state.get("trend_kpi", OVERVIEW_KPIS[0])
    level = page_data.kpis(ctx, OVERVIEW_KPIS, (step.level,), "all")
    if kpi not in level.values:
        kpi = OVERVIEW_KPIS[0]
    frame = ov.drill_frame(level.values, step, directory.rename(
        columns={"manager_id": "manager"}), kpi)
    if frame.empty:
        st.info(ctx.t("overview.empty"))
        return
    names = page_data.manager_names(directory)
    labels = frame[step.level].map(lambda v: names.get(v, v)) if step.level == "manager" \
        else frame[step.level]
    span = ov.span_text(_company(ctx).values["period"])  # the bars add up this span
    fig = charts.bars(frame.assign(label=labels), "label", kpi,
                      f"{kpi_header(kpi, ctx.lang, ctx.trade)} · {span}".rstrip(" ·"),
                      DIMENSIONS[step.level].label(ctx.lang), kpi_header(kpi, ctx.lang, ctx.trade))
    chart_key = f"drill_{step.level}_{len(path)}"
    back = dict(zip(labels, frame[step.level], strict=True))
    event = plots.show(fig, width="stretch", selection_mode="points", key=chart_key,
                            on_select=partial(_clicked, chart_key, path, back))
    pick_key = f"drill_pick_{len(path)}"
    choice = st.selectbox(ctx.t("overview.drill_pick"), [None, *frame[step.level]],
                          key=pick_key, on_change=_picked, args=(pick_key, path),
                          format_func=lambda v: "—" if v is None else names.get(v, v))
    picked = [p.get("x") for p in (event.selection.points if event else [])]
    target = choice or (back.get(picked[0], picked[0]) if picked else None)
    if step.level == "manager" and target is not None:
        st.page_link(page_file("profile"), label=ctx.t("overview.open_profile",
                                                     name=names.get(target, target)),
                     query_params={"who": target}, icon=":material/person:")


def ranking(ctx: ViewContext, directory) -> None:
    scores = page_data.scores(ctx)
    monthly = page_data.kpis(ctx, ("sales_cases",), ("manager",), "month").values
    table = ov.ranking(scores, monthly, directory)
    periods = scores["period"] if "period" in scores else pd.Series(dtype="datetime64[ns]")
    st.subheader(ov.titled(ctx.t("overview.ranking"), periods))
    st.dataframe(
        table.drop(columns=["manager"]), hide_index=True, width="stretch",
        column_config={
            # narrow columns, so the sparkline keeps its room in the page's right column
            "rank": st.column_config.NumberColumn(ctx.t("overview.rank"), width=40),
            "name": st.column_config.TextColumn(ctx.t("overview.name"), pinned=True,
                                                width=70),
            "district": st.column_config.TextColumn(ctx.t("overview.district"), width=90),
            "total": st.column_config.ProgressColumn(
                ctx.t("overview.total"), min_value=0, max_value=100, format="%.1f",
                width=100),
            "trend": st.column_config.LineChartColumn(ctx.t("overview.spark"), width=110),
        },
    )
    plots.show(charts.histogram(
        table["total"], ov.titled(ctx.t("overview.distribution"), periods),
        ctx.t("overview.total"),
        ctx.t("overview.managers_n"),
    ), width="stretch")


def bulletin(ctx: ViewContext) -> None:
    """The month's bulletin (what `python -m cmdash report` writes), in the viewer's scope,
    built only when the button is clicked."""
    import pandas as pd

    from cmdash.report.formats import FORMATS

    span = ctx.query("sales_date_range", ctx.unfiltered).iloc[0]
    if pd.isna(span["last_day"]):
        return
    months = [f"{p:%Y-%m}" for p in pd.period_range(pd.Timestamp(span["first_day"]),
                                                     pd.Timestamp(span["last_day"]), freq="M")]
    with st.expander(ctx.t("report.download"), icon=":material/summarize:"):
        left, right = st.columns(2)
        month = left.selectbox(ctx.t("report.month"), months[::-1], key="bulletin_month")
        fmt = right.selectbox(ctx.t("report.format"), list(FORMATS), key="bulletin_format")
        root, access, settings, lang = ctx.root, ctx.access, ctx.settings, ctx.lang
        st.download_button(
            ctx.t("report.download"), data=lambda: _bulletin(root, access, settings, lang,
                                                             month, fmt),
            file_name=f"bulletin-{month}.{fmt}", mime=FORMATS[fmt], on_click="ignore",
            help=ctx.t("report.download_help"), key="bulletin_download",
            icon=":material/download:")


def _bulletin(root: str, access, settings, lang: str, month: str, fmt: str) -> bytes:
    """Runs on the click, outside the script run: no Streamlit calls in here."""
    from cmdash.access import EVERYONE
    from cmdash.dataset import Dataset
    from cmdash.engine import open_engine
    from cmdash.report.bulletin import build
    from cmdash.report.formats import render

    ds = Dataset.open(root)
    b = build(ds, open_engine(ds), month, settings, access, lang, named=access != EVERYONE)
    return render(b, fmt)
