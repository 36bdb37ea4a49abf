"""The settings the measure SQL binds have one declaration (cmdash.kpi.params) and one
mapping to parameters (`measure_params`); the scan's defaults are that declaration's."""

from __future__ import annotations

import re

from cmdash.all_settings import SETTINGS, Settings
from cmdash.kpi.facts import FACTS
from cmdash.kpi.params import DEFAULT_PARAMS, KPI_SETTINGS, SQL_BOUND, measure_params
from cmdash.kpi.scan import MEASURE_PARAMS
from cmdash.kpi.sql import scan_sql
from cmdash.query import Filters

PARAM = re.compile(r"\$([a-z_]+)")


def test_settings_map_to_parameters_by_name() -> None:
    moved = Settings().replace(kpi__log_hours=6, kpi__early_end_hour=17.5)
    params = measure_params(moved)
    assert params["log_hours"] == 6 and params["early_end_hour"] == 17.5
    assert params["lost_days"] == SETTINGS["kpi.lost_days"].default
    assert set(params) == {"log_hours", "early_end_hour", "lost_days", "sell_through_days",
                           "core_range_share"}


def test_the_scan_defaults_are_the_declared_defaults() -> None:
    declared = {s.key: s.default for s in KPI_SETTINGS}
    assert DEFAULT_PARAMS == measure_params(Settings()) == measure_params(declared)
    assert {"log_hours": declared["kpi.log_hours"],
                              "early_end_hour": declared["kpi.early_end_hour"]} == MEASURE_PARAMS
    assert all(SETTINGS[s.key] == s for s in KPI_SETTINGS)  # the registry holds these


def test_every_setting_the_sql_binds_goes_through_the_mapping() -> None:
    """A `$name` in the scan SQL is a filter parameter, the scan's lead-in, or one of
    SQL_BOUND; and each of SQL_BOUND is bound somewhere."""
    bound = set()
    for name, fact in FACTS.items():
        bound |= set(PARAM.findall(scan_sql(name, tuple(fact.measures), "month")))
    filters = set(Filters().params()) | {"scan_start"}
    assert bound - filters == set(SQL_BOUND)
