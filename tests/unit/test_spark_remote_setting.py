"""Where `--engine spark` finds its Spark Connect server: the flag, then
$CMDASH_SPARK_REMOTE, then the setting `engine.spark_remote` of the --settings file.

Each case names a port nobody listens on, so the command must refuse at once, naming the
address it chose: that address shows which source won. No Spark session is started."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from cmdash.cli import main
from tests.fixtures import write_tiny_dataset

pytest.importorskip("pyspark")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return write_tiny_dataset(tmp_path_factory.mktemp("remote") / "tiny")


@pytest.fixture
def settings_file(tmp_path: Path):
    def write(url: str) -> Path:
        path = tmp_path / "cmdash-settings.toml"
        path.write_text(f'[engine]\nspark_remote = "{url}"\n', encoding="utf-8")
        return path
    return write


def _err(argv: list[str], capsys) -> str:
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


def test_the_settings_file_names_the_server(tiny, settings_file, monkeypatch, capsys):
    monkeypatch.delenv("CMDASH_SPARK_REMOTE", raising=False)
    url = f"sc://127.0.0.1:{_closed_port()}"
    err = _err(["prepare", str(tiny), "--engine", "spark", "--quiet",
                "--settings", str(settings_file(url))], capsys)
    assert f"No Spark Connect server answers at {url}" in err
    assert "engine.spark_remote" in err  # the message names every place to fix it


def test_environment_beats_the_file_and_the_flag_beats_both(tiny, settings_file,
                                                            monkeypatch, capsys):
    in_file, in_env, in_flag = (f"sc://127.0.0.1:{_closed_port()}" for _ in range(3))
    settings = str(settings_file(in_file))
    monkeypatch.setenv("CMDASH_SPARK_REMOTE", in_env)
    err = _err(["kpis", str(tiny), "--engine", "spark", "--settings", settings], capsys)
    assert in_env in err and in_file not in err
    err = _err(["kpis", str(tiny), "--engine", "spark", "--settings", settings,
                "--spark-remote", in_flag], capsys)
    assert in_flag in err and in_env not in err


def test_a_malformed_address_is_refused_by_name(tiny, settings_file, monkeypatch, capsys):
    monkeypatch.delenv("CMDASH_SPARK_REMOTE", raising=False)
    err = _err(["prepare", str(tiny), "--engine", "spark",
                "--settings", str(settings_file("http://cluster:15002"))], capsys)
    assert "A Spark Connect URL is sc://HOST:PORT" in err and "http://cluster:15002" in err


def test_duckdb_ignores_the_setting(tiny, settings_file, monkeypatch, tmp_path, capsys):
    """A shared settings file naming a cluster does not stop the default engine."""
    monkeypatch.setenv("CMDASH_WORKSPACE", str(tmp_path / "ws"))
    url = f"sc://127.0.0.1:{_closed_port()}"
    assert main(["prepare", str(tiny), "--quiet", "--settings", str(settings_file(url))]) == 0
    assert "built by duckdb" in capsys.readouterr().out


def test_the_setting_is_listed(capsys):
    assert main(["settings", "--defaults"]) == 0
    assert "spark_remote" in capsys.readouterr().out
