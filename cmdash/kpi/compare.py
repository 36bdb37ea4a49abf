"""Comparisons for a KPI frame: vs prior period, vs same period last year, rank and
percentile among peers. Pure pandas over the computed values."""

from __future__ import annotations

import pandas as pd

from cmdash.kpi.catalog import KPIS
from cmdash.kpi.grains import PERIODS

COMPARISONS = ("prior", "yoy", "rank", "pct")


def compare(values: pd.DataFrame, by: list[str], period: str, kpi_ids: list[str],
            kinds: tuple[str, ...] = COMPARISONS) -> pd.DataFrame:
    """Adds `<kpi>__prior`, `__yoy` (the earlier values), `__rank` (1 = best among the
    groups of the same period) and `__pct` (0–100, higher = better) columns."""
    out = values.copy()
    p = PERIODS[period]
    for kind, lag in (("prior", p.offset), ("yoy", "12MS" if p.offset else "")):
        if kind not in kinds or not lag:
            continue
        if kind == "yoy" and period == "week":
            shift = pd.Timedelta(weeks=52)  # same weekday a year on
        elif kind == "yoy" and period == "day":
            shift = pd.DateOffset(years=1)
        else:
            shift = pd.tseries.frequencies.to_offset(lag)
        if values.empty:  # nothing in scope (e.g. a 市场经理 with no book of his own)
            out = out.assign(**{f"{k}__{kind}": pd.Series(dtype="float64") for k in kpi_ids})
            continue
        earlier = values[[*by, "period", *kpi_ids]].copy()
        earlier["period"] = earlier["period"] + shift
        earlier = earlier.rename(columns={k: f"{k}__{kind}" for k in kpi_ids})
        out = out.merge(earlier, on=[*by, "period"], how="left")
    for k in kpi_ids:
        direction = KPIS[k].direction
        if direction == "neutral":
            continue
        ascending = direction == "lower"
        grouped = out.groupby("period")[k]
        if "rank" in kinds:
            out[f"{k}__rank"] = grouped.rank(ascending=ascending, method="min")
        if "pct" in kinds:
            out[f"{k}__pct"] = grouped.rank(ascending=not ascending, pct=True) * 100
    return out


def change(current: float, earlier: float) -> float | None:
    """Relative change, or None when there is nothing to compare with."""
    if earlier is None or pd.isna(earlier) or earlier == 0 or pd.isna(current):
        return None
    return (current - earlier) / abs(earlier)

