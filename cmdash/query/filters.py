"""The global filters every view shares, turned into bound parameters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from cmdash.engine.base import Params

# Bound in place of an empty selection so both engines see a typed, non-empty list.
_NO_VALUES = ("",)


@dataclass(frozen=True)
class Filters:
    """What the viewer picked; empty tuples mean 'all'. Hashable, so it keys caches."""

    start: dt.date | None = None  # inclusive
    end: dt.date | None = None  # inclusive
    regions: tuple[str, ...] = field(default=())
    districts: tuple[str, ...] = field(default=())
    managers: tuple[str, ...] = field(default=())

    def params(self) -> Params:
        def pick(values: tuple[str, ...]) -> list[str]:
            return list(values or _NO_VALUES)

        return {
            "all_scope": not (self.regions or self.districts or self.managers),
            "start": self.start or dt.date(1900, 1, 1),
            "end": self.end or dt.date(9999, 12, 31),
            "all_regions": not self.regions,
            "regions": pick(self.regions),
            "all_districts": not self.districts,
            "districts": pick(self.districts),
            "all_managers": not self.managers,
            "managers": pick(self.managers),
        }


#: The managers in scope, as a CTE every query may read. Values are parameters.
SCOPE_CTE = """
SELECT manager_id, name, region, district
FROM managers
WHERE ($all_regions OR list_contains($regions, region))
  AND ($all_districts OR list_contains($districts, district))
  AND ($all_managers OR list_contains($managers, manager_id))
"""
