"""Scores the six parts and the total from a KPI frame: pure pandas, no engine.

Runs on the cached manager × period KPI frame, so moving a weight or a mapping never
rescans the data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cmdash.assessment.roster import RANKED, Roster, peer_labels, row_status
from cmdash.assessment.scheme import MATRIX, PARTS, Component, Part
from cmdash.kpi.catalog import KPIS
from cmdash.settings import Values

PART_IDS = tuple(p.id for p in PARTS)


def component_score(values: pd.Series, periods: pd.Series, comp: Component, part: Part,
                    settings: Values, groups: pd.Series | None = None,
                    ranked: np.ndarray | None = None) -> pd.Series:
    """One KPI mapped to 0–100; NaN stays NaN (the component is then left out).

    `peer`: the percentile among the period's ranked rows of the same peer group (`groups`;
    "*" marks a row ranked against the whole company)."""
    v = values.astype("float64")
    if comp.method == "peer":
        ascending = KPIS[comp.kpi].direction != "lower"
        ranked = np.ones(len(v), dtype=bool) if ranked is None else ranked
        v = v.where(ranked)
        company = v.groupby(periods).rank(pct=True, ascending=ascending)
        if groups is None:
            return company * 100
        own = v.groupby([periods, groups]).rank(pct=True, ascending=ascending)
        return own.where(groups != "*", company) * 100
    return pd.Series(_linear(v.to_numpy(), comp, part, settings), index=v.index)


def _linear(v: np.ndarray, comp: Component, part: Part, settings: Values) -> np.ndarray:
    zero = settings[f"assessment.{part.id}.{comp.kpi}.zero"]
    full = settings[f"assessment.{part.id}.{comp.kpi}.full"]
    if full == zero:
        return np.where(np.isnan(v), np.nan, np.where(v >= full, 100.0, 0.0))
    return np.clip((v - zero) / (full - zero), 0, 1) * 100


@dataclass(frozen=True)
class Components:
    """What scoring needs that no weight or mapping changes: KPI values as arrays, the peer
    percentiles and which rows are ranked, so a weight or a mapping moves the scores with
    numpy alone. (The peer group and the count window are read when this is built.)"""

    keys: pd.DataFrame  # manager, period
    values: dict[str, np.ndarray]  # kpi -> values (linear components)
    peers: dict[str, np.ndarray]  # kpi -> percentile among the period's peers, 0–100
    status: np.ndarray | None = None  # per row: RANKED, PARTIAL or LEFT (roster.py)


def windowed_attainment(kpis: pd.DataFrame, actual: str, target: str,
                        months: int) -> np.ndarray:
    """Σ actual ÷ Σ target × 100 over each manager's last `months` rows (this one included),
    for counts with small monthly targets (a target of 1 new customer would score 0 or 100
    month by month). NaN where this row has no positive target: not applicable, not zero."""
    frame = kpis[["manager", "period", actual, target]].copy()
    frame["_row"] = np.arange(len(frame))
    frame = frame.sort_values(["manager", "period"])
    roll = frame.groupby("manager", observed=True)[[actual, target]].transform(
        lambda s: s.fillna(0).rolling(months, min_periods=1).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = roll[actual] / roll[target].where(roll[target] > 0) * 100
    ratio = ratio.where(frame[target] > 0)
    out = np.full(len(frame), np.nan)
    out[frame["_row"].to_numpy()] = ratio.to_numpy(dtype="float64")
    return out


def components(kpis: pd.DataFrame, settings: Values, roster: Roster | None = None,
               grain: str = "month") -> Components:
    """The scoring inputs. With a roster: partial periods and managers who had left are
    not ranked, and peer components rank within the set peer group."""
    keys = kpis[["manager", "period"]].reset_index(drop=True)
    status = row_status(keys, roster, grain)
    ranked = status == RANKED
    groups = peer_labels(keys, roster, settings["assessment.peer_group"], ranked,
                         int(settings["assessment.peer_min_size"]))
    values, peers = {}, {}
    for part in PARTS:
        for c in part.components:
            if c.kpi not in kpis:
                continue
            if c.method == "peer":
                peers[c.kpi] = component_score(kpis[c.kpi].reset_index(drop=True),
                                               keys["period"], c, part, settings, groups,
                                               ranked).to_numpy()
            else:
                values[c.kpi] = kpis[c.kpi].to_numpy(dtype="float64")
    counts = {"new_customer_attainment": ("new_active_customers", "new_customer_target")}
    for kpi, (actual, target) in counts.items():
        if kpi in values and actual in kpis and target in kpis and grain == "month":
            values[kpi] = windowed_attainment(kpis.reset_index(drop=True), actual, target,
                                              int(settings["assessment.count_window_months"]))
    return Components(keys, values, peers, status)


def score(kpis: pd.DataFrame | Components, settings: Values,
          roster: Roster | None = None, grain: str = "month") -> pd.DataFrame:
    """manager, period, six part scores, total (0–100), rank, 才/德, the matrix cell and
    `status` (why a row is not ranked: "partial" period or manager had "left").

    A part whose KPIs are all missing (say, no check-in table, or no target that month) is
    left out and the total is re-weighted over the parts that could be scored;
    `parts_scored` says how many. Rows not ranked keep no scores: a month-to-date figure is
    not a month's result.
    """
    comp = kpis if isinstance(kpis, Components) else components(kpis, settings, roster, grain)
    out = comp.keys.copy()
    parts, weights = part_scores(comp, settings), _weights(settings)
    status = comp.status if comp.status is not None else np.full(len(out), RANKED, object)
    parts[:, status != RANKED] = np.nan
    for j, p in enumerate(PARTS):
        out[p.id] = parts[j]
    out["total"] = _weighted(parts, weights)
    out["parts_scored"] = (~np.isnan(parts)).sum(axis=0)
    out["rank"] = out.groupby("period")["total"].rank(ascending=False, method="min").astype(
        "Int64")
    talent = np.array([p.side == "talent" for p in PARTS])
    out["talent"] = _weighted(parts[talent], weights[talent])
    out["virtue"] = _weighted(parts[~talent], weights[~talent])
    out["matrix"] = matrix_cells(out, settings["assessment.matrix_split_pct"])
    out["status"] = status
    return out


def part_scores(comp: Components, settings: Values) -> np.ndarray:
    """parts × rows: each part the mean of its scored components (NaN: none scored).
    Summed component by component in order (what a NaN-skipping sum over the stacked
    components does), without stacking them: a what-if re-runs this per slider move."""
    parts = np.full((len(PARTS), len(comp.keys)), np.nan)
    for j, part in enumerate(PARTS):
        total = count = None
        for c in part.components:
            if c.method == "peer" and c.kpi in comp.peers:
                x = comp.peers[c.kpi]
            elif c.method != "peer" and c.kpi in comp.values:
                x = _linear(comp.values[c.kpi], c, part, settings)
            else:
                continue
            scored = ~np.isnan(x)
            x = np.where(scored, x, 0.0)
            total, count = (x, scored.astype(np.int64)) if total is None else (
                total + x, count + scored)
        if total is not None:
            with np.errstate(invalid="ignore", divide="ignore"):
                parts[j] = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return parts


def totals(comp: Components, settings: Values) -> np.ndarray:
    """Only the weighted total per row: what a what-if needs, without ranks and cells."""
    parts = part_scores(comp, settings)
    if comp.status is not None:
        parts[:, comp.status != RANKED] = np.nan
    return _weighted(parts, _weights(settings))


def _weights(settings: Values) -> np.ndarray:
    return np.array([settings[f"assessment.weight.{p.id}"] for p in PARTS])


def _weighted(parts: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per row (parts × rows in), the weighted mean over the parts scored. Accumulated part
    by part in order: the sum a row-wise reduction over a handful of parts gives, without
    its per-row overhead."""
    w = total = np.zeros(parts.shape[1])
    for j, weight in enumerate(weights):
        present, value = ~np.isnan(parts[j]) * weight, np.nan_to_num(parts[j]) * weight
        w, total = (present, value) if j == 0 else (w + present, total + value)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(w > 0, total / np.where(w > 0, w, 1), np.nan)


