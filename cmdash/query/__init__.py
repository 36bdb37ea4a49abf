"""Declarative, engine-portable queries: definitions, filters and their compiler."""

from cmdash.query.catalog import QUERIES, QueryDef
from cmdash.query.compile import compile_sql, explain, run
from cmdash.query.filters import Filters

__all__ = ["QUERIES", "Filters", "QueryDef", "compile_sql", "explain", "run"]
