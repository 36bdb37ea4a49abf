"""Parquet output in the contract's layout: big tables month by month, never whole in memory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from cmdash.contract import TABLES
from cmdash.dataset import TRUTH_DIR


def clear(out: Path) -> None:
    """Remove what an earlier run wrote (only the contract's table paths and _truth)."""
    for name in TABLES:
        (out / f"{name}.parquet").unlink(missing_ok=True)
        if (out / name).is_dir():
            shutil.rmtree(out / name)
    if (out / TRUTH_DIR).is_dir():
        shutil.rmtree(out / TRUTH_DIR)


def write_table(out: Path, name: str, table: pa.Table) -> int:
    """NAME.parquet, after checking the schema is the contract's."""
    _check(name, table)
    pq.write_table(table, out / f"{name}.parquet")
    return table.num_rows


def write_partition(out: Path, name: str, year: int, month: int, table: pa.Table,
                    part: int = 0) -> int:
    """sales/year=YYYY/month=MM/part-N.parquet; visits/year=YYYY/part-MM.parquet."""
    _check(name, table)
    if name == "sales":
        path = out / name / f"year={year}" / f"month={month:02d}" / f"part-{part}.parquet"
    else:
        path = out / name / f"year={year}" / f"part-{month:02d}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)
    return table.num_rows


def write_truth(out: Path, name: str, table: pa.Table) -> None:
    (out / TRUTH_DIR).mkdir(parents=True, exist_ok=True)
    pq.write_table(table, out / TRUTH_DIR / f"{name}.parquet")


class RowGroupWriter:
    """One NAME.parquet file written a row group at a time (check-ins, month by month)."""

    def __init__(self, out: Path, name: str) -> None:
        self.name = name
        self.rows = 0
        self._w = pq.ParquetWriter(out / f"{name}.parquet", TABLES[name].arrow_schema())

    def write(self, table: pa.Table) -> None:
        _check(self.name, table)
        if table.num_rows:
            self._w.write_table(table)
            self.rows += table.num_rows

    def close(self) -> int:
        self._w.close()
        return self.rows


def _check(name: str, table: pa.Table) -> None:
    expected = TABLES[name].arrow_schema()
    if not table.schema.equals(expected):
        raise AssertionError(f"{name}: schema {table.schema} is not the contract's {expected}")
