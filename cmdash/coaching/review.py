"""From an engine and a cached scan to the reviewed features, and from a classification to
the `segments` table (one row per manager and flagged type, with evidence in words).

The heavy part (`review`) runs once per filter change and feature setting; `classify` then
runs on its features for every threshold change.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cmdash.assessment import ASSESSMENT_KPIS, score
from cmdash.coaching.classify import NONE, Classification
from cmdash.coaching.features import FEATURES, add_scores, extras, features
from cmdash.coaching.types import BY_ID
from cmdash.coaching.window import Window
from cmdash.engine import Engine
from cmdash.i18n import t
from cmdash.kpi import Scan, kpi_table
from cmdash.query import Filters
from cmdash.settings import Settings
from cmdash.tiers import TierOrder, tier_order
from cmdash.tiers import describe as describe_tiers

#: The settings that change the features (the rest only move thresholds).
FEATURE_SETTINGS = ("coaching.recent_months", "coaching.base_months",
                    "coaching.big_tier_pct", "coaching.new_customer_months",
                    "coaching.long_gap_days", "coaching.top_pct", "tiers.encoding",
                    "tiers.named_order")


@dataclass(frozen=True)
class Review:
    window: Window
    features: pd.DataFrame  # one row per reviewed manager (index `manager`), FEATURES columns
    scores: pd.DataFrame  # monthly assessment: manager, period, talent, virtue, total
    tables: frozenset[str]  # tables with rows (decides what can be assessed)
    tiers: TierOrder | None = None  # the tier order the visit mix used


def window_for(scan: Scan, settings: Settings, as_of: pd.Timestamp | None = None) -> Window:
    return Window(pd.Timestamp(as_of if as_of is not None else scan.end),
                  int(settings["coaching.recent_months"]), int(settings["coaching.base_months"]))


def review(engine: Engine, scan: Scan, filters: Filters, settings: Settings,
           as_of: pd.Timestamp | None = None, scores: pd.DataFrame | None = None) -> Review:
    """Features for every reviewed manager at `as_of` (default: the scan's last day)."""
    window = window_for(scan, settings, as_of)
    extra = extras(engine, filters, window, settings["coaching.long_gap_days"])
    tiers = tier_order(scan.facts["visits"]["tier"].astype("object").unique(),
                       settings["tiers.encoding"], settings["tiers.named_order"])
    feats = features(scan, extra, window, settings["coaching.big_tier_pct"],
                     int(settings["coaching.new_customer_months"]), tiers=tiers)
    if scores is None:
        kpis = kpi_table(scan, list(ASSESSMENT_KPIS), ("manager",), "month")
        scores = score(kpis.values, settings)
    feats = add_scores(feats, scores, window, settings["coaching.top_pct"])
    tables = frozenset(k for k, v in scan.rows.items() if v > 0)
    return Review(window, feats, scores, tables, tiers)


def _fmt(value: float, unit: str) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    if unit == "pct":
        return f"{value * 100:.1f}%"
    if unit == "hours":
        h = int(value)
        return f"{h:02d}:{round((value - h) * 60):02d}"
    return f"{value:.2f}"


def why_text(code: str, lang: str) -> str:
    """A not-measured or cannot-be-assessed reason code (see classify) in words."""
    kind, _, arg = code.partition(":")
    if kind == "feature":
        return t("coaching.why.feature", lang, feature=FEATURES[arg].label(lang))
    if kind == "few":
        n, _, k = arg.partition("/")
        return t("coaching.why.few", lang, n=n, k=k)
    if kind == "table":
        return t("coaching.why.table", lang, table=arg)
    if kind in ("tiers", "empty", "manager"):
        return t(f"coaching.why.{kind}", lang)
    return t("coaching.why.table", lang, table=code)  # a table a type needs


def status_text(status: str, why: str, lang: str) -> str:
    """A test's result in words: crossed, not crossed, or not measured (why)."""
    if status == "not_measured":
        return t("coaching.not_measured", lang, why=why_text(why, lang))
    return t(f"coaching.status.{status}", lang)


def not_assessable_text(type_id: str, reasons: tuple[str, ...], lang: str) -> str:
    why = "; ".join(why_text(r, lang) for r in reasons)
    return t("coaching.not_assessable", lang, types=type_name(type_id, lang), why=why)


def notes(c: Classification, lang: str, tiers: TierOrder | None = None) -> list[str]:
    """What the verdicts rest on and what they cannot see: the tier order assumed, features
    this data cannot measure and types it cannot assess (for the page and the CLI)."""
    if len(c.managers) == 0:
        return [t("coaching.no_visits", lang)]
    out = []
    if tiers is not None:
        out.append(t("coaching.tiers", lang, order=describe_tiers(tiers, lang)))
    if c.not_measured:
        sep = "；" if lang != "en" else "; "
        items = sep.join(f"{FEATURES[f].label(lang)}（{why_text(w, lang)}）" if lang != "en"
                         else f"{FEATURES[f].label(lang)} ({why_text(w, lang)})"
                         for f, w in c.not_measured.items())
        out.append(t("coaching.not_measured_list", lang, items=items))
    out += [not_assessable_text(k, v, lang) for k, v in c.not_assessable.items()]
    return out


def describe(row: pd.Series, lang: str) -> str:
    """One test's evidence in words: feature value vs the cut and the peers' median, or
    "not measured" with the reason."""
    f = FEATURES[row["feature"]]
    if row.get("status") == "not_measured":
        return f"{f.label(lang)} " + t("coaching.not_measured", lang,
                                       why=why_text(str(row["why"]), lang))
    sign = "<" if row["side"] == "low" else ">"
    cut = _fmt(row["threshold"], f.unit)
    ref = (t("coaching.ev.peer", lang, pct=f"{row['setting']:g}")
           if row["kind"] == "peer" else t("coaching.ev.value", lang))
    return t("coaching.ev.line", lang, feature=f.label(lang), value=_fmt(row["value"], f.unit),
             sign=sign, cut=cut, ref=ref, median=_fmt(row["peer_median"], f.unit))


def segments(c: Classification, lang: str = "en") -> pd.DataFrame:
    """manager_id, type, strength, primary, evidence: one row per flagged (manager, type),
    style flags included; a manager with nothing flagged gets one row with type `none`."""
    ev = c.evidence
    passed = ev[ev["status"] != "failed"]  # crossed, and not measured (with the reason)
    passed = passed.merge(c.flags[["manager", "type"]].astype({"type": "object"}),
                          on=["manager", "type"]) if len(c.flags) else passed.iloc[:0]
    texts = {key: "; ".join(describe(r, lang) for _, r in g.iterrows())
             for key, g in passed.groupby(["manager", "type"], observed=True)}
    rows = [
        {"manager_id": r.manager, "type": r.type, "strength": float(r.strength),
         "primary": bool(r.primary), "evidence": texts.get((r.manager, r.type), "")}
        for r in c.flags.itertuples()
    ]
    flagged = set(c.flags["manager"])
    rows += [{"manager_id": m, "type": NONE, "strength": 0.0, "primary": False,
              "evidence": ""} for m in c.primary.index if m not in flagged]
    out = pd.DataFrame(rows, columns=["manager_id", "type", "strength", "primary", "evidence"])
    return out.sort_values(["manager_id", "strength"], ascending=[True, False],
                           ignore_index=True)


def type_name(type_id: str, lang: str) -> str:
    if type_id == NONE:
        return t("coaching.none", lang)
    return BY_ID[type_id].name(lang)
