"""The scan of one fact at its grain: the only place KPI SQL is put together.

Fragments come from the declarations (facts, grains); values are bound parameters;
assembly and dialect translation go through sqlglot; compiled text is cached.
"""

from __future__ import annotations

from functools import lru_cache

import sqlglot
from sqlglot import exp

from cmdash.kpi.facts import FACTS, GRAIN_EXPR
from cmdash.kpi.grains import PERIODS
from cmdash.query.compile import SOURCE_DIALECT, with_scope
from cmdash.query.portable import render

#: Rows count when the viewer sees everything (orphans included), else only scoped managers'.
SCOPE_PREDICATE = "($all_scope OR {a}.manager_id IN (SELECT manager_id FROM scope))"


def scan_sql(fact: str, measures: tuple[str, ...], period: str) -> str:
    """The statement in the source dialect (DuckDB), for showing and for golden tests.

    Rows from `$scan_start` (a year and a period before the range, for comparisons and
    retention) to `$end`; `in_range` tells the viewer's range from that lead-in.
    """
    f = FACTS[fact]
    keys = [GRAIN_EXPR[g].format(a=f.alias, d=f.date_expr) for g in f.grain]
    keys.append(PERIODS[period].expr.format(d=f.date_expr))
    keys.append(f"{f.date_expr} >= {f.range_start}")
    names = [*f.grain, "period", "in_range"]
    select = [f"{k} AS {n}" for k, n in zip(keys, names, strict=True)]
    # every measure leaves as DOUBLE: sums of small ints would otherwise be HUGEINT/decimal
    select += [f"CAST({f.measures[m]} AS DOUBLE) AS {m}" for m in measures]
    text = (
        f"SELECT {', '.join(select)} FROM {f.table} {f.alias} {' '.join(f.joins)} "
        f"WHERE {SCOPE_PREDICATE.format(a=f.alias)} "
        f"AND {f.date_expr} BETWEEN $scan_start AND $end "
        f"GROUP BY {', '.join(keys)}"
    )
    tree = sqlglot.parse_one(text, read=SOURCE_DIALECT)
    tree = with_scope(tree)
    return tree.sql(dialect=SOURCE_DIALECT, pretty=True)


@lru_cache(maxsize=256)
def compiled(fact: str, measures: tuple[str, ...], period: str, dialect: str
             ) -> tuple[str, frozenset[str]]:
    """(SQL in the engine's dialect, parameter names it binds)."""
    tree = sqlglot.parse_one(scan_sql(fact, measures, period), read=SOURCE_DIALECT)
    names = frozenset(p.name for p in tree.find_all(exp.Placeholder))
    return render(tree, dialect), names


#: Attribute tables the roll-up joins to the scans (a customer's tier, a manager's district).
ATTRIBUTES_SQL = {
    "managers": "SELECT manager_id AS manager, region, district, status, hire_date, left_date "
    "FROM managers",
    "customers": "SELECT customer_id AS customer, tier, format, area_type, opened_date, "
    "closed_date, manager_id AS owner FROM customers",
    "products": "SELECT product_id AS product, brand, price_tier FROM products",
    "calendar": "SELECT date, is_workday FROM calendar",
}


@lru_cache(maxsize=16)
def attributes_sql(table: str, dialect: str) -> str:
    return sqlglot.parse_one(ATTRIBUTES_SQL[table], read=SOURCE_DIALECT).sql(dialect=dialect)
