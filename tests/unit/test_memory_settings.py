"""The memory limits are a process's: a command takes them from its `--settings` file
(the environment still wins), and the next command in the same process starts clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmdash.cli import main
from cmdash.engine.limits import duckdb_config
from cmdash.memo.budget import MIB
from cmdash.memo.params import duckdb_mib, limit_bytes
from cmdash.memo.process import process_budget
from tests.fixtures import write_tiny_dataset


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return write_tiny_dataset(tmp_path / "tiny")


@pytest.fixture
def clean(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("CMDASH_CACHE_MIB", raising=False)
    monkeypatch.delenv("CMDASH_DUCKDB_MIB", raising=False)
    yield
    from cmdash.memo.process import use_settings

    use_settings(None)


def _settings(tmp_path: Path, cache: int, duckdb: int) -> Path:
    path = tmp_path / "s.toml"
    path.write_text(f"[memory]\ncache_mib = {cache}\nduckdb_mib = {duckdb}\n",
                    encoding="utf-8")
    return path


def test_a_commands_settings_file_sets_its_memory_limits(tiny: Path, tmp_path: Path,
                                                         clean) -> None:
    budget = process_budget()
    assert main(["validate", str(tiny), "--settings",
                 str(_settings(tmp_path, 512, 384))]) == 0
    assert duckdb_mib() == 384 and duckdb_config()["memory_limit"] == "384MiB"
    assert limit_bytes() == 512 * MIB == budget.limit == process_budget().limit
    assert main(["validate", str(tiny)]) == 0  # no file: the defaults again
    assert duckdb_mib() == 1024 and budget.limit == 2048 * MIB


def test_the_environment_wins_over_the_file(tiny: Path, tmp_path: Path, clean,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMDASH_DUCKDB_MIB", "300")
    assert main(["validate", str(tiny), "--settings",
                 str(_settings(tmp_path, 512, 384))]) == 0
    assert duckdb_mib() == 300 and limit_bytes() == 512 * MIB


def test_a_limit_out_of_range_in_the_file_is_bad_input(tiny: Path, tmp_path: Path, clean,
                                                      capsys: pytest.CaptureFixture) -> None:
    assert main(["validate", str(tiny), "--settings",
                 str(_settings(tmp_path, 512, 16))]) == 1
    err = capsys.readouterr().err
    assert "memory.duckdb_mib" in err and "s.toml" in err
