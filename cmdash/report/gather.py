"""What a monthly bulletin says, read from the functions that own each number: the KPI
roll-up, the assessment, the coaching review, the retention model and the grade ladder.

Nothing here computes a KPI or a score; it picks the month, the comparison and the people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cmdash.access import Access
from cmdash.engine import Engine
from cmdash.query import Filters, run
from cmdash.settings import Values


@dataclass(frozen=True)
class Month:
    """The bulletin's month and how much of it the data hold."""

    start: pd.Timestamp  # first day
    end: dt.date  # last day the bulletin reads: the month's, or the data's when earlier
    partial: bool  # the data stop before the month's last day

    @classmethod
    def of(cls, text: str, data_last: dt.date) -> Month:
        start = pd.Timestamp(f"{text}-01")
        last = (start + pd.offsets.MonthEnd(0)).date()
        return cls(start, min(last, data_last), data_last < last)


def data_span(engine: Engine) -> tuple[dt.date, dt.date] | None:
    """The sales table's first and last order days (None: no orders)."""
    row = run(engine, "sales_date_range").iloc[0]
    if pd.isna(row["last_day"]):
        return None
    return pd.Timestamp(row["first_day"]).date(), pd.Timestamp(row["last_day"]).date()


def data_last_day(engine: Engine) -> dt.date | None:
    span = data_span(engine)
    return None if span is None else span[1]


def directory(engine: Engine, viewer: Access) -> pd.DataFrame:
    """manager_id, name, district, grade of the managers in the viewer's scope."""
    d = run(engine, "manager_directory", Filters(access=viewer))
    return d.astype({"manager_id": str})[["manager_id", "name", "district", "grade"]]


def headline(engine: Engine, filters: Filters, settings: Values, month: Month,
             kpi_ids: tuple[str, ...]) -> pd.DataFrame:
    """kpi, value, prior, yoy: the company (or scope) figure for the month, last month and
    the same month last year, from the KPI roll-up and its comparisons. A partial month is
    compared like for like, as the Overview does: the same days of both earlier months."""
    from cmdash.kpi import kpi_table, scan_for
    from cmdash.kpi.compare import compare
    from cmdash.kpi.params import measure_params
    from cmdash.present.overview import month_to_date

    mtd = month_to_date(pd.Timestamp(month.end)) if month.partial else None
    if mtd is not None:
        return _windows(engine, filters, settings, kpi_ids, (mtd.current, mtd.prior, mtd.yoy))
    s = scan_for(engine, kpi_ids, "month", filters, measure_params(settings), ((),),
                 narrow=True)
    result = kpi_table(s, kpi_ids, (), "month")
    present = [k for k in kpi_ids if k in result.values]
    values = compare(result.values, [], "month", present, ("prior", "yoy"))
    row = values[values["period"] == month.start]

    def get(col: str) -> float:
        return float(row[col].iloc[0]) if len(row) and pd.notna(row[col].iloc[0]) else np.nan

    rows = [{"kpi": k, "value": get(k), "prior": get(f"{k}__prior"), "yoy": get(f"{k}__yoy")}
            for k in present]
    return pd.DataFrame(rows, columns=["kpi", "value", "prior", "yoy"])


def _windows(engine: Engine, filters: Filters, settings: Values, kpi_ids: tuple[str, ...],
             windows) -> pd.DataFrame:
    """The same headline from three date windows (month to date, and the same days of last
    month and of last year), each one KPI roll-up over the window."""
    import dataclasses

    from cmdash.kpi import compute
    from cmdash.kpi.params import measure_params

    frames = [compute(engine, kpi_ids, (), "all", dataclasses.replace(
        filters, start=a.date(), end=b.date()), measure_params(settings)).values
        for a, b in windows]

    def get(frame: pd.DataFrame, k: str) -> float:
        return float(frame[k].iloc[0]) if k in frame and len(frame) and pd.notna(
            frame[k].iloc[0]) else np.nan

    present = [k for k in kpi_ids if k in frames[0]]
    return pd.DataFrame([{"kpi": k, "value": get(frames[0], k), "prior": get(frames[1], k),
                          "yoy": get(frames[2], k)} for k in present],
                        columns=["kpi", "value", "prior", "yoy"])


def scores(engine: Engine, filters: Filters, settings: Values) -> pd.DataFrame:
    """The monthly assessment up to the bulletin's month (the `score` command's table)."""
    from cmdash.assessment.compute import assess

    return assess(engine, settings, "month", filters)


def flagged(scores: pd.DataFrame, settings: Values, month: Month) -> pd.DataFrame:
    """The year-to-date bottom share flagged for review (the assessment's own rule)."""
    from cmdash.assessment import elimination_review

    review = elimination_review(scores[scores["period"] <= month.start], settings)
    return review[(review["year"] == month.start.year) & review["flagged"]]


def coaching_types(engine: Engine, settings: Values, filters: Filters,
                   as_of: dt.date) -> pd.DataFrame:
    """manager_id, type, primary: the coaching review's flags at `as_of`.

    The one place the bulletin and the alerts touch the coaching package (its review API
    is still moving): through its public entry points only."""
    from cmdash.coaching.pipeline import run_review
    from cmdash.present.coaching import segments

    _, c = run_review(engine, settings, pd.Timestamp(as_of), filters)
    return segments(c, "en")[["manager_id", "type", "primary"]]


def coaching_name(type_id: str, lang: str) -> str:
    from cmdash.present.coaching import type_name

    return type_name(type_id, lang)


@dataclass(frozen=True)
class AtRisk:
    customers: pd.DataFrame  # customer_id, manager_id, district, risk, volume_at_risk
    cutoff: float  # risk at or above it counts as at risk
    probabilities: bool  # False: the risk is a rank (short history), not a probability


def at_risk(ds, engine: Engine, settings: Values, as_of: dt.date,
            allowed: set[str] | None) -> AtRisk:
    """Customers at or above the high-risk cut-off at `as_of`, with their volume at risk
    (箱), from the retention model (reused from the workspace when already trained)."""
    from cmdash.retention.pipeline import saved_or_trained, score

    trained = saved_or_trained(ds.workspace, ds.version(), engine, as_of, settings).value
    c = score(engine, trained, settings).astype({"manager_id": str})  # customers only
    if allowed is not None:
        c = c[c["manager_id"].isin(allowed)]
    cutoff = float(settings["retention.risk_cutoff"])
    c = c[c["risk"] >= cutoff]
    return AtRisk(c[["customer_id", "manager_id", "district", "risk", "volume_at_risk"]],
                  cutoff, trained.probabilities)


def ladder_moves(engine: Engine, settings: Values, filters: Filters,
                 grades: dict[str, str]) -> pd.DataFrame:
    """manager, grade, action, new_grade for every promote or demote at the ladder's latest
    review up to the month (the `grades` command's verdicts)."""
    from cmdash.commands.grades import resolve_ladder
    from cmdash.grades import evaluate
    from cmdash.grades.indicators import from_scan
    from cmdash.kpi import scan_for

    ladder = resolve_ladder(settings["report.ladder"])
    scan = scan_for(engine, ladder.kpis, "month", filters, None)
    table = evaluate(ladder, from_scan(ladder, scan, settings), grades)
    if table.empty:
        return pd.DataFrame(columns=["manager", "grade", "action", "new_grade"])
    moves = table[table["action"].isin(("promote", "demote"))]
    return moves[["manager", "grade", "action", "new_grade"]].astype({"manager": str})
