"""Where the retention queries read their rows: the dataset version's prepared layer when
there is one that holds what a query needs (its twin in `layered` runs on the layer's
reader, the fact files are not read), else the fact files through the engine.

The attribute tables (customers, managers) and the events stay with the engine either way;
row counts and the sales date range come from the layer's manifest when it is read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from cmdash.engine import Engine
from cmdash.kpi.scan import prepared_layer, table_rows
from cmdash.query import QueryDef, run
from cmdash.retention.layered import TWINS


@dataclass(frozen=True)
class Source:
    engine: Engine
    layer: Any = None  # a cmdash.prepared.Layer, or None: the fact files are read

    @classmethod
    def of(cls, engine: Engine, settings: Mapping[str, Any] | None = None) -> Source:
        """The engine's layer for the SQL-bound settings in `settings` (the defaults when
        not given): the one the app and `prepare` build for those settings."""
        return cls(engine, prepared_layer(engine, _sql_params(settings)))

    def run(self, query: QueryDef, params: dict[str, Any]) -> pd.DataFrame:
        twin = TWINS.get(query.name)
        if (self.layer is not None and twin is not None
                and all(self.layer.has(f, m) for f, m in twin.reads.items())):
            return run(self.layer.reader, twin.query, None, params)
        return run(self.engine, query, None, params)

    def rows(self) -> dict[str, int]:
        """Rows per contract table (and per measured optional column)."""
        return self.layer.rows if self.layer is not None else table_rows(self.engine)

    def sales_days(self) -> tuple[Any, Any]:
        """The first and last order day (NaT when there are no sales)."""
        if self.layer is not None:
            return (pd.Timestamp(self.layer.first_day) if self.layer.first_day else pd.NaT,
                    pd.Timestamp(self.layer.last_day) if self.layer.last_day else pd.NaT)
        row = run(self.engine, "sales_date_range").iloc[0]
        return row["first_day"], row["last_day"]


def _sql_params(settings: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if settings is None:
        return None
    from cmdash.kpi.params import measure_params

    try:
        return measure_params(settings)
    except KeyError:  # settings without the measure parameters: their defaults
        return None

