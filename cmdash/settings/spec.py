"""What a tunable number is: its default, range, unit, labels and the rule it comes from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cmdash.i18n import pick


@dataclass(frozen=True)
class Setting:
    key: str  # dotted: "<group>.<name>", e.g. "assessment.weight.results"
    default: Any  # int, float, bool or str; the type every value must have
    label_zh: str
    label_en: str
    low: float | None = None
    high: float | None = None
    step: float | None = None
    unit: str = ""  # a key of kpi.units.UNITS, or "" for a plain number
    source: str = ""  # the DOMAIN.md rule (doc) or "default" when we chose it
    choices: tuple[str, ...] = ()

    @property
    def group(self) -> str:
        return self.key.split(".", 1)[0]

    def label(self, lang: str) -> str:
        return pick(self.label_zh, self.label_en, lang)
