"""The small protocol every engine speaks, so queries never know which one runs them."""

from __future__ import annotations

from typing import Any, Protocol

import pandas as pd
import pyarrow as pa

Params = dict[str, Any]


def to_frame(table: pa.Table, categorical: bool = False) -> pd.DataFrame:
    """Both engines hand results over as Arrow, so their frames have identical dtypes.

    `categorical` dictionary-encodes text columns first: big scans keyed by ids then take
    a fraction of the memory and group fast.
    """
    if categorical:
        for i, f in enumerate(table.schema):
            if pa.types.is_string(f.type) or pa.types.is_large_string(f.type):
                table = table.set_column(i, f.name, table.column(i).dictionary_encode())
    return table.to_pandas(date_as_object=False)


class Engine(Protocol):
    #: the sqlglot dialect its SQL is written in ("duckdb", "spark")
    dialect: str
    #: tables that exist in the dataset (absent ones are registered empty, not missing)
    present: frozenset[str]

    def query(self, sql: str, params: Params, categorical: bool = False) -> pd.DataFrame:
        """Runs SQL already in this engine's dialect with values bound, never pasted."""
        ...

    def close(self) -> None: ...
