"""The overview page's widgets: cards, trend, drill-down, ranking, score spread."""

from __future__ import annotations

import streamlit as st

from cmdash import charts
from cmdash.kpi import OVERVIEW_KPIS
from cmdash.kpi.compare import COMPARISONS
from cmdash.kpi.grains import DIMENSIONS, ORG_LEVELS
from cmdash.kpi.wording import kpi_label
from cmdash.ui import views
from cmdash.ui.context import ViewContext
from cmdash.views import overview as ov
from cmdash.views.labels import kpi_header

DRILL = "drill_path"


def headline(ctx: ViewContext) -> None:
    company = views.kpis(ctx, OVERVIEW_KPIS, (), "month", COMPARISONS[:2])
    missing = [kpi_label(k, ctx.lang, ctx.trade) for k in company.unavailable
               if k in OVERVIEW_KPIS]
    if missing:
        st.caption(ctx.t("overview.unavailable", names="、".join(missing)))
    mtd = views.month_to_date(ctx, OVERVIEW_KPIS)
    if mtd is not None:  # the range ends mid-month: that month to date, like for like
        windows, current, prior, yoy = mtd
        shown = ov.mtd_cards(current, prior, yoy, company.values, windows,
                             list(OVERVIEW_KPIS), ctx.lang, ctx.trade)
    else:
        shown = ov.cards(company.values, list(OVERVIEW_KPIS), ctx.lang, ctx.trade)
    if not shown:
        st.info(ctx.t("overview.empty"))
        st.stop()
    latest = max(c.period for c in shown)
    if mtd is not None:
        st.caption(ctx.t("overview.mtd", month=f"{latest:%Y-%m}", day=mtd[0].days))
    else:
        st.caption(ctx.t("overview.latest", month=f"{latest:%Y-%m}"))
    for row in range(0, len(shown), 4):
        cols = st.columns(4)
        for col, card in zip(cols, shown[row:row + 4], strict=False):
            yoy = ctx.t("overview.yoy", v=card.yoy) if card.yoy else ctx.t("overview.no_yoy")
            if mtd is not None:
                yoy = ctx.t("overview.mtd_yoy", v=card.yoy) if card.yoy \
                    else ctx.t("overview.no_yoy")
            if card.period != latest:
                yoy = f"{ctx.t('overview.as_of', month=f'{card.period:%Y-%m}')} · {yoy}"
            col.metric(card.label, card.value, delta=card.delta, delta_color=card.delta_color,
                       help=card.note or None, border=True, chart_data=card.trend,
                       delta_description=yoy)
    return company


def trend(ctx: ViewContext, company) -> None:
    available = [k for k in OVERVIEW_KPIS if k in company.values]
    kpi = st.selectbox(ctx.t("overview.trend_kpi"), available, key="trend_kpi",
                       format_func=lambda k: kpi_header(k, ctx.lang, ctx.trade))
    frame = ov.trend(company.values, kpi)
    st.plotly_chart(charts.trend_lines(
        frame, kpi, ctx.t("overview.trend"), ctx.t("overview.month"),
        kpi_header(kpi, ctx.lang, ctx.trade), ctx.t("overview.this_year"),
        ctx.t("overview.last_year"),
    ), width="stretch")


def _go(path: list[str]) -> None:
    st.session_state[DRILL] = path


def drill(ctx: ViewContext, directory) -> None:
    st.subheader(ctx.t("overview.drill"))
    st.caption(ctx.t("overview.drill_help"))
    path: list[str] = list(st.session_state.get(DRILL, []))
    crumbs = st.columns(len(path) + 1 if path else 1)
    crumbs[0].button(ctx.t("overview.drill_all"), on_click=_go, args=([],), key="crumb_0")
    for i, value in enumerate(path):
        crumbs[i + 1].button(f"› {value}", on_click=_go, args=(path[: i + 1],),
                             key=f"crumb_{i + 1}")
    step = ov.drill_step(path)
    kpi = st.session_state.get("trend_kpi", OVERVIEW_KPIS[0])
    level = views.kpis(ctx, OVERVIEW_KPIS, (step.level,), "all")
    if kpi not in level.values:
        kpi = OVERVIEW_KPIS[0]
    frame = ov.drill_frame(level.values, step, directory.rename(
        columns={"manager_id": "manager"}), kpi)
    if frame.empty:
        st.info(ctx.t("overview.empty"))
        return
    names = views.manager_names(directory)
    labels = frame[step.level].map(lambda v: names.get(v, v)) if step.level == "manager" \
        else frame[step.level]
    fig = charts.bars(frame.assign(label=labels), "label", kpi, "",
                      DIMENSIONS[step.level].label_zh if ctx.lang == "zh"
                      else DIMENSIONS[step.level].label_en, kpi_header(kpi, ctx.lang, ctx.trade))
    event = st.plotly_chart(fig, width="stretch", on_select="rerun",
                            selection_mode="points", key=f"drill_{step.level}_{len(path)}")
    picked = [p.get("x") for p in (event.selection.points if event else [])]
    choice = st.selectbox(ctx.t("overview.drill_pick"), [None, *frame[step.level]],
                          key=f"drill_pick_{len(path)}",
                          format_func=lambda v: "—" if v is None else names.get(v, v))
    target = choice or (picked[0] if picked else None)
    if step.level == "manager" and target is not None:
        manager = target if target in names else next(
            (m for m, n in names.items() if n == target), target)
        st.page_link("pages/profile.py", label=ctx.t("overview.open_profile",
                                                     name=names.get(manager, manager)),
                     query_params={"who": manager}, icon=":material/person:")
    elif target is not None and step.level != ORG_LEVELS[-1]:
        _go([*path, target])
        st.rerun()


def ranking(ctx: ViewContext, directory) -> None:
    scores = views.scores(ctx)
    monthly = views.kpis(ctx, ("sales_cases",), ("manager",), "month").values
    table = ov.ranking(scores, monthly, directory)
    st.subheader(ctx.t("overview.ranking"))
    st.dataframe(
        table.drop(columns=["manager"]), hide_index=True, width="stretch",
        column_config={
            "rank": st.column_config.NumberColumn(ctx.t("overview.rank")),
            "name": ctx.t("overview.name"),
            "district": ctx.t("overview.district"),
            "total": st.column_config.ProgressColumn(
                ctx.t("overview.total"), min_value=0, max_value=100, format="%.1f"),
            "trend": st.column_config.LineChartColumn(ctx.t("overview.spark")),
        },
    )
    st.plotly_chart(charts.histogram(
        table["total"], ctx.t("overview.distribution"), ctx.t("overview.total"),
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
