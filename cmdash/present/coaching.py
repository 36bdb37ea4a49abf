"""The coaching review in words: reason codes, statuses, evidence lines, page notes and the
`segments` table (one row per manager and flagged type, evidence in the viewer's language)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cmdash.coaching.classify import NONE, Classification
from cmdash.coaching.features import FEATURES
from cmdash.coaching.types import BY_ID
from cmdash.i18n import t
from cmdash.tiers import TierOrder
from cmdash.tiers import describe as describe_tiers


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
        sep = t("sep.items", lang)
        items = sep.join(t("text.with_detail", lang, text=FEATURES[f].label(lang),
                           detail=why_text(w, lang)) for f, w in c.not_measured.items())
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
