"""Schema checks from Parquet footers alone (no data pages read): files, columns, types.

Every file of a folder table is checked on its own, because one partition written by a
different export job can disagree with the rest. The result says which columns the value
checks may query (`usable`) and which stored types need a value-range check first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.parquet as pq

from cmdash.contract import Table
from cmdash.dataset import TableSource
from cmdash.validation.report import Finding

#: How a stored Arrow type relates to the contract type of its column.
#: ok: read as is; convert: readable but converted (a warning); range: an integer column
#: stored wider or as float/decimal, valid only if every value is a whole number that fits;
#: wrong: not acceptable (an error).
Fit = Literal["ok", "convert", "range", "wrong"]

INT_BOUNDS: dict[str, tuple[int, int]] = {
    "int16": (-(2**15), 2**15 - 1),
    "int32": (-(2**31), 2**31 - 1),
}
_INT_BITS = {"int16": 16, "int32": 32}


def type_fit(expected: str, found: pa.DataType) -> Fit:
    """Decide whether a stored type can stand for a contract type.

    Ids are strings: an id column stored as an integer is wrong, since the export has
    already lost any leading zeros. Booleans must be booleans (0/1 integers are wrong).
    A column of Arrow type null (all values null, as pandas writes an empty column) fits
    any contract type; whether nulls are allowed is a value check.
    """
    if pa.types.is_dictionary(found):
        found = found.value_type
    if pa.types.is_null(found):
        return "ok"
    if expected == "string":
        textual = (pa.types.is_string(found) or pa.types.is_large_string(found)
                   or pa.types.is_string_view(found))
        return "ok" if textual else "wrong"
    if expected == "date":
        if pa.types.is_date(found):
            return "ok"
        return "convert" if pa.types.is_timestamp(found) else "wrong"
    if expected == "timestamp":
        if pa.types.is_timestamp(found):
            return "ok" if found.tz is None else "convert"
        return "convert" if pa.types.is_date(found) else "wrong"
    if expected == "double":
        if pa.types.is_float64(found) or pa.types.is_integer(found):
            return "ok"  # integers widen to double exactly at any realistic magnitude
        return "convert" if pa.types.is_floating(found) or pa.types.is_decimal(found) else "wrong"
    if expected in INT_BOUNDS:
        if pa.types.is_integer(found):
            bits = _INT_BITS[expected]
            signed = pa.types.is_signed_integer(found)
            fits = found.bit_width <= bits if signed else found.bit_width < bits
            return "ok" if fits else "range"
        return "range" if pa.types.is_floating(found) or pa.types.is_decimal(found) else "wrong"
    if expected == "bool":
        return "ok" if pa.types.is_boolean(found) else "wrong"
    raise ValueError(f"contract type {expected!r} has no type rule")


@dataclass
class TableSchema:
    """What the footers of one table's files say, and what may be queried."""

    table: Table
    label: str  # the table's file or folder, relative to the dataset root ('sales/' if a folder)
    readable: list[Path] = field(default_factory=list)  # files whose footer could be read
    unreadable: int = 0
    rows: int = 0
    usable: set[str] = field(default_factory=set)  # contract columns safe to query
    range_checks: set[str] = field(default_factory=set)  # int columns stored wider or as float
    wrong_columns: set[str] = field(default_factory=set)  # a wrong type in at least one file
    findings: list[Finding] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        """All files readable: only then is the table a safe target for foreign keys."""
        return self.unreadable == 0 and bool(self.readable)


def inspect_table(root: Path, table: Table, source: TableSource) -> TableSchema:
    """Read every file's footer; report unreadable files, missing columns and types."""
    label = source.path.relative_to(root).as_posix() + ("/" if source.is_dir else "")
    result = TableSchema(table=table, label=label)
    schemas: list[pa.Schema] = []
    for path in source.files():
        rel = path.relative_to(root).as_posix()
        try:
            with pq.ParquetFile(path) as pf:
                schema, rows = pf.schema_arrow, pf.metadata.num_rows
        except (pa.ArrowException, OSError, ValueError) as exc:
            result.unreadable += 1
            result.findings.append(
                Finding("unreadable_file", table.name, rel, details=(("reason", _reason(exc)),))
            )
            continue
        result.readable.append(path)
        result.rows += rows
        schemas.append(schema)
        _check_columns(table, rel, schema, result)
    for col in table.columns:
        present = [s for s in schemas if col.name in s.names]
        everywhere = len(present) == len(schemas)
        if present and (everywhere or col.optional) and col.name not in result.wrong_columns:
            result.usable.add(col.name)
    return result


def _check_columns(table: Table, rel: str, schema: pa.Schema, result: TableSchema) -> None:
    for col in table.columns:
        if col.name not in schema.names:
            if not col.optional:
                result.findings.append(Finding("missing_column", table.name, rel, col.name))
            continue
        found = schema.field(col.name).type
        fit = type_fit(col.type, found)
        details = (("expected", col.type), ("found", str(found)))
        if fit == "wrong":
            result.wrong_columns.add(col.name)
            result.findings.append(
                Finding("wrong_type", table.name, rel, col.name, details=details)
            )
        elif fit == "convert" or (fit == "range" and not pa.types.is_integer(found)):
            result.findings.append(
                Finding("converted_type", table.name, rel, col.name, details=details)
            )
        if fit == "range":
            result.range_checks.add(col.name)


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
