"""The settings-independent frames a scenario starts from, built from one cached scan."""

from __future__ import annotations

import pandas as pd

from cmdash.assessment import ASSESSMENT_KPIS
from cmdash.assessment.compute import scoring_frame
from cmdash.assessment.roster import roster_of
from cmdash.assessment.score import components
from cmdash.grades.indicators import from_scan
from cmdash.grades.settings import default_ladder
from cmdash.kpi import Scan, kpi_table
from cmdash.whatif.scenario import Baseline


def build(scan: Scan, grades: dict[str, str], settings, **hooks) -> Baseline:
    ladder = default_ladder()
    monthly = scoring_frame(kpi_table(scan, ASSESSMENT_KPIS, ("manager",), "month"))
    ladder_kpis = from_scan(ladder, scan, settings, with_scores=False)
    amounts = kpi_table(scan, ("sales_amount",), ("manager",), "all").values.reindex(
        columns=["manager", "sales_amount"]).set_index("manager")["sales_amount"] * 10_000
    months = max(1, len(pd.period_range(scan.start, scan.end, freq="M")))
    active = frozenset(scan.managers.loc[scan.managers["status"] == "active", "manager"]
                       .astype(str))
    parts = components(monthly, settings, roster_of(scan), "month")
    return Baseline(parts, ladder, ladder_kpis, grades,
                    amounts.rename(index=str), months, scan.start, scan.end, active, **hooks)
