"""One aggregate query per fact for a grain: the only place KPI SQL is put together.

Fragments come from the declarations (facts, grains); values are bound parameters;
assembly and dialect translation go through sqlglot, and compiled text is cached.
"""

from __future__ import annotations

from functools import lru_cache

import sqlglot
from sqlglot import exp

from cmdash.kpi.facts import FACTS
from cmdash.kpi.grains import DIMENSIONS, PERIODS
from cmdash.query.compile import SOURCE_DIALECT
from cmdash.query.filters import SCOPE_CTE

#: Rows count when the viewer sees everything (orphans included), else only scoped managers'.
SCOPE_PREDICATE = "($all_scope OR {a}.manager_id IN (SELECT manager_id FROM scope))"


def fact_sql(fact: str, measures: tuple[str, ...], dims: tuple[str, ...], period: str) -> str:
    """The statement in the source dialect (DuckDB), for showing and for golden tests."""
    f = FACTS[fact]
    period_expr = PERIODS[period].expr.format(d=f.date_expr)
    select = [f"{DIMENSIONS[d].expr.format(a=f.alias)} AS {d}" for d in dims]
    select.append(f"{period_expr} AS period")
    select += [
        f"{f.measures[m].format(period_start=period_expr)} AS {m}" for m in measures
    ]
    where = (
        f"{SCOPE_PREDICATE.format(a=f.alias)} AND {f.date_expr} BETWEEN {f.start_expr} AND $end"
    )
    groups = list(range(1, len(dims) + 2))
    text = (
        f"SELECT {', '.join(select)} FROM {f.table} {f.alias} {' '.join(f.joins).format(a=f.alias)}"
        f" WHERE {where} GROUP BY {', '.join(map(str, groups))}"
    )
    tree = sqlglot.parse_one(text, read=SOURCE_DIALECT)
    tree = tree.with_("scope", as_=sqlglot.parse_one(SCOPE_CTE, read=SOURCE_DIALECT))
    return tree.sql(dialect=SOURCE_DIALECT, pretty=True)


@lru_cache(maxsize=512)
def compiled(fact: str, measures: tuple[str, ...], dims: tuple[str, ...], period: str,
             dialect: str) -> tuple[str, frozenset[str]]:
    """(SQL in the engine's dialect, parameter names it binds)."""
    tree = sqlglot.parse_one(fact_sql(fact, measures, dims, period), read=SOURCE_DIALECT)
    names = frozenset(p.name for p in tree.find_all(exp.Placeholder))
    return tree.sql(dialect=dialect), names


@lru_cache(maxsize=128)
def rows_sql(fact: str, dims: tuple[str, ...], dialect: str) -> tuple[str, frozenset[str]]:
    """A fact's rows (no grouping, no date filter) with the group columns: the book."""
    f = FACTS[fact]
    select = [f"{DIMENSIONS[d].expr.format(a=f.alias)} AS {d}" for d in dims]
    select += [f"{expr} AS {m}" for m, expr in f.measures.items()]
    text = (
        f"SELECT {', '.join(select)} FROM {f.table} {f.alias} {' '.join(f.joins).format(a=f.alias)}"
        f" WHERE {SCOPE_PREDICATE.format(a=f.alias)}"
    )
    tree = sqlglot.parse_one(text, read=SOURCE_DIALECT)
    tree = tree.with_("scope", as_=sqlglot.parse_one(SCOPE_CTE, read=SOURCE_DIALECT))
    names = frozenset(p.name for p in tree.find_all(exp.Placeholder))
    return tree.sql(dialect=dialect), names


@lru_cache(maxsize=32)
def catalogue_sql(product_dims: tuple[str, ...], dialect: str) -> str:
    """Products listed per product grouping (the 动销率 denominator)."""
    select = [f"{DIMENSIONS[d].expr} AS {d}" for d in product_dims]
    text = f"SELECT {', '.join([*select, 'count(*) AS products_listed'])} FROM products p"
    if product_dims:
        text += f" GROUP BY {', '.join(str(i + 1) for i in range(len(product_dims)))}"
    return sqlglot.parse_one(text, read=SOURCE_DIALECT).sql(dialect=dialect)
