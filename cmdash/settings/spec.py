"""What a tunable number is: its default, range, unit, labels and the rule it comes from;
and a registry of them, composed on first use so no file is read at import time."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
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
    source: str = ""  # where the number comes from (a docs/ section) or "default" (ours)
    choices: tuple[str, ...] = ()

    @property
    def group(self) -> str:
        return self.key.split(".", 1)[0]

    def label(self, lang: str) -> str:
        return pick(self.label_zh, self.label_en, lang)


class Registry(Mapping[str, Setting]):
    """Every declaration by key, gathered by `compose` on first look-up (declarations may
    read files, e.g. a ladder's thresholds; importing the registry reads none)."""

    def __init__(self, compose: Callable[[], Iterable[Setting]]) -> None:
        self._compose = compose

    @cached_property
    def _specs(self) -> dict[str, Setting]:
        specs: dict[str, Setting] = {}
        for s in self._compose():
            if s.key in specs:
                raise ValueError(f"setting {s.key} is declared twice")
            specs[s.key] = s
        return specs

    def __getitem__(self, key: str) -> Setting:
        return self._specs[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)
