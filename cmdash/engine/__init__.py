"""Engines that run cmdash's query definitions: DuckDB by default, Spark when asked."""

from __future__ import annotations

from cmdash.dataset import Dataset
from cmdash.engine.base import Engine, Params

ENGINES = ("duckdb", "spark")


def open_engine(dataset: Dataset, kind: str = "duckdb", **options: object) -> Engine:
    if kind == "duckdb":
        from cmdash.engine.duckdb_engine import DuckDBEngine

        return DuckDBEngine(dataset, **options)  # type: ignore[arg-type]
    if kind == "spark":
        from cmdash.engine.spark_engine import SparkEngine

        return SparkEngine(dataset, **options)  # type: ignore[arg-type]
    raise ValueError(f"unknown engine {kind!r}; choose one of {ENGINES}")


__all__ = ["ENGINES", "Engine", "Params", "open_engine"]
