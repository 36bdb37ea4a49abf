"""The global filters every view shares, turned into bound parameters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from cmdash.access.model import EVERYONE, Access
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
    access: Access = EVERYONE  # who is looking: their scope is bound into every query

    def params(self) -> Params:
        def pick(values: tuple[str, ...]) -> list[str]:
            return list(values or _NO_VALUES)

        return self.access.params() | {
            "all_scope": self.access.everything and not (
                self.regions or self.districts or self.managers),
            "start": self.start or dt.date(1900, 1, 1),
            "end": self.end or dt.date(9999, 12, 31),
            "all_regions": not self.regions,
            "regions": pick(self.regions),
            "all_districts": not self.districts,
            "districts": pick(self.districts),
            "all_managers": not self.managers,
            "managers": pick(self.managers),
        }


#: The managers in scope — the viewer's access, narrowed by their filters — as a CTE every
#: query reads. Values are parameters.
SCOPE_CTE = """
SELECT manager_id, name, region, district
FROM managers
WHERE ($acc_all OR list_contains($acc_regions, region)
       OR list_contains($acc_districts, district)
       OR list_contains($acc_managers, manager_id)
       OR supervisor_id = $acc_supervisor)
  AND ($all_regions OR list_contains($regions, region))
  AND ($all_districts OR list_contains($districts, district))
  AND ($all_managers OR list_contains($managers, manager_id))
"""
