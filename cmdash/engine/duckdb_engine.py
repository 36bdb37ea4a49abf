"""DuckDB, the embedded default: one in-memory database of views over the Parquet files."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from cmdash.contract import TABLES, Table
from cmdash.dataset import Dataset
from cmdash.engine.base import Params, to_frame
from cmdash.engine.limits import duckdb_config

_DUCK_TYPES = {
    "string": "VARCHAR",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "double": "DOUBLE",
    "int16": "SMALLINT",
    "int32": "INTEGER",
    "bool": "BOOLEAN",
}


class DuckDBEngine:
    """Views are made with the relation API, so no path or name is ever pasted into SQL.

    Each view projects exactly the contract's columns, cast to the contract's types; an
    optional column the files lack is a typed NULL, and a missing table an empty view,
    so every query compiles on every dataset and features can say what they lack.
    """

    dialect = "duckdb"

    def __init__(self, dataset: Dataset, *, threads: int | None = None,
                 memory_mib: int | None = None, spill: str | None = None) -> None:
        """`memory_mib` caps DuckDB's working memory (default: the setting
        `memory.duckdb_mib`) and `spill` is where it spills beyond it."""
        self.dataset = dataset
        config = duckdb_config(memory_mib, Path(spill) if spill else None,
                               **({"threads": threads} if threads else {}))
        self._con = duckdb.connect(":memory:", config=config)
        self._local = threading.local()
        present: set[str] = set()
        for name, table in TABLES.items():
            source = dataset.source(name)
            if source is None:
                self._empty_view(table)
                continue
            # Partition keys are never read: the contract's columns are inside the files, and
            # a key named like a column (targets/month=…/) would shadow the real values.
            rel = self._con.read_parquet(
                [str(p) for p in source.files()], hive_partitioning=False, union_by_name=True
            )
            self._project(rel, table).create_view(name, replace=True)
            present.add(name)
        self.present = frozenset(present)

    def _project(self, rel: duckdb.DuckDBPyRelation, table: Table) -> duckdb.DuckDBPyRelation:
        have = set(rel.columns)
        exprs = []
        for col in table.columns:
            typ = duckdb.sqltype(_DUCK_TYPES[col.type])
            base = (
                duckdb.ColumnExpression(col.name)
                if col.name in have
                else duckdb.ConstantExpression(None)
            )
            exprs.append(base.cast(typ).alias(col.name))
        return rel.select(*exprs)

    def _empty_view(self, table: Table) -> None:
        self._con.from_arrow(table.arrow_schema().empty_table()).create_view(
            table.name, replace=True
        )

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor of its own on the engine's database (its views, its memory cap)."""
        return self._con.cursor()

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        # A DuckDB connection runs one query at a time: each thread gets its own cursor.
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._local.cursor = self._con.cursor()
        return cur

    def query(self, sql: str, params: Params, categorical: bool = False) -> pd.DataFrame:
        return to_frame(self.query_arrow(sql, params), categorical)

    def query_arrow(self, sql: str, params: Params) -> pa.Table:
        """The result as Arrow, for writers that never need pandas (the prepared layer)."""
        return self._cursor().sql(sql, params=params).to_arrow_table()

    def relation(self, sql: str, params: Params) -> duckdb.DuckDBPyRelation:
        """The result as a lazy relation: a writer streams it to a file without holding
        it (the prepared layer's build)."""
        return self._cursor().sql(sql, params=params)

    def close(self) -> None:
        self._con.close()
