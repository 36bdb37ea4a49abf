"""`prepare --engine spark` writes the same layer as DuckDB: every file, cell by cell
(keys and counts exactly, sums within 1e-9 relative), on one district of the small demo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cmdash.cli import main
from cmdash.dataset import Dataset
from cmdash.prepared import Layer, Store
from tests.sql.test_spark_parity_commands import one_district

pytestmark = pytest.mark.spark

END = dt.date(2026, 10, 31)


@pytest.fixture(scope="module")
def lean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("pyspark", reason="scripts/test.sh installs requirements-spark.txt")
    from cmdash.demo import generate

    base = tmp_path_factory.mktemp("spark-prepared")
    generate(base / "full", size="small", seed=7, end=END, months=6)
    # the CLI stops a Spark session it started; one already running (the suite's shared
    # `spark_session`) is left to its owner
    return one_district(base / "full", base / "lean")


def _layer(root: Path, engine: str, workspace: Path, monkeypatch) -> Layer:
    monkeypatch.setenv("CMDASH_WORKSPACE", str(workspace))
    assert main(["prepare", str(root), "--engine", engine, "--quiet"]) == 0
    return written_layer(root, engine)


def written_layer(root: Path, engine: str) -> Layer:
    """The layer `prepare` wrote for the dataset into $CMDASH_WORKSPACE, by this engine."""
    ds = Dataset.open(root)
    layer = Store(ds.workspace, ds.version()).layer()
    assert layer is not None and layer.manifest["engine"] == engine
    return layer


def test_spark_writes_the_same_layer(lean: Path, tmp_path: Path, monkeypatch) -> None:
    duck = _layer(lean, "duckdb", tmp_path / "duck", monkeypatch)
    spark = _layer(lean, "spark", tmp_path / "spark", monkeypatch)
    assert_same_layer(duck, spark)


def assert_same_layer(duck: Layer, spark: Layer) -> None:
    """Same key, tables, row counts and span; every file cell by cell."""
    assert duck.path.name == spark.path.name  # one key: either engine's layer serves
    assert duck.manifest["facts"] == spark.manifest["facts"]  # same tables, same row counts
    assert duck.rows == spark.rows
    assert (duck.first_day, duck.last_day) == (spark.first_day, spark.last_day)
    compared = 0
    for fact, held in duck.manifest["facts"].items():
        for grain in held["grains"]:
            a, b = (pd.read_parquet(lay.file(fact, grain)) for lay in (duck, spark))
            keys = [*held["keys"], "period"]
            assert list(a.columns) == list(b.columns) == [*keys, *held["measures"]]
            a, b = (f.sort_values(keys, ignore_index=True) for f in (a, b))
            for col in keys:
                assert a[col].astype(str).tolist() == b[col].astype(str).tolist(), col
            for col in held["measures"]:
                np.testing.assert_allclose(b[col].to_numpy("float64"),
                                           a[col].to_numpy("float64"), rtol=1e-9, atol=0,
                                           equal_nan=True, err_msg=f"{fact}.{grain}.{col}")
            compared += len(a) * len(a.columns)
    assert compared > 10_000  # the district has rows in every fact: the check is not empty
