"""Value checks as DuckDB SQL over the Parquet files, so a table is never loaded into memory.

All row-level rules of a table are compiled into one aggregate query (one scan); keys need
a GROUP BY and foreign keys an anti-join each. File lists, dates and allowed values are bound
as parameters; identifiers come only from contract.py and are quoted by `ident`.

Folders are read with hive_partitioning off: partition keys are not contract columns, and
with it on DuckDB replaces a file column by a partition key of the same name (a folder
`targets/month=2025-03/` would shadow the real `month` dates).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import duckdb

from cmdash.contract import (
    DATE_ORDER_RULES,
    EARLIEST_PLAUSIBLE_YEAR,
    FUTURE_DATES_ALLOWED,
    SIGNED_AMOUNTS,
    TABLES,
)
from cmdash.tiers import DEFAULT_NAMED_ORDER, describe, tier_order
from cmdash.validation.report import Finding
from cmdash.validation.rules import (
    FIRST_OF_MONTH,
    MAX_EXAMPLES,
    NOT_ABOVE,
    STATUS_NEEDS_DATE,
    VALUE_RANGES,
)
from cmdash.validation.schema import INT_BOUNDS, TableSchema

_EXAMPLE_POOL = 50  # smallest values gathered before de-duplicating down to MAX_EXAMPLES


def ident(name: str) -> str:
    """Quote an identifier taken from contract.py (never from a file's content)."""
    return '"' + name.replace('"', '""') + '"'


def _source(param: str) -> str:
    return f"read_parquet(${param}, hive_partitioning = false, union_by_name = true)"


@dataclass(frozen=True)
class Probe:
    """One row-level rule: the rows matching `where` are counted; `example` is quoted."""

    rule: str
    column: str
    where: str  # SQL predicate over one row
    example: str  # SQL expression quoted for the first offending rows
    details: tuple[tuple[str, str], ...] = ()


class _Params:
    """Collects bound values and hands out their $names."""

    def __init__(self, **initial: Any) -> None:
        self.values: dict[str, Any] = dict(initial)

    def __call__(self, value: Any) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return f"${name}"


def check_values(
    con: duckdb.DuckDBPyConnection,
    ts: TableSchema,
    schemas: dict[str, TableSchema],
    today: date,
    tiers: tuple[str, str] = ("auto", DEFAULT_NAMED_ORDER),
) -> list[Finding]:
    """Run every value rule of one table; a query that fails becomes a `check_failed` error.

    `tiers`: the settings tiers.encoding and tiers.named_order, for the tier-order note."""
    files = [str(p) for p in ts.readable]
    findings: list[Finding] = []
    params = _Params(files=files)
    probes = _probes(ts, params, today)
    jobs = [lambda: _run_probes(con, ts, probes, params.values)]
    if ts.table.name == "customers" and "tier" in ts.usable:
        jobs.append(lambda: _tier_note(con, ts, files, tiers))
    pk = ts.table.primary_key
    if pk and pk in ts.usable:
        jobs.append(lambda: _duplicates(con, ts, pk, files))
    for fk in ts.table.foreign_keys:
        target = schemas.get(fk.table)
        target_pk = TABLES[fk.table].primary_key
        if fk.column in ts.usable and target and target.intact and target_pk in target.usable:
            jobs.append(lambda fk=fk, t=target: _orphans(con, ts, fk.column, t, files))
    for job in jobs:
        try:
            findings.extend(job())
        except duckdb.Error as exc:
            reason = (str(exc).strip().splitlines() or ["DuckDB error"])[0][:200]
            encoding = bad_encoding(ts) if "utf" in reason.lower() else []
            findings.extend(encoding or [
                Finding("check_failed", ts.table.name, ts.label, details=(("reason", reason),))
            ])
            if encoding:
                break  # every other check would fail on the same bytes
    return findings


def bad_encoding(ts: TableSchema) -> list[Finding]:
    """A finding per text column holding bytes that are not UTF-8, with its row count."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    counts: dict[str, int] = {}
    for path in ts.readable:
        schema = pq.read_schema(path)
        for col in ts.table.columns:
            if col.type != "string" or col.name not in schema.names:
                continue
            try:
                bad = invalid_utf8(pq.read_table(path, columns=[col.name]).column(0))
            except (pa.ArrowException, OSError):
                continue
            if bad:
                counts[col.name] = counts.get(col.name, 0) + bad
    return [Finding("bad_encoding", ts.table.name, ts.label, column=c, count=n)
            for c, n in counts.items()]


def invalid_utf8(text) -> int:
    """How many values of an Arrow text column are bytes that are not UTF-8."""
    import pyarrow as pa

    count = 0
    for v in text.cast(pa.binary()).to_pylist():
        try:
            if v is not None:
                v.decode("utf-8")
        except UnicodeDecodeError:
            count += 1
    return count


def _probes(ts: TableSchema, p: _Params, today: date) -> list[Probe]:
    table, usable = ts.table, ts.usable
    name = table.name
    row_key = _row_key(ts)
    probes: list[Probe] = []
    keys = {fk.column for fk in table.foreign_keys if not table.column(fk.column).optional}
    if table.primary_key:
        keys.add(table.primary_key)
    amounts = [c for t, c in SIGNED_AMOUNTS if t == name and c in usable]

    for col in table.columns:
        if col.name not in usable:
            continue
        c = ident(col.name)
        blank = f"{c} IS NULL" + (f" OR trim({c}) = ''" if col.type == "string" else "")
        if col.name in keys:
            probes.append(Probe("null_key", col.name, blank, "NULL"))
        elif not col.optional and col.name not in amounts:
            probes.append(Probe("null_value", col.name, blank, row_key))
        if col.name in ts.range_checks:
            low, high = INT_BOUNDS[col.type]
            x = f"CAST({c} AS DOUBLE)"
            probes.append(Probe(
                "integer_out_of_range", col.name,
                f"{c} IS NOT NULL AND (isnan({x}) OR {x} <> trunc({x}) "
                f"OR {x} < {p(low)} OR {x} > {p(high)})",
                c, (("expected", f"{col.type} [{low}, {high}]"),),
            ))
        if col.type in ("date", "timestamp"):
            latest = today + timedelta(days=1)
            earliest = date(EARLIEST_PLAUSIBLE_YEAR, 1, 1)
            d = f"CAST({c} AS DATE)"
            if (name, col.name) not in FUTURE_DATES_ALLOWED:
                probes.append(Probe("future_date", col.name, f"{d} > {p(latest)}", c,
                                    (("limit", latest.isoformat()),)))
            probes.append(Probe("early_date", col.name, f"{d} < {p(earliest)}", c,
                                (("limit", earliest.isoformat()),)))
        if col.choices:
            probes.append(Probe(
                "bad_choice", col.name,
                f"trim({c}) <> '' AND NOT list_contains({p(list(col.choices))}, {c})",
                c, (("choices", " / ".join(col.choices)),),
            ))

    for col_name in amounts:
        x = f"CAST({ident(col_name)} AS DOUBLE)"
        probes.append(Probe("nonfinite_amount", col_name,
                            f"{x} IS NULL OR isnan({x}) OR isinf({x})", row_key))
    if amounts:
        first = ident(amounts[0])
        probes.append(Probe("returns", amounts[0], f"{first} < 0", row_key))
        for other in amounts[1:]:
            probes.append(Probe("sign_mismatch", other,
                                f"sign({ident(other)}) * sign({first}) < 0", row_key,
                                (("other", amounts[0]),)))

    for t, low, high in DATE_ORDER_RULES:
        if t == name and {low, high} <= usable:
            probes.append(Probe("date_order", high, f"{ident(high)} < {ident(low)}", row_key,
                                (("other", low),)))
    for t, col_name, low_v, high_v in VALUE_RANGES:
        if t == name and col_name in usable:
            x = f"CAST({ident(col_name)} AS DOUBLE)"
            probes.append(Probe(
                "score_range", col_name,
                f"{x} IS NOT NULL AND (isnan({x}) OR {x} < {p(low_v)} OR {x} > {p(high_v)})",
                ident(col_name), (("limit", f"{low_v:g}–{high_v:g}"),),
            ))
    for t, col_name, ceiling in NOT_ABOVE:
        if t == name and {col_name, ceiling} <= usable:
            probes.append(Probe("issues_resolved_exceed_raised", col_name,
                                f"{ident(col_name)} > {ident(ceiling)}", row_key,
                                (("other", ceiling),)))
    for t, col_name in FIRST_OF_MONTH:
        if t == name and col_name in usable:
            probes.append(Probe("month_not_first_day", col_name,
                                f"day({ident(col_name)}) <> 1", ident(col_name)))
    for t, status, value, date_col in STATUS_NEEDS_DATE:
        if t == name and status in usable:
            missing = f" AND {ident(date_col)} IS NULL" if date_col in usable else ""
            probes.append(Probe("left_without_date", date_col,
                                f"{ident(status)} = {p(value)}{missing}", row_key))
    return probes


def _row_key(ts: TableSchema) -> str:
    """What identifies a row in examples: the primary key, else the first usable column."""
    pk = ts.table.primary_key
    if pk and pk in ts.usable:
        return ident(pk)
    first = next((c.name for c in ts.table.columns if c.name in ts.usable), None)
    return ident(first) if first else "NULL"


def _examples(expr: str, where: str = "") -> str:
    """SQL: the first distinct values of `expr` (as text) among rows matching `where`."""
    flt = f" FILTER (WHERE {where})" if where else ""
    return (f"list_sort(list_distinct(min(CAST({expr} AS VARCHAR), {_EXAMPLE_POOL}){flt}))"
            f"[1:{MAX_EXAMPLES}]")


def _run_probes(
    con: duckdb.DuckDBPyConnection, ts: TableSchema, probes: list[Probe], params: dict[str, Any]
) -> list[Finding]:
    if not probes:
        return []
    selects = []
    for probe in probes:
        selects.append(f"count(*) FILTER (WHERE {probe.where})")
        selects.append(_examples(probe.example, probe.where))
    sql = f"SELECT {', '.join(selects)} FROM {_source('files')}"
    row = con.execute(sql, params).fetchone() or ()
    findings = []
    for i, probe in enumerate(probes):
        count, examples = row[2 * i], row[2 * i + 1]
        if count:
            findings.append(Finding(probe.rule, ts.table.name, ts.label, probe.column, count,
                                    tuple(examples or ()), probe.details))
    return findings


def _duplicates(
    con: duckdb.DuckDBPyConnection, ts: TableSchema, pk: str, files: list[str]
) -> list[Finding]:
    k = ident(pk)
    present = (f"trim({k}) <> ''" if ts.table.column(pk).type == "string"
               else f"{k} IS NOT NULL")  # a date key (the calendar's) has no blanks
    sql = (f"WITH d AS (SELECT {k} AS k, count(*) AS n FROM {_source('files')} "
           f"WHERE {present} GROUP BY {k} HAVING count(*) > 1) "
           f"SELECT coalesce(sum(n), 0)::BIGINT, {_examples('k')} FROM d")
    count, examples = con.execute(sql, {"files": files}).fetchone() or (0, None)
    if not count:
        return []
    return [Finding("duplicate_key", ts.table.name, ts.label, pk, count, tuple(examples or ()))]


def _orphans(
    con: duckdb.DuckDBPyConnection, ts: TableSchema, column: str, target: TableSchema,
    files: list[str],
) -> list[Finding]:
    fk, pk = ident(column), ident(target.table.primary_key or "")
    sql = (f"SELECT count(*), {_examples('s.v')} "
           f"FROM (SELECT {fk} AS v FROM {_source('files')} WHERE trim({fk}) <> '') AS s "
           f"ANTI JOIN (SELECT {pk} AS k FROM {_source('target')}) AS t ON s.v = t.k")
    target_files = [str(p) for p in target.readable]
    count, examples = con.execute(sql, {"files": files, "target": target_files}).fetchone() or (
        0, None)
    if not count:
        return []
    name = target.table.name
    details = (("target", f"{name}.{target.table.primary_key}"),)
    return [Finding("orphan_key", ts.table.name, ts.label, column, count,
                    tuple(examples or ()), details)]


def _tier_note(con: duckdb.DuckDBPyConnection, ts: TableSchema, files: list[str],
               tiers: tuple[str, str]) -> list[Finding]:
    """A note saying which tier order (档位 encoding) the dashboard assumes for this data."""
    rows = con.execute(f"SELECT DISTINCT {ident('tier')} FROM {_source('files')} LIMIT 10000",
                       {"files": files}).fetchall()
    order = tier_order([r[0] for r in rows], *tiers)
    return [Finding("tier_encoding", ts.table.name, ts.label, "tier",
                    details=(("order_zh", describe(order, "zh")),
                             ("order_en", describe(order, "en"))))]
