"""The Coaching page's parts: cached review, charts, type lists, the manager card, verdicts.

Features are cached per filter change and feature setting; the classification is kept
per scope and settings in the process's memory budget (a moved threshold is new settings:
classified again from the cached features, never rescanned).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from cmdash.access import audit
from cmdash.all_settings import SETTINGS, Settings
from cmdash.charts import coaching as charts
from cmdash.coaching import verdicts
from cmdash.coaching.classify import NONE, Classification, classify
from cmdash.coaching.cluster import SecondOpinion, second_opinion
from cmdash.coaching.features import FEATURES
from cmdash.coaching.learning import Suggestion, agreement, suggest
from cmdash.coaching.review import Review
from cmdash.coaching.types import BY_ID, STYLE_IDS, TYPE_IDS
from cmdash.dataset import Dataset
from cmdash.numbers import feature_unit, format_value
from cmdash.present.coaching import describe, notes, status_text, type_name
from cmdash.query import Filters
from cmdash.ui import cache, model_cache, page_data, plots
from cmdash.ui.context import ViewContext
from cmdash.ui.frame import page_file
from cmdash.ui.tables import with_row_details

HISTORY_STEPS = (9, 6, 3, 0)  # months before the last day: the review dates over time


def _opinion(root: str, version: str, filters: Filters, settings: Settings
             ) -> SecondOpinion | None:
    """The clusters, fitted once per scope and settings rather than on every rerun (k-means
    with ten starts is most of a warm coaching page's CPU, which many sessions queue for);
    kept in the process's memory budget."""
    def fit() -> SecondOpinion | None:
        r = model_cache.review(root, version, filters, settings, 0)
        result = _classified(root, version, filters, settings)
        if r is None or result is None:
            return None
        return second_opinion(r.features, result.primary, int(settings["coaching.clusters"]))

    return cache.memory().get(("opinion", root, version, filters, settings), fit)


def _classified(root: str, version: str, filters: Filters, settings: Settings
                ) -> Classification | None:
    """The scope's types and their evidence, once per scope and settings rather than on
    every rerun (under load, a rerun's classification and evidence cost more than its
    charts); read-only, like everything in the memory budget."""
    def run() -> Classification | None:
        r = model_cache.review(root, version, filters, settings, 0)
        return None if r is None else classify(r.features, settings, r.tables)

    return cache.memory().get(("classified", root, version, filters, settings), run)


@dataclass(frozen=True)
class CoachingData:
    review: Review
    result: Classification
    opinion: SecondOpinion | None
    names: pd.Series  # manager -> "name (id)"


def load(ctx: ViewContext) -> CoachingData | None:
    r = model_cache.review(ctx.root, ctx.version, ctx.filters, ctx.settings, 0)
    if r is None:
        return None
    result = _classified(ctx.root, ctx.version, ctx.filters, ctx.settings)
    opinion = _opinion(ctx.root, ctx.version, ctx.filters, ctx.settings)
    d = page_data.directory(ctx).set_index("manager_id")
    names = pd.Series({m: f"{d['name'].get(m, m)} ({m})" for m in r.features.index})
    return CoachingData(r, result, opinion, names)


def _names(lang: str) -> dict[str, str]:
    return {k: type_name(k, lang) for k in (*TYPE_IDS, *STYLE_IDS, NONE)}


def header(ctx: ViewContext, data: CoachingData) -> None:
    st.warning(ctx.t("coaching.disclaimer"), icon=":material/info:")
    w = data.review.window
    recent = f"{w.recent_start:%Y-%m}…{w.as_of:%Y-%m}"
    base = f"{w.base_start:%Y-%m}…{(w.recent_start - pd.Timedelta(days=1)):%Y-%m}"
    st.caption(ctx.t("coaching.window", recent=recent, base=base, as_of=f"{w.as_of:%Y-%m-%d}"))
    cols = st.columns(2)
    cols[0].metric(ctx.t("coaching.reviewed"), f"{len(data.review.features):,}")
    cols[1].metric(ctx.t("coaching.typed"), f"{int((data.result.primary != NONE).sum()):,}")
    for line in notes(data.result, ctx.lang, data.review.tiers):
        st.info(line)


def over_time(ctx: ViewContext) -> None:
    """The type counts at earlier as-of dates: four more company reviews, so computed only
    when the viewer asks (not on every first visit)."""
    if not st.toggle(ctx.t("coaching.over_time_show"), key="coaching_history",
                     help=ctx.t("coaching.over_time_help")):
        return
    rows = []
    for back in HISTORY_STEPS:
        r = model_cache.review(ctx.root, ctx.version, ctx.filters, ctx.settings, back)
        if r is None:
            continue
        counts = classify(r.features, ctx.settings, r.tables).primary.value_counts()
        rows += [{"as_of": f"{r.window.as_of:%Y-%m}", "type": k, "count": int(v)}
                 for k, v in counts.items()]
    if not rows:
        return
    fig = charts.counts_over_time(pd.DataFrame(rows), _names(ctx.lang),
                                  ctx.t("coaching.over_time"), ctx.t("coaching.as_of"),
                                  ctx.t("coaching.count"), ctx.t("coaching.type"))
    plots.show(fig, width="stretch")


def scatter(ctx: ViewContext, data: CoachingData) -> None:
    f = data.review.features
    frame = pd.DataFrame({"manager": f.index, "label": data.names.reindex(f.index).to_numpy(),
                          "results_score": f["results_score"].to_numpy(),
                          "process_score": f["process_score"].to_numpy(),
                          "primary": data.result.primary.reindex(f.index).to_numpy()})
    fig = charts.results_process(frame, _names(ctx.lang), ctx.t("coaching.scatter"),
                                 ctx.t("coaching.results_score"),
                                 ctx.t("coaching.process_score"), ctx.t("coaching.primary"))
    plots.show(fig, width="stretch")


def _steps(ctx: ViewContext, type_id: str) -> None:
    st.markdown(f"**{ctx.t('coaching.steps')}**")
    st.markdown("\n".join(f"{i}. {s}" for i, s in enumerate(BY_ID[type_id].advice(ctx.lang),
                                                             1)))


def by_type(ctx: ViewContext, data: CoachingData) -> None:
    st.subheader(ctx.t("coaching.by_type"))
    flags = data.result.flags
    counts = flags.groupby("type")["manager"].nunique()
    options = [k for k in (*TYPE_IDS, *STYLE_IDS) if k not in data.result.not_assessable]
    type_id = st.selectbox(
        ctx.t("coaching.pick_type"), options, key="coaching_type",
        format_func=lambda k: f"{type_name(k, ctx.lang)} · "
        f"{ctx.t('coaching.members', n=int(counts.get(k, 0)))}")
    _steps(ctx, type_id)
    members = flags[flags["type"] == type_id]
    if members.empty:
        return
    ev = data.result.evidence
    ev = ev[(ev["type"] == type_id) & (ev["status"] != "failed")
            & ev["manager"].isin(members["manager"])]
    text = {m: "；".join(describe(r, ctx.lang) for _, r in g.iterrows())
            for m, g in ev.groupby("manager")}
    table = pd.DataFrame({
        ctx.t("coaching.manager"): members["manager"].map(data.names),
        ctx.t("coaching.strength"): members["strength"],  # 0–1, shown as a percentage
        # words, not a grey checkbox
        ctx.t("coaching.primary"): members["primary"].map(
            lambda v: ctx.t("coaching.primary_yes" if v else "coaching.primary_no")),
        ctx.t("coaching.evidence"): members["manager"].map(text),
    })
    with_row_details(table, "coaching_type_members", ctx.t("coaching.evidence"),
                     ctx.t("app.row_details"), column_config={
                         ctx.t("coaching.strength"): st.column_config.NumberColumn(
                             ctx.t("coaching.strength"), format="percent")})


def _picked_manager(ctx: ViewContext) -> str | None:
    """The profile page's link (`who=`), else the one manager the sidebar filter names.
    (The filter's URL value is its shown label, "name · id": reading it as an id said
    "not reviewed" for the one manager the page had just counted.)"""
    linked = st.query_params.get("who")
    if linked:
        return linked
    chosen = ctx.filters.managers
    return chosen[0] if len(chosen) == 1 else None


def card(ctx: ViewContext, data: CoachingData) -> None:
    st.subheader(ctx.t("coaching.card"))
    ids = list(data.review.features.index)
    wanted = _picked_manager(ctx)
    if wanted is not None and wanted not in ids:
        st.info(ctx.t("coaching.not_reviewed"))
    index = ids.index(wanted) if wanted in ids else 0
    manager = st.selectbox(ctx.t("coaching.pick_manager"), ids, index=index,
                           key="coaching_manager", format_func=lambda m: data.names.get(m, m))
    flags = data.result.flags[data.result.flags["manager"] == manager]
    if flags.empty:
        st.success(ctx.t("coaching.card_none"))
        return
    ws = Dataset.open(ctx.root).workspace
    latest = verdicts.latest(ws)
    for row in flags.itertuples():
        label = f"{type_name(row.type, ctx.lang)} · {ctx.t('coaching.strength')} " \
                f"{format_value(row.strength, 'share', ctx.lang)}" + \
                (f" · {ctx.t('coaching.primary')}" if row.primary else "")
        with st.expander(label, expanded=bool(row.primary)):
            _evidence_table(ctx, data, manager, row.type)
            _steps(ctx, row.type)
            _verdict(ctx, ws, latest, manager, row.type, data.review.window.as_of)


def _evidence_table(ctx: ViewContext, data: CoachingData, manager: str, type_id: str) -> None:
    ev = data.result.evidence
    rows = ev[(ev["manager"] == manager) & (ev["type"] == type_id)]
    status = [status_text(s, w, ctx.lang)
              for s, w in zip(rows["status"].astype(str), rows["why"], strict=True)]
    units = [feature_unit(FEATURES[f].unit, f) for f in rows["feature"]]

    def written(col: str) -> list[str]:
        return [format_value(v, u, ctx.lang) for v, u in zip(rows[col], units, strict=True)]

    st.dataframe(pd.DataFrame({
        ctx.t("coaching.ev.feature"): [FEATURES[f].label(ctx.lang) for f in rows["feature"]],
        ctx.t("coaching.ev.required"): rows["required"].astype(bool).to_numpy(),
        ctx.t("coaching.ev.value_col"): written("value"),
        ctx.t("coaching.ev.threshold"): written("threshold"),
        ctx.t("coaching.ev.median"): written("peer_median"),
        ctx.t("coaching.ev.status"): status,
    }), hide_index=True, width="stretch")


def _verdict(ctx: ViewContext, ws, latest: pd.DataFrame, manager: str, type_id: str,
             as_of: pd.Timestamp) -> None:
    st.markdown(f"**{ctx.t('coaching.verdict')}**")
    last = latest[(latest["manager_id"] == manager) & (latest["type"] == type_id)]
    if len(last):
        r = last.iloc[-1]
        st.caption(ctx.t("coaching.last_verdict", verdict=ctx.t(f"coaching.verdict.{r['verdict']}"),
                         by=r["by"] or "–", at=r["at"], note=r["note"]))
    with st.form(f"verdict_{manager}_{type_id}"):
        # nothing chosen until the coach decides: a preselected answer gets saved unread
        choice = st.radio(ctx.t("coaching.verdict"), verdicts.VERDICTS, horizontal=True,
                          format_func=lambda v: ctx.t(f"coaching.verdict.{v}"),
                          label_visibility="collapsed", index=None,
                          key=f"verdict_choice_{manager}_{type_id}")
        note = st.text_input(ctx.t("coaching.note"), key=f"note_{manager}_{type_id}",
                             max_chars=verdicts.MAX_NOTE_CHARS)
        # who saves is the viewer (their login, or demo:<role>), never a typed name
        st.caption(ctx.t("coaching.saved_as", who=ctx.access.who))
        submitted = st.form_submit_button(ctx.t("coaching.save"))
        if submitted and choice is None:
            st.warning(ctx.t("coaching.choose_first"))
        elif submitted:
            verdicts.record(ws, manager, type_id, choice, note, ctx.access.who, as_of.date())
            audit.record(ws, ctx.access.who, "coaching.verdict",
                         {"manager_id": manager, "type": type_id, "verdict": choice,
                          "note": note, "as_of": as_of.date().isoformat()})
            st.success(ctx.t("coaching.saved"))


def second(ctx: ViewContext, data: CoachingData) -> None:
    so = data.opinion
    if so is None:
        return
    # analyst material (how far k-means agrees with the rules): folded, opened on request
    with st.expander(ctx.t("coaching.second_opinion"), icon=":material/science:"):
        _second_body(ctx, so)


def _second_body(ctx: ViewContext, so: SecondOpinion) -> None:
    st.caption(ctx.t("coaching.second_help"))
    cols = st.columns(2)
    cols[0].metric(ctx.t("coaching.agreement"), f"{so.adjusted_rand:.2f}")
    cols[1].metric(ctx.t("coaching.majority"), f"{so.majority_match * 100:.0f}%")
    names = _names(ctx.lang)
    table = so.crosstab.rename(columns=names)
    table.index = [f"{ctx.t('coaching.cluster')} {i}" for i in table.index]
    st.dataframe(table, width="stretch")
    labels = {f: FEATURES[f].label(ctx.lang) for f in so.profiles.columns}
    fig = charts.cluster_profile(so.profiles, labels, ctx.t("coaching.profile"),
                                 ctx.t("coaching.ev.feature"), ctx.t("coaching.cluster"), "σ")
    plots.show(fig, width="stretch")


@st.cache_data(show_spinner=False, ttl=3600, max_entries=32)
def _suggestions(root: str, version: str, filters: Filters, settings: Settings,
                 latest: pd.DataFrame) -> list[Suggestion]:
    """Cached per scope, settings and verdicts: trying every move re-flags a type some
    forty times, which at a thousand managers is worth doing once, not on every rerun."""
    r = model_cache.review(root, version, filters, settings, 0)
    if r is None:
        return []
    skip = classify(r.features, settings, r.tables).not_assessable
    return suggest(r.features, settings, latest, skip)


def coaches(ctx: ViewContext, data: CoachingData) -> None:
    """Per type, how often coaches agree, and the threshold move that would have matched
    their calls best: a link to the What-if lever, never applied here."""
    st.subheader(ctx.t("coaching.coaches"))
    st.caption(ctx.t("coaching.coaches_help"))
    latest = verdicts.latest(Dataset.open(ctx.root).workspace)
    if latest.empty:
        st.caption(ctx.t("coaching.coaches_none"))
        return
    table = agreement(latest)
    st.dataframe(pd.DataFrame({
        ctx.t("coaching.type"): [type_name(k, ctx.lang) if k in BY_ID else k
                                 for k in table["type"]],
        ctx.t("coaching.verdict.confirmed"): table["confirmed"].to_numpy(),
        ctx.t("coaching.verdict.wrong"): table["wrong"].to_numpy(),
        ctx.t("coaching.agree"): (table["agree"] * 100).round(0).astype(int).astype(str)
        + "%",
    }), hide_index=True, width="stretch")
    found = _suggestions(ctx.root, ctx.version, ctx.filters, ctx.settings,
                         latest[["manager_id", "type", "verdict"]])
    if not found:
        st.caption(ctx.t("coaching.no_suggestion"))
    for s in found:
        st.markdown(ctx.t("coaching.suggest", type=type_name(s.type, ctx.lang),
                          setting=SETTINGS[s.setting].label(ctx.lang), now=f"{s.current:g}",
                          new=f"{s.suggested:g}", before=s.matched_now, after=s.matched_after,
                          n=s.verdicts))
        st.page_link(page_file("whatif"), label=ctx.t("coaching.try_lever"),
                     query_params={f"wi:{s.setting}": f"{s.suggested:g}"},
                     icon=":material/tune:")
