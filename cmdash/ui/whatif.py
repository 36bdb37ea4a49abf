"""The What-if page's parts: levers bound to the URL, the scenario, movers and totals."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cmdash.access import audit
from cmdash.all_settings import SETTINGS, Settings
from cmdash.coaching.classify import classify
from cmdash.dataset import Dataset
from cmdash.errors import InputError
from cmdash.grades.evaluate import action_label
from cmdash.i18n import pick
from cmdash.kpi.units import UNITS
from cmdash.numbers import DOWN, SAME, UP, arrow_change
from cmdash.ui import cache, model_cache
from cmdash.ui.context import ViewContext
from cmdash.whatif import levers
from cmdash.whatif.baseline import build
from cmdash.whatif.scenario import Baseline, movers, outcome, totals_table

PREFIX = "wi:"  # widget keys; bound to the URL, so a scenario is a link
#: the unit of each money or volume total (their labels name it), for its decimals
TOTAL_UNITS = {"pay_cost": "yuan", "revenue": "yuan", "volume_at_risk": "units"}


def baseline(root: str, version: str, filters, settings: Settings) -> Baseline:
    """Built once per filter change and kept in the process's memory budget; read-only."""
    return cache.memory().get(("whatif_baseline", root, version, filters, settings),
                              lambda: _build(root, version, filters, settings))


def _build(root: str, version: str, filters, settings: Settings) -> Baseline:
    scan = cache.scan(root, version, filters, "month", settings)
    directory = cache.query(root, version, "manager_directory", filters)
    grades = dict(zip(scan.managers["manager"].astype(str),
                      directory.set_index("manager_id")["grade"]
                      .reindex(scan.managers["manager"].astype(str)), strict=True))
    review = model_cache.review(root, version, filters, settings)
    hook = None
    if review is not None:
        def hook(s: Settings) -> pd.Series:
            return classify(review.features, s, review.tables).primary
    return build(scan, grades, settings, classify=hook)


def with_risk(ctx: ViewContext, base: Baseline) -> Baseline:
    """The baseline plus the risk totals, when the viewer asks for them: scoring is shared
    with the Retention page (`model_cache.risk`, at the last day with sales and the default
    horizon), so the totals are the same whichever page was opened first, and training
    (minutes at scale) starts only on request."""
    import dataclasses

    if not st.toggle(ctx.t("whatif.risk_toggle"), key="wi_risk",
                     help=ctx.t("whatif.risk_help")):
        return base
    _, last = model_cache.date_range(ctx.root, ctx.version)
    result = model_cache.risk(ctx, last, int(ctx.settings["retention.horizon_days"]))
    scope = set(ctx.query("scope_managers")["manager_id"])
    customers = result.customers[result.customers["manager_id"].isin(scope)]
    return dataclasses.replace(base, risk=risk_totals(customers))


def risk_totals(customers: pd.DataFrame):
    """Customers and volume at risk under a scenario's cut-off."""
    risk = customers["risk"].to_numpy()
    volume = customers["volume_at_risk"].to_numpy()

    def totals(s: Settings) -> dict[str, float]:
        hot = risk >= s["retention.risk_cutoff"]
        return {"at_risk_customers": int(hot.sum()), "volume_at_risk": float(volume[hot].sum())}

    return totals


def _reset() -> None:
    for key in [k for k in st.session_state if str(k).startswith(PREFIX)]:
        del st.session_state[key]


MAX_SCENARIO_BYTES = 64 * 1024  # a scenario file lists a few dozen settings


