"""validate(): check a dataset folder against the data contract without modifying it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from cmdash.contract import TABLES
from cmdash.dataset import Dataset
from cmdash.engine.limits import duckdb_config
from cmdash.tiers import DEFAULT_NAMED_ORDER
from cmdash.validation.report import Finding, Report
from cmdash.validation.rules import SEVERITY_ORDER
from cmdash.validation.schema import TableSchema, inspect_table
from cmdash.validation.values import check_values

_TABLE_ORDER = {name: i for i, name in enumerate(TABLES)}


def validate(root: str | Path, today: date | None = None,
             tiers: tuple[str, str] = ("auto", DEFAULT_NAMED_ORDER)) -> Report:
    """Check every contract rule; `today` anchors the future-date rule (default: today);
    `tiers` (settings tiers.encoding, tiers.named_order) decides the tier order noted.

    Footers are read with pyarrow (schema, row counts); values are checked by DuckDB reading
    the files in place. Raises InputError only when `root` is not a folder; everything wrong
    inside it becomes a finding.
    """
    today = today or date.today()
    dataset = Dataset.open(root)
    findings: list[Finding] = []
    schemas: dict[str, TableSchema] = {}
    for name, table in TABLES.items():
        source = dataset.source(name)
        if source is None:
            rule = "optional_table_missing" if table.optional_table else "missing_table"
            findings.append(Finding(rule, name))
            continue
        ts = inspect_table(dataset.root, table, source)
        schemas[name] = ts
        findings.extend(ts.findings)
        if ts.readable and ts.rows == 0:
            rule = "optional_table_empty" if table.optional_table else "empty_table"
            findings.append(Finding(rule, name, ts.label))

    with duckdb.connect(":memory:", config=duckdb_config()) as con:
        for ts in schemas.values():
            if ts.readable:
                findings.extend(check_values(con, ts, schemas, today, tiers))

    findings.sort(key=_order)
    row_counts = {name: ts.rows for name, ts in schemas.items() if ts.readable}
    return Report(str(dataset.root), today, tuple(findings), row_counts)


def _order(f: Finding) -> tuple[int, int, str, str, str]:
    return (SEVERITY_ORDER[f.severity], _TABLE_ORDER.get(f.table or "", -1), f.rule,
            f.file or "", f.column or "")
