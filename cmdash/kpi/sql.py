"""One aggregate query per fact: the only place KPI SQL is put together.

A query may compute several groupings in the same scan (GROUPING SETS), so the overview's
company, region, district and manager figures, monthly and for the whole range, cost one
pass over each fact. Fragments come from the declarations (facts, grains); values are bound
parameters; assembly and dialect translation go through sqlglot; compiled text is cached.
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
PERIOD = "period"  # the pseudo-dimension a grouping set may include

GroupingSet = tuple[str, ...]  # dimension ids, optionally with "period"


def union_dims(sets: tuple[GroupingSet, ...]) -> list[str]:
    """Every dimension any set uses, in first-seen order, period last."""
    seen = dict.fromkeys(d for s in sets for d in s if d != PERIOD)
    return [*seen, *([PERIOD] if any(PERIOD in s for s in sets) else [])]


def fact_sql(fact: str, measures: tuple[str, ...], sets: tuple[GroupingSet, ...],
             period: str) -> str:
    """The statement in the source dialect (DuckDB), for showing and for golden tests."""
    f = FACTS[fact]
    exprs = {d: DIMENSIONS[d].expr.format(a=f.alias) for d in union_dims(sets) if d != PERIOD}
    exprs[PERIOD] = PERIODS[period].expr.format(d=f.date_expr)
    dims = union_dims(sets)
    select = [f"{exprs[d]} AS {d}" for d in dims]
    select += [f"{f.measures[m].format(period_start=exprs[PERIOD])} AS {m}" for m in measures]
    if len(sets) == 1:
        group = ", ".join(exprs[d] for d in dims) if dims else ""
        group_clause = f" GROUP BY {group}" if group else ""
    else:
        select += [f"GROUPING({exprs[d]}) AS g_{d}" for d in dims]
        spec = ", ".join("(" + ", ".join(exprs[d] for d in s) + ")" for s in sets)
        group_clause = f" GROUP BY GROUPING SETS ({spec})"
    text = (
        f"SELECT {', '.join(select)} FROM {f.table} {f.alias} "
        f"{' '.join(f.joins).format(a=f.alias)} WHERE {SCOPE_PREDICATE.format(a=f.alias)} "
        f"AND {f.date_expr} BETWEEN {f.start_expr} AND $end{group_clause}"
    )
    tree = sqlglot.parse_one(text, read=SOURCE_DIALECT)
    tree = tree.with_("scope", as_=sqlglot.parse_one(SCOPE_CTE, read=SOURCE_DIALECT))
    return tree.sql(dialect=SOURCE_DIALECT, pretty=True)


@lru_cache(maxsize=512)
def compiled(fact: str, measures: tuple[str, ...], sets: tuple[GroupingSet, ...], period: str,
             dialect: str) -> tuple[str, frozenset[str]]:
    """(SQL in the engine's dialect, parameter names it binds)."""
    tree = sqlglot.parse_one(fact_sql(fact, measures, sets, period), read=SOURCE_DIALECT)
    names = frozenset(p.name for p in tree.find_all(exp.Placeholder))
    return tree.sql(dialect=dialect), names


@lru_cache(maxsize=128)
def rows_sql(fact: str, dims: tuple[str, ...], dialect: str) -> tuple[str, frozenset[str]]:
    """A fact's rows (no grouping, no date filter) with the group columns: the book."""
    f = FACTS[fact]
    select = [f"{DIMENSIONS[d].expr.format(a=f.alias)} AS {d}" for d in dims]
    select += [f"{expr} AS {m}" for m, expr in f.measures.items()]
    text = (
        f"SELECT {', '.join(select)} FROM {f.table} {f.alias} "
        f"{' '.join(f.joins).format(a=f.alias)} WHERE {SCOPE_PREDICATE.format(a=f.alias)}"
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
