"""Every DuckDB cmdash opens is capped by `memory.duckdb_mib` and spills into a folder of its
own: left alone DuckDB takes up to 80 % of the machine (2.6 GB to validate 157 M lines)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.engine.limits import duckdb_config
from cmdash.errors import InputError
from cmdash.memo.params import duckdb_mib
from tests.fixtures import write_tiny_dataset


def _limit(con: duckdb.DuckDBPyConnection) -> str:
    return con.sql("SELECT current_setting('memory_limit')").fetchall()[0][0]


def test_the_setting_and_its_override() -> None:
    assert duckdb_mib({}) == 1024
    assert duckdb_mib({"CMDASH_DUCKDB_MIB": "300"}) == 300
    with pytest.raises(InputError, match=r"CMDASH_DUCKDB_MIB|duckdb_mib"):
        duckdb_mib({"CMDASH_DUCKDB_MIB": "lots"})
    with pytest.raises(InputError):
        duckdb_mib({"CMDASH_DUCKDB_MIB": "16"})  # below the setting's floor


def test_the_engine_is_capped_and_spills_apart(tmp_path: Path, monkeypatch) -> None:
    write_tiny_dataset(tmp_path / "d")
    monkeypatch.setenv("CMDASH_DUCKDB_MIB", "300")
    engine = open_engine(Dataset.open(tmp_path / "d"))
    try:
        cur = engine.cursor()
        assert _limit(cur) == _limit(duckdb.connect(config={"memory_limit": "300MiB"}))
        other = duckdb_config()
        assert cur.sql("SELECT current_setting('temp_directory')").fetchall()[0][0] != \
            other["temp_directory"]
    finally:
        engine.close()
    assert _limit(duckdb.connect(config=duckdb_config(512))) == \
        _limit(duckdb.connect(config={"memory_limit": "512MiB"}))
