"""The monthly bulletin (月度考核通报) as sections of numbers and labels, before any format.

Each section keeps its raw values (what the xlsx writes and the tests compare with `kpis`
and `score`) beside the column labels in the bulletin's language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from cmdash.access import EVERYONE, Access
from cmdash.assessment import PARTS
from cmdash.i18n import t
from cmdash.kpi import OVERVIEW_KPIS
from cmdash.kpi.compare import change
from cmdash.query import Filters
from cmdash.report import gather
from cmdash.settings import Values

#: Roles whose own bulletin may name the managers behind each coaching type; a bulletin
#: built without a viewer (company-wide, meant to be forwarded) names none.
NAMING_ROLES = ("analyst", "region_head", "coach")


@dataclass(frozen=True)
class Section:
    id: str  # labels: report.section.<id>
    values: pd.DataFrame  # raw values, columns named by id
    headers: dict[str, str]  # column id -> label in the bulletin's language
    notes: tuple[str, ...] = ()
    chart: tuple[str, str] | None = None  # (label column, value column): a bar chart

    def title(self, lang: str) -> str:
        return t(f"report.section.{self.id}", lang)


@dataclass(frozen=True)
class Bulletin:
    month: gather.Month
    lang: str
    scope: str  # who the bulletin covers, in words
    sections: tuple[Section, ...]
    footnote: dict[str, str] = field(default_factory=dict)

    def title(self) -> str:
        return t("report.title", self.lang, month=f"{self.month.start:%Y-%m}")

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)


def _h(lang: str, *ids: str) -> dict[str, str]:
    return {i: t(f"report.col.{i}", lang) for i in ids}


def build(ds, engine, month: str, settings: Values,
          viewer: Access = EVERYONE, lang: str = "zh", named: bool = False) -> Bulletin:
    """The bulletin for `month` (YYYY-MM) as the viewer sees it. `named`: the caller is a
    signed-in user (not a forwarded company-wide copy), so a role in NAMING_ROLES may
    see names beside the coaching counts."""
    from cmdash.errors import InputError
    from cmdash.present.labels import kpi_header

    span = gather.data_span(engine)
    if span is None:
        raise InputError("The sales table has no rows: no bulletin to write", file="sales")
    first, last = span
    m = gather.Month.of(month, last)
    if m.start.date() > last or m.end < first:
        raise InputError(f"--month {month} is outside the data ({first} to {last})",
                         file="sales")
    filters = Filters(access=viewer, end=m.end)
    people = gather.directory(engine, viewer)
    names = dict(zip(people["manager_id"], people["name"], strict=True))
    district = dict(zip(people["manager_id"], people["district"], strict=True))
    allowed = None if viewer.everything else set(people["manager_id"])

    head = gather.headline(engine, filters, settings, m, OVERVIEW_KPIS)
    head = head.assign(label=[kpi_header(k, lang) for k in head["kpi"]],
                       vs_prior=[change(v, p) for v, p in zip(head["value"], head["prior"],
                                                               strict=True)],
                       vs_yoy=[change(v, y) for v, y in zip(head["value"], head["yoy"],
                                                            strict=True)])
    sections = [Section("headline", head[["kpi", "label", "value", "prior", "vs_prior",
                                          "yoy", "vs_yoy"]],
                        _h(lang, "label", "value", "prior", "vs_prior", "yoy", "vs_yoy"),
                        (t("report.partial", lang, day=m.end),) if m.partial else ())]
    sections += _assessment(engine, filters, settings, m, lang, names, district)
    sections.append(_measured("coaching", lang, lambda: _coaching(
        engine, settings, filters, m, lang, names, named and viewer.role in NAMING_ROLES)))
    sections.append(_measured("risk", lang, lambda: _risk(ds, engine, settings, m, lang,
                                                          allowed)))
    sections.append(_measured("ladder", lang, lambda: _ladder(engine, settings, filters,
                                                              lang, names, people)))
    scope = t("report.scope.all", lang) if viewer.everything else t(
        "report.scope.some", lang, who=viewer.user,
        what=t("sep.names", lang).join(
            viewer.districts or viewer.regions or viewer.managers) or "—")
    foot = {t("report.foot.version", lang): ds.version(),
            t("report.foot.as_of", lang): str(m.end),
            t("report.foot.settings", lang): "; ".join(
                f"{k}={v}" for k, (_, v) in settings.diff().items()) or t(
                "report.foot.defaults", lang),
            t("report.foot.made", lang): dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}
    return Bulletin(m, lang, scope, tuple(sections), foot)


def _assessment(engine, filters, settings, m, lang, names, district) -> list[Section]:
    """The ranking with the six parts, top and bottom, flagged for review, movers."""
    parts = [p.id for p in PARTS]
    all_scores = gather.scores(engine, filters, settings)
    now = all_scores[all_scores["period"] == m.start]
    ranked = now.dropna(subset=["total"]).sort_values(["rank", "manager"])
    ranked = ranked.assign(name=ranked["manager"].map(names),
                           district=ranked["manager"].map(district))
    headers = _h(lang, "rank", "manager", "name", "district") | {
        p.id: p.label(lang) for p in PARTS} | _h(lang, "total")
    cols = ["rank", "manager", "name", "district", *parts, "total"]
    if ranked.empty:
        note = (t("report.not_scored", lang),)
        return [Section(sid, pd.DataFrame(columns=cols), headers, note)
                for sid in ("ranking", "top", "bottom", "flagged", "movers")]
    n = int(settings["report.top_n"])
    table = ranked[cols].reset_index(drop=True)
    out = [Section("ranking", table, headers, chart=("name", "total")),
           Section("top", table.head(n), headers),
           Section("bottom", table.tail(n).iloc[::-1], headers)]
    flags = gather.flagged(all_scores, settings, m)
    flags = flags.assign(name=flags["manager"].map(names),
                         district=flags["manager"].map(district))
    out.append(Section("flagged", flags[["manager", "name", "district", "mean_total",
                                         "months"]].reset_index(drop=True),
                       _h(lang, "manager", "name", "district", "mean_total", "months"),
                       (t("report.flag_note", lang,
                          pct=f"{settings['assessment.elimination_pct']:g}",
                          months=settings["assessment.elimination_min_months"]),)))
    before = all_scores[all_scores["period"] == m.start - pd.DateOffset(months=1)]
    moved = ranked[["manager", "name", "district", "total", "rank"]].merge(
        before[["manager", "total", "rank"]].dropna(subset=["total"]), on="manager",
        suffixes=("", "_prior"))
    moved = moved.assign(delta=moved["total"] - moved["total_prior"])
    k = int(settings["report.movers_n"])
    up = moved[moved["delta"] > 0].nlargest(k, "delta")
    down = moved[moved["delta"] < 0].nsmallest(k, "delta")
    movers = pd.concat([up, down], ignore_index=True)[
        ["manager", "name", "district", "total_prior", "total", "delta", "rank_prior", "rank"]]
    out.append(Section("movers", movers, _h(lang, "manager", "name", "district",
                                            "total_prior", "total", "delta", "rank_prior",
                                            "rank"), chart=("name", "delta")))
    return out


def _coaching(engine, settings, filters, m, lang, names, named: bool) -> Section:
    flags = gather.coaching_types(engine, settings, filters, m.end)
    flags = flags[flags["type"] != "none"]
    rows = []
    for type_id, group in flags.groupby("type", sort=True):
        row = {"type": gather.coaching_name(type_id, lang), "managers": len(group),
               "primary": int(group["primary"].sum())}
        if named:
            row["names"] = "、".join(sorted(names.get(x, x) for x in group["manager_id"]))
        rows.append(row)
    cols = ["type", "managers", "primary", *(["names"] if named else [])]
    frame = pd.DataFrame(rows, columns=cols)
    note = () if named else (t("report.no_names", lang),)
    return Section("coaching", frame, _h(lang, *cols), note, chart=("type", "managers"))


def _measured(section_id: str, lang: str, make) -> Section:
    """The section, or, when its source refuses the data (too little history before the
    month, a table it needs is empty), an empty one that says "not measured" and why."""
    from cmdash.errors import InputError

    try:
        return make()
    except InputError as exc:
        return Section(section_id, pd.DataFrame(), {},
                       (t("report.not_measured", lang, why=exc.describe()),))


def _risk(ds, engine, settings, m, lang, allowed) -> Section:
    headers = _h(lang, "district", "customers", "volume")
    r = gather.at_risk(ds, engine, settings, m.end, allowed)
    by = r.customers.groupby("district", as_index=False).agg(
        customers=("customer_id", "size"), volume=("volume_at_risk", "sum"))
    total = pd.DataFrame([{"district": t("report.total", lang),
                           "customers": len(r.customers),
                           "volume": float(r.customers["volume_at_risk"].sum())}])
    frame = pd.concat([by.sort_values("volume", ascending=False), total], ignore_index=True)
    notes = [t("report.risk_note", lang, cut=f"{r.cutoff:g}", day=m.end)]
    if not r.probabilities:
        notes.append(t("report.risk_rank", lang))
    return Section("risk", frame, headers, tuple(notes))


def _ladder(engine, settings, filters, lang, names, people) -> Section:
    from cmdash.grades.evaluate import action_label

    grades = dict(zip(people["manager_id"], people["grade"], strict=True))
    moves = gather.ladder_moves(engine, settings, filters, grades)
    frame = moves.assign(name=moves["manager"].map(names),
                         action=[action_label(a, lang) for a in moves["action"]])
    frame = frame[["manager", "name", "grade", "action", "new_grade"]].reset_index(drop=True)
    return Section("ladder", frame, _h(lang, "manager", "name", "grade", "action",
                                       "new_grade"),
                   (t("report.ladder_note", lang, ladder=settings["report.ladder"]),))
