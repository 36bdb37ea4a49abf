"""Time differences mean elapsed time on every engine (cmdash/query/portable.py)."""

from __future__ import annotations

import pytest

from cmdash.query import compile_sql

#: 09:30:50 to 09:31:10 the next day: 1440 whole minutes elapsed, 1441 minute boundaries
CASES = {
    "SELECT date_diff('minute', TIMESTAMP '2025-01-06 09:30:50', "
    "TIMESTAMP '2025-01-07 09:31:10') AS v": 1440,
    "SELECT date_diff('hour', TIMESTAMP '2025-01-06 09:59:00', "
    "TIMESTAMP '2025-01-06 10:01:00') AS v": 0,
    "SELECT date_diff('day', TIMESTAMP '2025-01-06 23:00:00', "
    "TIMESTAMP '2025-01-07 01:00:00') AS v": 0,
    "SELECT date_diff('day', DATE '2025-01-01', DATE '2025-03-01') AS v": 59,
    # a difference of two dates is a number of days (Spark alone would give an INTERVAL)
    "SELECT CAST('2025-03-01' AS DATE) - CAST('2025-01-01' AS DATE) AS v": 59,
    "SELECT CASE WHEN CAST('2025-03-01' AS DATE) - CAST('2025-01-01' AS DATE) < 60 "
    "THEN 1 ELSE 0 END AS v": 1,
}


def _value(query, sql: str) -> int:
    return int(query(sql).iloc[0]["v"])


@pytest.mark.parametrize("sql", list(CASES))
def test_duckdb_counts_elapsed_time(sql: str) -> None:
    import duckdb

    got = duckdb.sql(compile_sql(sql, "duckdb")).df()
    assert _value(lambda _: got, sql) == CASES[sql]


def test_source_sql_alone_would_count_boundaries() -> None:
    """The check above can fail: DuckDB's own date_diff gives 1441 for the first case."""
    import duckdb

    sql = next(iter(CASES))
    assert int(duckdb.sql(sql).df().iloc[0]["v"]) == 1441


@pytest.mark.spark
def test_spark_counts_elapsed_time(spark_session) -> None:
    for sql, want in CASES.items():
        got = spark_session.sql(compile_sql(sql, "spark")).toArrow().to_pylist()
        assert int(got[0]["v"]) == want, sql


def _statements():
    import sqlglot

    from cmdash.coaching.queries import COACHING_QUERIES
    from cmdash.kpi.facts import FACTS
    from cmdash.kpi.sql import scan_sql
    from cmdash.query import QUERIES
    from cmdash.retention.queries import QUERIES as RETENTION
    from cmdash.stock.queries import QUERIES as STOCK

    defs = [*QUERIES.values(), *COACHING_QUERIES.values(), *RETENTION, *STOCK]
    for q in defs:
        yield q.name, sqlglot.parse_one(q.sql, read="duckdb")
    for name, fact in FACTS.items():
        yield f"scan_{name}", sqlglot.parse_one(scan_sql(name, tuple(fact.measures), "month"),
                                                read="duckdb")


def test_every_statement_with_a_subtraction_can_be_typed() -> None:
    """Else a date difference in it would silently keep its engine-specific meaning."""
    from sqlglot import exp

    from cmdash.query.compile import _reads_scope, with_scope
    from cmdash.query.portable import typed_copy

    untyped = []
    for name, tree in _statements():
        if _reads_scope(tree):
            tree = with_scope(tree)
        if any(tree.find_all(exp.Sub)) and typed_copy(tree) is None:
            untyped.append(name)
    assert not untyped, untyped
