"""What the SQL tests share: one local SparkSession per run (a JVM start costs about ten
seconds; the CLI's Spark engines find it through getOrCreate) and the demo open on both
engines."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def spark_session():
    pytest.importorskip("pyspark", reason="scripts/test.sh installs requirements-spark.txt")
    from cmdash.engine.spark_engine import local_session

    session = local_session()
    yield session
    session.stop()


@pytest.fixture(scope="session")
def engines(demo_root: Path, spark_session):
    """(DuckDB, Spark) over the session's demo."""
    from cmdash.dataset import Dataset
    from cmdash.engine import open_engine

    ds = Dataset.open(demo_root)
    duck = open_engine(ds, "duckdb")
    spark = open_engine(ds, "spark", session=spark_session)
    yield duck, spark
    spark.close()
    duck.close()
