"""Every tunable number in cmdash: the registry composed from the packages that declare
them, and `Settings`, the values bound to it.

Each feature declares its numbers beside its rules (the assessment scheme, the measure
parameters, …) with `cmdash.settings.Setting`; this module sits above them all and
collects them, so files, the CLI and the What-if page see one list. The registry is
composed on first look-up (the ladder's thresholds come from its file), not on import.
"""

from __future__ import annotations

from collections.abc import Iterator

from cmdash.assessment.params import ASSESSMENT_SETTINGS
from cmdash.coaching.params import COACHING_SETTINGS
from cmdash.engine.params import ENGINE_SETTINGS
from cmdash.grades.pay import PAY_SETTINGS
from cmdash.grades.settings import ladder_settings
from cmdash.kpi.params import KPI_SETTINGS
from cmdash.memo.params import MEMORY_SETTINGS
from cmdash.prepared.params import PREPARED_SETTINGS
from cmdash.present.colours import DISPLAY_SETTINGS
from cmdash.report.params import REPORT_SETTINGS
from cmdash.retention.settings import RETENTION_SETTINGS
from cmdash.settings import SETTINGS_FILE, Registry, Setting, Values
from cmdash.stock.params import STOCK_SETTINGS
from cmdash.tiers import TIER_SETTINGS


def _declarations() -> Iterator[Setting]:
    yield from KPI_SETTINGS
    yield from ASSESSMENT_SETTINGS
    yield from RETENTION_SETTINGS
    yield from REPORT_SETTINGS
    yield from COACHING_SETTINGS
    yield from STOCK_SETTINGS
    yield from PAY_SETTINGS
    yield from ladder_settings()
    yield from TIER_SETTINGS
    yield from DISPLAY_SETTINGS
    yield from MEMORY_SETTINGS
    yield from PREPARED_SETTINGS
    yield from ENGINE_SETTINGS


SETTINGS = Registry(_declarations)


class Settings(Values):
    """Setting values over every declaration in cmdash (the defaults unless changed)."""

    DECLARED = SETTINGS


def defaults() -> Settings:
    return Settings()


__all__ = ["SETTINGS", "SETTINGS_FILE", "Setting", "Settings", "defaults"]
