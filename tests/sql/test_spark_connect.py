"""Spark Connect for real: a Connect server started here (pyspark's own SparkConnectServer,
`local[2]`, on a free loopback port) and the CLI as its client, each run a separate
process as a user's would be (a Connect client marks its whole Python process as Connect).

`prepare --engine spark --spark-remote sc://…` writes the same layer as DuckDB, and
`kpis --engine spark` with $CMDASH_SPARK_REMOTE answers the same as DuckDB; the client's
session carries the SQL settings the queries are written for (not the server's ANSI
default); a server that does not answer is named at once instead of after minutes of
retries. One district of the small demo over six months, as in the other parity tests.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cmdash.cli import main
from tests.sql.test_spark_parity_commands import _table, assert_same, one_district
from tests.sql.test_spark_parity_prepared import assert_same_layer, written_layer

pytestmark = pytest.mark.spark

END = dt.date(2026, 10, 31)
REPO = Path(__file__).resolve().parents[2]
SERVER = "org.apache.spark.sql.connect.service.SparkConnectServer"
#: Seconds the server may take to listen (a JVM start on two busy cores).
START_LIMIT = 240
#: Seconds one CLI run may take against it.
RUN_LIMIT = 600


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture(scope="module")
def connect_url(tmp_path_factory: pytest.TempPathFactory):
    """sc://127.0.0.1:PORT of a Connect server running for this module."""
    pyspark = pytest.importorskip("pyspark",
                                  reason="scripts/test.sh installs requirements-spark.txt")
    home = Path(pyspark.__file__).parent
    port = _free_port()
    log_path = tmp_path_factory.mktemp("spark-connect-server") / "server.log"
    conf = {"spark.connect.grpc.binding.address": "127.0.0.1",
            "spark.connect.grpc.binding.port": str(port),
            "spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1",
            "spark.ui.enabled": "false", "spark.sql.shuffle.partitions": "4"}
    args = [str(home / "bin" / "spark-submit"), "--class", SERVER, "--name", "cmdash-test",
            "--master", "local[2]", "--driver-memory", "1g",
            *[a for k, v in conf.items() for a in ("--conf", f"{k}={v}")]]
    with open(log_path, "wb") as log:
        server = subprocess.Popen(args, env={**os.environ, "SPARK_HOME": str(home)},
                                  stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        deadline = time.monotonic() + START_LIMIT
        while not _listening(port):
            if server.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-3000:]
                pytest.fail(f"the Connect server did not listen on {port}:\n{tail}")
            time.sleep(1)
        yield f"sc://127.0.0.1:{port}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.fixture(scope="module")
def lean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from cmdash.demo import generate

    base = tmp_path_factory.mktemp("spark-connect")
    generate(base / "full", size="small", seed=7, end=END, months=6)
    return one_district(base / "full", base / "lean")


def _client(args: list[str], workspace: Path, **env: str) -> subprocess.CompletedProcess:
    """A client run in its own process; the output is checked by the caller."""
    done = subprocess.run(
        [sys.executable, *args], cwd=REPO, capture_output=True, text=True,
        timeout=RUN_LIMIT, env={**os.environ, "CMDASH_WORKSPACE": str(workspace), **env})
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def test_prepare_through_connect_writes_the_same_layer(
        connect_url: str, lean: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _client(["-m", "cmdash", "prepare", str(lean), "--engine", "spark",
             "--spark-remote", connect_url, "--quiet"], tmp_path / "connect")
    monkeypatch.setenv("CMDASH_WORKSPACE", str(tmp_path / "connect"))
    spark = written_layer(lean, "spark")
    monkeypatch.setenv("CMDASH_WORKSPACE", str(tmp_path / "duck"))
    assert main(["prepare", str(lean), "--quiet"]) == 0
    assert_same_layer(written_layer(lean, "duckdb"), spark)


def test_kpis_through_connect_answer_as_duckdb(
        connect_url: str, lean: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The KPI scan on the server, the client named by the environment (no prepared layer:
    the scan reads the fact files)."""
    out = {engine: tmp_path / f"{engine}.csv" for engine in ("duckdb", "spark")}
    _client(["-m", "cmdash", "kpis", str(lean), "--engine", "spark", "--out",
             str(out["spark"])], tmp_path / "connect", CMDASH_SPARK_REMOTE=connect_url)
    monkeypatch.setenv("CMDASH_WORKSPACE", str(tmp_path / "duck"))
    assert main(["kpis", str(lean), "--out", str(out["duckdb"])]) == 0
    duck, spark = (_table(out[e]) for e in ("duckdb", "spark"))
    assert len(duck) > 0 and len(duck.columns) > 20
    assert_same(duck, spark)


def test_connect_session_has_the_queries_sql_settings(connect_url: str,
                                                      tmp_path: Path) -> None:
    """The server's default is ANSI mode (a division by zero fails); the client's session
    is set as a local one is."""
    from cmdash.engine.spark_engine import SQL_CONF

    code = ("import json, sys; from cmdash.engine.spark_engine import SQL_CONF, local_session;"
            "s = local_session(remote=sys.argv[1]);"
            "print(json.dumps({k: s.conf.get(k) for k in SQL_CONF}))")
    done = _client(["-c", code, connect_url], tmp_path / "connect")
    assert json.loads(done.stdout.strip().splitlines()[-1]) == SQL_CONF


@pytest.mark.parametrize(("url", "words"), [
    ("sc://127.0.0.1:{port}", "No Spark Connect server answers at sc://127.0.0.1:{port}"),
    ("http://127.0.0.1:{port}", "A Spark Connect URL is sc://HOST:PORT"),
])
def test_a_server_that_does_not_answer_is_named_at_once(lean: Path, url: str,
                                                        words: str) -> None:
    pytest.importorskip("pyspark", reason="scripts/test.sh installs requirements-spark.txt")
    port = _free_port()  # nobody listens there
    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "cmdash", "kpis", str(lean), "--engine", "spark",
         "--spark-remote", url.format(port=port)], cwd=REPO, capture_output=True,
        text=True, timeout=RUN_LIMIT)
    assert done.returncode == 1
    assert words.format(port=port) in done.stderr
    assert "Traceback" not in done.stderr
    assert time.monotonic() - began < 60
