"""The assessment from an engine or a scan: the KPI roll-up, then the pure scoring."""

from __future__ import annotations

import pandas as pd

from cmdash.assessment.roster import roster_of
from cmdash.assessment.scheme import ASSESSMENT_KPIS
from cmdash.assessment.score import score
from cmdash.engine import Engine
from cmdash.kpi import KpiFrame, Scan, kpi_table, scan_for
from cmdash.kpi.params import measure_params
from cmdash.query import Filters
from cmdash.settings import Values

#: raw counts scoring pools over several months (small monthly targets), from the measures
COUNT_MEASURES = ("new_active_customers", "new_customer_target")


def scoring_frame(frame: KpiFrame) -> pd.DataFrame:
    """The KPI values plus the raw counts the scoring pools (same rows, same order)."""
    extra = [m for m in COUNT_MEASURES if m in frame.measures and m not in frame.values]
    if not extra:
        return frame.values
    return frame.values.merge(frame.measures[[*frame.keys, *extra]], on=frame.keys,
                              how="left", validate="one_to_one")


def assess_scan(scan: Scan, period: str, settings: Values,
                kpi_ids: tuple[str, ...] = ASSESSMENT_KPIS) -> pd.DataFrame:
    """Scores from a scan: partial periods and managers who left are not ranked, and
    territory-dependent components rank within peers (the scan knows both)."""
    frame = kpi_table(scan, kpi_ids, ("manager",), period)
    return score(scoring_frame(frame), settings, roster_of(scan), period)


def assess(engine: Engine, settings: Values, period: str = "month",
           filters: Filters | None = None) -> pd.DataFrame:
    s = scan_for(engine, ASSESSMENT_KPIS, period, filters, measure_params(settings),
                 narrow=True)
    return assess_scan(s, period, settings)
