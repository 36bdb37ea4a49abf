"""Scores the six parts and the total from a KPI frame: pure pandas, no engine.

Runs on the cached manager × period KPI frame, so moving a weight or a mapping never
rescans the data.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cmdash.assessment.scheme import MATRIX, PARTS, Component, Part
from cmdash.kpi.catalog import KPIS

if TYPE_CHECKING:  # the settings registry imports the scheme: no import cycle at run time
    from cmdash.settings import Settings


def _defaults() -> Settings:
    from cmdash.settings import Settings

    return Settings()

PART_IDS = tuple(p.id for p in PARTS)


def component_score(values: pd.Series, periods: pd.Series, comp: Component, part: Part,
                    settings: Settings) -> pd.Series:
    """One KPI mapped to 0–100; NaN stays NaN (the component is then left out)."""
    v = values.astype("float64")
    if comp.method == "peer":
        ascending = KPIS[comp.kpi].direction != "lower"
        return v.groupby(periods).rank(pct=True, ascending=ascending) * 100
    zero = settings[f"assessment.{part.id}.{comp.kpi}.zero"]
    full = settings[f"assessment.{part.id}.{comp.kpi}.full"]
    if full == zero:
        return pd.Series(np.where(v.isna(), np.nan, np.where(v >= full, 100.0, 0.0)),
                         index=v.index)
    return ((v - zero) / (full - zero)).clip(0, 1) * 100


def score(kpis: pd.DataFrame, settings: Settings | None = None) -> pd.DataFrame:
    """manager, period, six part scores, total (0–100), rank, 才/德 and the matrix cell.

    A part whose KPIs are all missing (say, no check-in table) is left out and the total
    is re-weighted over the parts that could be scored; `parts_scored` says how many.
    """
    settings = settings or _defaults()
    out = kpis[["manager", "period"]].copy()
    periods = kpis["period"]
    for part in PARTS:
        comps = [
            component_score(kpis[c.kpi], periods, c, part, settings)
            for c in part.components if c.kpi in kpis
        ]
        out[part.id] = pd.concat(comps, axis=1).mean(axis=1) if comps else np.nan
    weights = pd.Series({p.id: settings[f"assessment.weight.{p.id}"] for p in PARTS})
    out["total"] = _weighted(out[list(PART_IDS)], weights)
    out["parts_scored"] = out[list(PART_IDS)].notna().sum(axis=1)
    out["rank"] = out.groupby("period")["total"].rank(ascending=False, method="min").astype(
        "Int64")
    talent = [p.id for p in PARTS if p.side == "talent"]
    virtue = [p.id for p in PARTS if p.side == "virtue"]
    out["talent"] = _weighted(out[talent], weights[talent])
    out["virtue"] = _weighted(out[virtue], weights[virtue])
    out["matrix"] = matrix_cells(out, settings["assessment.matrix_split_pct"])
    return out


def _weighted(parts: pd.DataFrame, weights: pd.Series) -> pd.Series:
    w = parts.notna().mul(weights, axis=1)
    total = parts.fillna(0).mul(weights, axis=1).sum(axis=1)
    return total / w.sum(axis=1).where(w.sum(axis=1) > 0)


def matrix_cells(scores: pd.DataFrame, split_pct: float) -> pd.Series:
    """才德 cell per row: talent and virtue above or below the period's split percentile."""
    q = split_pct / 100
    t_cut = scores.groupby("period")["talent"].transform(lambda s: s.quantile(q))
    v_cut = scores.groupby("period")["virtue"].transform(lambda s: s.quantile(q))
    cells = [
        MATRIX[(t >= tc, v >= vc)][0] if not (math.isnan(t) or math.isnan(v)) else None
        for t, v, tc, vc in zip(scores["talent"], scores["virtue"], t_cut, v_cut, strict=True)
    ]
    return pd.Series(cells, index=scores.index, dtype="object")


def elimination_review(scores: pd.DataFrame, settings: Settings | None = None,
                       eligible: set[str] | None = None) -> pd.DataFrame:
    """Per year: each manager's mean monthly total, and the bottom N % flagged for review.

    Only managers scored in at least the set number of months (and, if given, in
    `eligible`, e.g. still employed) are ranked; the flag is a prompt for a review.
    """
    settings = settings or _defaults()
    frame = scores.dropna(subset=["total"]).assign(year=lambda f: f["period"].dt.year)
    if eligible is not None:
        frame = frame[frame["manager"].isin(eligible)]
    yearly = frame.groupby(["year", "manager"]).agg(
        mean_total=("total", "mean"), months=("total", "size")).reset_index()
    yearly = yearly[yearly["months"] >= settings["assessment.elimination_min_months"]].copy()
    share = settings["assessment.elimination_pct"] / 100
    yearly["year_rank"] = yearly.groupby("year")["mean_total"].rank(method="first")
    counts = yearly.groupby("year")["manager"].transform("size")
    yearly["flagged"] = yearly["year_rank"] <= np.ceil(counts * share)
    return yearly.sort_values(["year", "mean_total"]).reset_index(drop=True)