def read_scenario(data: bytes, name: str) -> Settings:
    """A scenario file's settings, validated like any settings file (InputError if not)."""
    if len(data) > MAX_SCENARIO_BYTES:
        raise InputError(f"The file is larger than {MAX_SCENARIO_BYTES // 1024} KiB",
                         file=name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("The file is not UTF-8 text", file=name) from exc
    return Settings.from_toml(text, name)


def _load_file(workspace: str, who: str) -> None:
    """Apply an uploaded scenario to the levers; the attempt goes to the audit log."""
    upload = st.session_state.get("wi_file")
    if upload is None:
        return
    try:
        loaded = read_scenario(upload.getvalue(), upload.name)
    except InputError as exc:
        st.session_state["wi_error"] = exc.describe()
        audit.record(workspace, who, "whatif.load_failed",
                     {"file": upload.name, "error": exc.describe()})
        return
    audit.record(workspace, who, "whatif.load",
                 {"file": upload.name,
                  "values": {k: v for k, (_, v) in loaded.diff().items()}})
    _reset()
    for key, value in loaded.items():
        st.session_state[PREFIX + key] = value


def _saved(workspace: str, who: str, changed: dict[str, object]) -> None:
    """The scenario was downloaded: record which values it changes from the defaults."""
    audit.record(workspace, who, "whatif.save", {"file": "cmdash-settings.toml",
                                                 "values": changed})


def lever_widgets(ctx: ViewContext) -> Settings:
    """Sliders for every setting, grouped; returns the scenario's settings."""
    base = ctx.settings
    groups = levers.grouped()
    tabs = st.tabs([pick(zh, en, ctx.lang) for _, zh, en, _ in levers.GROUPS])
    values: dict[str, object] = {}
    for tab, (gid, *_rest) in zip(tabs, levers.GROUPS, strict=True):
        with tab:
            for key in groups[gid]:
                spec = SETTINGS[key]
                default = base[key]
                label = spec.label(ctx.lang)
                wkey = PREFIX + key
                if isinstance(spec.default, bool):
                    values[key] = st.toggle(label, value=default, key=wkey,
                                            bind="query-params")
                elif isinstance(spec.default, int | float) and spec.low is not None:
                    kind = type(spec.default)
                    values[key] = st.slider(
                        label, min_value=kind(spec.low), max_value=kind(spec.high),
                        value=kind(default), step=kind(spec.step or (1 if kind is int else
                                                                      0.01)),
                        key=wkey, bind="query-params",
                        help=ctx.t("whatif.default_help", v=f"{spec.default:g}"))
                else:
                    values[key] = st.text_input(label, value=str(default), key=wkey,
                                                bind="query-params")
    try:
        scenario = base.with_values(values, "what-if")
    except InputError as exc:
        st.error(exc.describe())
        return base
    total = levers.weight_total(scenario)
    if total is not None:
        st.warning(ctx.t("whatif.weights_off", total=f"{total:g}"), icon=":material/warning:")
    return scenario


def side_controls(ctx: ViewContext, scenario: Settings) -> None:
    st.button(ctx.t("whatif.reset"), on_click=_reset, icon=":material/restart_alt:")
    ws, who = str(Dataset.open(ctx.root).workspace), ctx.access.who
    changed = {k: v for k, (_, v) in scenario.diff().items()}
    st.download_button(ctx.t("whatif.save"), scenario.to_toml(full=False) or "# defaults\n",
                       "cmdash-settings.toml", "application/toml", icon=":material/save:",
                       on_click=_saved, args=(ws, who, changed))
    st.file_uploader(ctx.t("whatif.load"), type=["toml"], key="wi_file",
                     on_change=_load_file, args=(ws, who),
                     max_upload_size=1)  # MB; read_scenario enforces MAX_SCENARIO_BYTES
    if err := st.session_state.pop("wi_error", None):
        st.error(ctx.t("whatif.load_failed", msg=err))
    diff = scenario.diff()
    st.caption(ctx.t("whatif.diff", n=len(diff)))
    if diff:
        st.dataframe(pd.DataFrame([
            {ctx.t("whatif.setting"): SETTINGS[k].label(ctx.lang), ctx.t("whatif.default"): d,
             ctx.t("whatif.current"): v} for k, (d, v) in diff.items()]),
            hide_index=True, width="stretch")


def results(ctx: ViewContext, base: Baseline, scenario: Settings, names: dict[str, str]
            ) -> None:
    before, after = outcome(base, ctx.settings), outcome(base, scenario)
    totals = totals_table(before, after)
    for col in ("before", "after"):  # to the unit's decimals: 305,523元, not 305,523.07
        totals[col] = [round(v, UNITS[TOTAL_UNITS[m]].decimals) if m in TOTAL_UNITS else v
                       for m, v in zip(totals["measure"], totals[col], strict=True)]
    totals["measure"] = totals["measure"].map(lambda m: measure_label(ctx, m))
    totals["delta"] = [arrow_change(b, a, 1 if isinstance(a, float) and a % 1 else 0)
                       for b, a in zip(totals["before"], totals["after"], strict=True)]
    st.subheader(ctx.t("whatif.totals"))
    st.dataframe(_arrows_coloured(totals, ["delta"]), hide_index=True, width="stretch",
                 column_config={
        "measure": ctx.t("whatif.measure"),
        "before": st.column_config.NumberColumn(ctx.t("whatif.before"), format="localized"),
        "after": st.column_config.NumberColumn(ctx.t("whatif.after"), format="localized"),
        "delta": ctx.t("whatif.delta"),
    })
    moved = movers(before, after)
    st.subheader(ctx.t("whatif.movers", n=len(moved)))
    if moved.empty:
        st.info(ctx.t("whatif.no_movers"))
        return
    moved.insert(1, "name", moved["manager"].map(lambda m: names.get(m, m)))
    moved.insert(2, "rank_move", [arrow_change(b, a, lower_is_up=True) for b, a in
                                  zip(moved["rank_before"], moved["rank_after"], strict=True)])
    for col in ("grade_action_before", "grade_action_after"):
        if col in moved:
            moved[col] = moved[col].map(lambda a: action_label(a, ctx.lang))
    for col in ("eliminate_before", "eliminate_after"):  # words, not grey checkboxes
        if col in moved:
            moved[col] = moved[col].map(
                lambda v: SAME if pd.isna(v) else ctx.t("whatif.yes" if v else "whatif.no"))
    st.dataframe(_arrows_coloured(moved, ["rank_move"]), hide_index=True, width="stretch",
                 column_config={c: mover_header(ctx, c) for c in moved.columns})


def _arrows_coloured(frame: pd.DataFrame, columns: list[str]):
    """↑ in green and ↓ in red (AA contrast on white) in the given columns."""
    def colour(v) -> str:
        text = str(v)
        return "color: #1a7f37" if text.startswith(UP) else \
            "color: #c62828" if text.startswith(DOWN) else ""

    return frame.style.map(colour, subset=columns)


def measure_label(ctx: ViewContext, measure: str) -> str:
    if measure.startswith("type:"):
        from cmdash.present.coaching import type_name

        tid = measure.split(":", 1)[1]
        return ctx.t("whatif.type_count", name=type_name(tid, ctx.lang)) if tid != "none" \
            else ctx.t("whatif.type_none")
    return ctx.t(f"whatif.total.{measure}")


def mover_header(ctx: ViewContext, column: str) -> str:
    for suffix in ("_before", "_after"):
        if column.endswith(suffix):
            return f"{ctx.t('whatif.field.' + column[: -len(suffix)])} · " \
                   f"{ctx.t('whatif.' + suffix[1:])}"
    return ctx.t(f"whatif.field.{column}")
