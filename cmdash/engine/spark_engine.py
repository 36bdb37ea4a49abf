"""Apache Spark, for companies that outgrow one machine: same queries, transpiled by sqlglot.

Import is lazy: the default install has no PySpark and no Java.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import urllib.parse
from pathlib import Path
from typing import Any

import pandas as pd

from cmdash.contract import TABLES
from cmdash.dataset import Dataset
from cmdash.engine.base import Params, to_frame
from cmdash.errors import InputError

_SPARK_TYPES = {
    "string": "string",
    "date": "date",
    "timestamp": "timestamp_ntz",
    "double": "double",
    "int16": "smallint",
    "int32": "int",
    "bool": "boolean",
}


#: A Spark Connect URL (sc://host:15002) in this variable makes every Spark engine a client
#: of that server instead of a local session (docs/spark.md).
REMOTE_ENV = "CMDASH_SPARK_REMOTE"
#: The SQL settings the queries are written and parity-tested for: days in UTC, and a
#: division by zero or a bad cast is NULL, not an error. Set on a local session and on a
#: Connect client's session alike (a Connect server's own default is ANSI mode, where the
#: same query fails instead).
SQL_CONF = {"spark.sql.session.timeZone": "UTC", "spark.sql.ansi.enabled": "false"}
#: A local session's own: few shuffle partitions (one machine), no web UI.
LOCAL_CONF = {"spark.sql.shuffle.partitions": "4", "spark.ui.enabled": "false"}
#: Spark Connect's default port, when the URL names none.
CONNECT_PORT = 15002
#: Seconds to wait for a Connect server to accept a connection: the client's own retries
#: would wait about ten minutes before saying that nobody is there.
CONNECT_TIMEOUT = 10.0


def local_session(app_name: str = "cmdash", remote: str | None = None) -> Any:
    """A local-mode session for tests and single machines, or a Spark Connect client when
    `remote` (or $CMDASH_SPARK_REMOTE) names a server; clusters may also pass their own."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise InputError(
            "PySpark is not installed: pip install -r requirements-spark.txt (needs Java 17+)"
        ) from exc
    remote = remote or os.environ.get(REMOTE_ENV)
    if remote:
        reachable(remote)
        return SparkSession.builder.remote(remote).appName(app_name).config(
            map=SQL_CONF).getOrCreate()
    return (SparkSession.builder.master("local[2]").appName(app_name)
            .config(map={**SQL_CONF, **LOCAL_CONF}).getOrCreate())


def reachable(url: str) -> None:
    """Refuse, at once and by name, a Connect URL that is malformed or whose server does not
    answer (pyspark's own `local[N]` remotes start a server in this process: not checked)."""
    if url.startswith("local"):
        return
    parsed = urllib.parse.urlparse(url)
    try:
        host, port = parsed.hostname, parsed.port or CONNECT_PORT
    except ValueError:
        host = port = None
    if parsed.scheme != "sc" or not host:
        raise InputError(f"A Spark Connect URL is sc://HOST:PORT, got {url!r}")
    try:
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT).close()
    except OSError as exc:
        raise InputError(f"No Spark Connect server answers at {url} ({exc}); start one "
                         "(docs/spark.md) or fix --spark-remote / $CMDASH_SPARK_REMOTE / "
                         "the setting engine.spark_remote"
                         ) from exc


def _running_session(remote: str | None) -> Any | None:
    """The local session already active in this process, which `local_session` would
    return (None for a Connect client: each command opens and closes its own)."""
    if remote or os.environ.get(REMOTE_ENV):
        return None
    from pyspark.sql import SparkSession

    return SparkSession.getActiveSession()


def _is_connect(session: Any) -> bool:
    """A Spark Connect client session (its writes happen on the server's file system)."""
    return type(session).__module__.startswith("pyspark.sql.connect")


class SparkEngine:
    dialect = "spark"

    def __init__(self, dataset: Dataset, session: Any | None = None,
                 remote: str | None = None) -> None:
        from pyspark.sql import functions as F

        self.dataset = dataset
        # a session this engine starts is its own to stop; one already running in the
        # process (a notebook's, a test suite's: getOrCreate returns it) is left running
        running = session if session is not None else _running_session(remote)
        self.spark = session or local_session(remote=remote)
        self.remote = bool(remote or os.environ.get(REMOTE_ENV)) or _is_connect(self.spark)
        self._owns_session = running is None
        present: set[str] = set()
        for name, table in TABLES.items():
            source = self.dataset.source(name)
            schema = ", ".join(f"`{c.name}` {_SPARK_TYPES[c.type]}" for c in table.columns)
            if source is None:
                df = self.spark.createDataFrame([], schema)
            else:
                # recursiveFileLookup turns partition discovery off, as in the DuckDB engine.
                df = self.spark.read.option("recursiveFileLookup", "true").option(
                    "mergeSchema", "true").parquet(str(source.path))
                have = set(df.columns)
                df = df.select(
                    *[
                        (F.col(c.name) if c.name in have else F.lit(None))
                        .cast(_SPARK_TYPES[c.type])
                        .alias(c.name)
                        for c in table.columns
                    ]
                )
                present.add(name)
            df.createOrReplaceTempView(name)
        self.present = frozenset(present)

    @staticmethod
    def _arg(value: Any) -> Any:
        from pyspark.sql import functions as F

        if isinstance(value, list | tuple):
            return F.array(*[F.lit(v) for v in value])
        if isinstance(value, dt.datetime | dt.date | str | int | float | bool) or value is None:
            return value
        raise TypeError(f"unsupported parameter type {type(value).__name__}")

    def query(self, sql: str, params: Params, categorical: bool = False) -> pd.DataFrame:
        return to_frame(self.query_arrow(sql, params), categorical)

    def query_arrow(self, sql: str, params: Params) -> Any:
        """The result as a pyarrow Table (the prepared layer writes it without pandas)."""
        args = {k: self._arg(v) for k, v in params.items()}
        return self.spark.sql(sql, args=args).toArrow()

    def write_parquet(self, sql: str, params: Params, path: Path) -> bool:
        """The result written by Spark's own writers into the folder `path` (part files),
        never collected to the driver. A Spark Connect server writes on its own file
        system, which need not be this machine's: then False, and the caller collects."""
        if self.remote:
            return False
        args = {k: self._arg(v) for k, v in params.items()}
        self.spark.sql(sql, args=args).write.mode("overwrite").parquet(str(path))
        return True

    def close(self) -> None:
        if self._owns_session:
            self.spark.stop()
