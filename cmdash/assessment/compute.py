"""The assessment from an engine: the KPI scan, then the pure scoring."""

from __future__ import annotations

import pandas as pd

from cmdash.assessment.scheme import ASSESSMENT_KPIS
from cmdash.assessment.score import score
from cmdash.engine import Engine
from cmdash.kpi import compute
from cmdash.query import Filters
from cmdash.settings import Settings


def measure_params(settings: Settings) -> dict[str, float]:
    return {"log_hours": settings["kpi.log_hours"],
            "early_end_hour": settings["kpi.early_end_hour"],
            "lost_days": settings["kpi.lost_days"],
            "sell_through_days": settings["kpi.sell_through_days"],
            "core_range_share": settings["kpi.core_range_share"]}


def assess(engine: Engine, period: str = "month", filters: Filters | None = None,
           settings: Settings | None = None) -> pd.DataFrame:
    settings = settings or Settings()
    result = compute(engine, ASSESSMENT_KPIS, ("manager",), period, filters,
                     measure_params=measure_params(settings))
    return score(result.values, settings)
