"""One meaning for time differences on every engine, applied when SQL leaves the source dialect.

Queries are written in DuckDB SQL, where two time differences mean different things on
different engines:

- `date_diff('minute', a, b)` counts minute *boundaries crossed* in DuckDB, while Spark's
  `DATEDIFF(MINUTE, a, b)` counts *elapsed* whole minutes (10:00:59 → 10:01:00 is 1 and 0).
- `date2 - date1` is a whole number of days in DuckDB and an INTERVAL DAY in Spark, which
  then cannot be compared with a number.

cmdash defines both as elapsed time: `date_diff(unit, a, b)` is the number of whole units
from a to b (DuckDB's `date_sub`, Spark's `DATEDIFF(unit, …)`), and the difference of two
DATE values is `date_diff('day', …)`. Every statement goes through `render`, so no query
spells this out for itself (docs/robustness.md).
"""

from __future__ import annotations

from functools import lru_cache

from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.optimizer.qualify import qualify

SOURCE_DIALECT = "duckdb"

#: contract type name -> SQL type, for typing the columns of a statement
_SQL_TYPES = {"string": "VARCHAR", "date": "DATE", "timestamp": "TIMESTAMP",
              "double": "DOUBLE", "int16": "SMALLINT", "int32": "INT", "bool": "BOOLEAN"}
_MARK = "cmdash_sub"


@lru_cache(maxsize=1)
def _schema() -> dict[str, dict[str, str]]:
    from cmdash.contract import TABLES

    return {n: {c.name: _SQL_TYPES[c.type] for c in t.columns} for n, t in TABLES.items()}


def render(tree: exp.Expression, dialect: str) -> str:
    """The statement in `dialect`, with time differences as elapsed time."""
    tree = _days_between_dates(tree.copy())
    for node in list(tree.find_all(exp.DateDiff)):
        node.replace(_elapsed(node, dialect))
    return tree.sql(dialect=dialect)


def _elapsed(node: exp.DateDiff, dialect: str) -> exp.Expression:
    unit = (node.unit.name if node.unit else "day").lower()
    start, end = node.expression, node.this
    if dialect == SOURCE_DIALECT:
        # DuckDB: date_sub counts complete units, date_diff counts boundaries
        return exp.Anonymous(this="date_sub", expressions=[exp.Literal.string(unit), start, end])
    return exp.DateDiff(this=end, expression=start, unit=exp.var(unit.upper()))


def _days_between_dates(tree: exp.Expression) -> exp.Expression:
    """`a - b` on two DATE values becomes date_diff('day', b, a). Types come from the
    contract (and explicit casts); a difference whose types cannot be told is left alone."""
    subs = list(tree.find_all(exp.Sub))
    if not subs:
        return tree
    for i, node in enumerate(subs):
        node.meta[_MARK] = i
    typed = typed_copy(tree)
    if typed is None:
        return tree
    dates = {n.meta[_MARK] for n in typed.find_all(exp.Sub)
             if _MARK in n.meta and _is_date(n.this) and _is_date(n.expression)}
    for node in subs:
        if node.meta.pop(_MARK, None) in dates:
            node.replace(exp.DateDiff(this=node.this.copy(), expression=node.expression.copy(),
                                      unit=exp.var("DAY")))
    return tree


def typed_copy(tree: exp.Expression) -> exp.Expression | None:
    """A copy with every expression's type worked out from the contract, or None when the
    statement cannot be typed (tests/sql/test_time_semantics.py checks every query can)."""
    try:
        return annotate_types(
            qualify(tree.copy(), schema=_schema(), dialect=SOURCE_DIALECT,
                    validate_qualify_columns=False, quote_identifiers=False),
            schema=_schema(), dialect=SOURCE_DIALECT)
    except (SqlglotError, KeyError, ValueError, AttributeError, TypeError):
        return None


def _is_date(node: exp.Expression) -> bool:
    return node.type is not None and node.type.is_type(exp.DataType.Type.DATE)