def matrix_cells(scores: pd.DataFrame, split_pct: float) -> pd.Series:
    """才德 cell per row: talent and virtue above or below the period's split percentile."""
    q = split_pct / 100
    cuts = scores.groupby("period")[["talent", "virtue"]].quantile(q)
    t = scores["talent"].to_numpy(dtype="float64")
    v = scores["virtue"].to_numpy(dtype="float64")
    t_hi = t >= scores["period"].map(cuts["talent"]).to_numpy(dtype="float64")
    v_hi = v >= scores["period"].map(cuts["virtue"]).to_numpy(dtype="float64")
    cells = np.select([t_hi & v_hi, ~t_hi & v_hi, t_hi & ~v_hi],
                      [MATRIX[(True, True)][0], MATRIX[(False, True)][0],
                       MATRIX[(True, False)][0]], MATRIX[(False, False)][0]).astype(object)
    cells[np.isnan(t) | np.isnan(v)] = None
    return pd.Series(cells, index=scores.index, dtype="object")


def elimination_review(scores: pd.DataFrame, settings: Values,
                       eligible: set[str] | None = None) -> pd.DataFrame:
    """Per year: each manager's mean monthly total, and the bottom N % flagged for review.

    Only managers scored in at least the set number of months (and, if given, in
    `eligible`, e.g. still employed) are ranked; the flag is a prompt for a review.
    """
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
