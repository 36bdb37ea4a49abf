"""A ladder's indicators per manager and review period, from the KPIs cmdash computes or
from a table the company supplies (for indicators the contract does not carry, such as
premiums or client assets)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cmdash.assessment.roster import period_last_day
from cmdash.errors import InputError
from cmdash.grades.ladder import Ladder
from cmdash.grades.rules import TENURE
from cmdash.kpi import Scan, kpi_table
from cmdash.kpi.rollup import regroup

ASSESSMENT_TOTAL = "assessment_total"  # an indicator fed by the 100-point assessment


def from_scan(ladder: Ladder, scan: Scan, settings, monthly_scores: pd.DataFrame | None = None,
              with_scores: bool = True) -> pd.DataFrame:
    """manager, period (the ladder's review period), one column per computable indicator
    (without the assessment-based ones when `with_scores` is false: the what-if adds them
    per scenario)."""
    frames = []
    kpis = {i.id: i.kpi for i in ladder.indicators.values() if i.kpi}
    plain = {k: v for k, v in kpis.items() if v not in (ASSESSMENT_TOTAL, TENURE)}
    if plain:
        values = kpi_table(scan, tuple(dict.fromkeys(plain.values())), ("manager",),
                           ladder.review).values
        # a KPI whose table is empty is absent from `values`: its indicator is NaN, not
        # measured (never a zero or a fail)
        frames.append(values.reindex(columns=["manager", "period", *set(plain.values())]).rename(
            columns={v: k for k, v in plain.items()}).set_index(["manager", "period"]))
    for ind, kpi in kpis.items():
        if kpi != ASSESSMENT_TOTAL or not with_scores:
            continue
        if monthly_scores is None:
            from cmdash.assessment.compute import assess_scan  # the scorer needs settings

            monthly_scores = assess_scan(scan, "month", settings)
        s = monthly_scores.assign(period=regroup(monthly_scores["period"], ladder.review,
                                                 scan.start))
        frames.append(s.groupby(["manager", "period"], observed=True)["total"].mean()
                      .rename(ind).to_frame())
    for ind in (k for k, v in kpis.items() if v == TENURE):
        frames.append(tenure(scan, ladder.review).rename(ind).to_frame())
    if not frames:
        return pd.DataFrame(columns=["manager", "period"])
    out = pd.concat(frames, axis=1).reset_index()
    out["manager"] = out["manager"].astype(str)
    return complete_periods(out, ladder.review, scan.end)


def tenure(scan: Scan, review: str) -> pd.Series:
    """Whole months from each manager's hire date to the end of each review period of the
    scan's range (manager, period index), for probation rules; no hire date: missing."""
    starts = pd.period_range(scan.start, scan.end, freq="M").to_timestamp()
    periods = pd.Index(regroup(pd.Series(starts), review, scan.start).unique())
    ends = period_last_day(pd.Series(periods), review)
    hired = pd.to_datetime(scan.managers.set_index("manager")["hire_date"])
    months = [(e.year - hired.dt.year) * 12 + (e.month - hired.dt.month)
              - (e.day < hired.dt.day) for e in ends]
    frame = pd.DataFrame(dict(zip(periods, months, strict=True)), index=hired.index.astype(str))
    return frame.stack(future_stack=True).rename_axis(["manager", "period"]).astype("float64")


def complete_periods(frame: pd.DataFrame, review: str, end: pd.Timestamp) -> pd.DataFrame:
    """Only reviews whose period has ended by the data's last day: a quarter with one
    month of data is not a quarter's results."""
    offset = {"month": "MS", "quarter": "QS", "year": "YS"}[review]
    period_end = pd.to_datetime(frame["period"]) + pd.tseries.frequencies.to_offset(offset) \
        - pd.Timedelta(days=1)
    return frame[period_end <= end].reset_index(drop=True)


def from_file(ladder: Ladder, path: str | Path) -> pd.DataFrame:
    """A CSV or Parquet with manager_id, period and the ladder's indicator columns."""
    p = Path(path)
    if not p.is_file():
        raise InputError("Indicator file not found", file=str(p))
    frame = pd.read_parquet(p) if p.suffix == ".parquet" else pd.read_csv(
        p, dtype={"manager_id": str})
    missing = [c for c in ("manager_id", "period") if c not in frame]
    if missing:
        raise InputError("Indicator file lacks a required column", file=str(p),
                         column=missing[0])
    period = pd.to_datetime(frame["period"], errors="coerce")
    if period.isna().any():
        raise InputError("Some periods are not dates", file=str(p), column="period",
                         rows=int(period.isna().sum()))
    cols = [c for c in ladder.indicators if c in frame]
    return frame.assign(period=period).rename(columns={"manager_id": "manager"})[
        ["manager", "period", *cols]]
