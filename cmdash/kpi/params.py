"""The measures' tunable numbers, and the one mapping from settings to the parameters the
measure SQL binds (`$log_hours`, `$early_end_hour`) and the roll-up reads (`lost_days` …).

Declared here once; `cmdash.all_settings` collects them, and a scan without settings uses
these defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cmdash.kpi.wording import TRADES
from cmdash.settings.spec import Setting

KPI_SETTINGS: tuple[Setting, ...] = (
    Setting("kpi.log_hours", 24, "日志及时时限", "Hours to file a visit log", 1, 168, 1,
            "", "docs/kpis.md (log_timeliness)"),
    Setting("kpi.early_end_hour", 16.0, "提前离岗签到时点", "Early end check-in before (hour)",
            12, 20, 0.5, "", "docs/kpis.md (early_end_share)"),
    # at least a month: silences shorter than a scanned period are not seen
    Setting("kpi.lost_days", 90, "流失判定天数", "Days without an order before a customer"
            " counts as lost", 31, 365, 1, "days", "docs/kpis.md (流失)"),
    Setting("kpi.sell_through_days", 60, "动销率回看天数", "Days before a period in which a SKU"
            " supplied counts as carried (sell-through)", 0, 365, 1, "days", "default"),
    Setting("kpi.core_range_share", 0.5, "档位核心规格占比", "Share of a tier's retailers"
            " carrying a SKU that puts it in the tier's core range", 0.1, 1.0, 0.05, "",
            "default"),
    Setting("dataset.trade", "auto", "行业（决定指标用语）", "Trade (decides KPI wording)",
            choices=TRADES, source="auto: tobacco when products give units per case"),
)

#: Parameters bound into the measure SQL (the rest are read by the pandas roll-up).
SQL_BOUND = ("log_hours", "early_end_hour")
_PARAMS = tuple(s.key for s in KPI_SETTINGS if s.key.startswith("kpi."))


def measure_params(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Settings -> the measure parameters by name (`kpi.log_hours` -> `log_hours`)."""
    return {key.removeprefix("kpi."): settings[key] for key in _PARAMS}


#: The parameters a scan uses when no settings are given: the declared defaults.
DEFAULT_PARAMS = measure_params({s.key: s.default for s in KPI_SETTINGS})
