"""Turns a definition plus filters into (sql, params) for one engine: the only SQL assembly.

Assembly goes through sqlglot's syntax tree (adding the scope CTE, transpiling to the
engine's dialect), never string formatting, and is cached per (query, dialect).
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import sqlglot
from sqlglot import exp

from cmdash.engine.base import Engine, Params
from cmdash.query.catalog import QUERIES, QueryDef
from cmdash.query.filters import SCOPE_CTE, Filters
from cmdash.query.portable import SOURCE_DIALECT, render


def compile_sql(sql: str, dialect: str, order_by: tuple[str, ...] = ()) -> str:
    return _compile(sql, dialect, order_by)[0]


@lru_cache(maxsize=256)
def _compile(sql: str, dialect: str, order_by: tuple[str, ...]) -> tuple[str, frozenset[str]]:
    """The statement in `dialect`, and the names of the parameters it binds."""
    tree = sqlglot.parse_one(sql, read=SOURCE_DIALECT)
    if _reads_scope(tree):
        tree = with_scope(tree)
    if order_by:
        tree = tree.order_by(*[exp.column(c) for c in order_by])
    names = frozenset(p.name for p in tree.find_all(exp.Placeholder))
    return render(tree, dialect), names


def with_scope(tree: exp.Expression) -> exp.Expression:
    """The statement with the `scope` CTE first, so the query's own CTEs can read it too."""
    tree = tree.with_("scope", as_=sqlglot.parse_one(SCOPE_CTE, read=SOURCE_DIALECT))
    ctes = tree.args["with_"].expressions
    ctes.insert(0, ctes.pop())
    return tree


def _reads_scope(tree: exp.Expression) -> bool:
    return any(t.name == "scope" for t in tree.find_all(exp.Table))


def explain(query: QueryDef | str, dialect: str = SOURCE_DIALECT) -> str:
    """The SQL a chart runs, for showing beside it."""
    q = QUERIES[query] if isinstance(query, str) else query
    return compile_sql(q.sql, dialect, q.order_by)


def run(engine: Engine, query: QueryDef | str, filters: Filters | None = None,
        extra: Params | None = None) -> pd.DataFrame:
    q = QUERIES[query] if isinstance(query, str) else query
    sql, used = _compile(q.sql, engine.dialect, q.order_by)
    params = (filters or Filters()).params() | (extra or {})
    # Bind only what the statement uses: both engines reject unused parameters.
    return engine.query(sql, {k: v for k, v in params.items() if k in used})
