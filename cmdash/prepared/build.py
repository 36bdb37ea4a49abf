"""Writing a prepared layer: every prepared fact scanned once by day (on DuckDB or Spark,
with the scan's own statement), rolled up to weeks and months locally, written as Parquet.

Atomic: the files and then the manifest go into a temporary folder beside the layer, which
one `os.rename` makes the layer. A builder that fails or is killed leaves at most a
temporary folder, which readers never open and the next builder removes. Two processes
preparing the same layer take turns on a file lock; the second finds the first's layer
and returns it without scanning.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from cmdash.engine.limits import duckdb_config
from cmdash.kpi.facts import FACTS
from cmdash.kpi.grains import PERIODS
from cmdash.kpi.sql import compiled
from cmdash.prepared.layer import (
    COARSE,
    FACTS_PREPARED,
    FORMAT_VERSION,
    MANIFEST,
    Layer,
    Store,
    combine,
    read_layer,
    sql_params,
    table_file,
)

Progress = Callable[[float, str], None]
#: The whole history: the layer is the scan of every row, any range is cut from it.
_ALL_START, _ALL_END = dt.date(1900, 1, 1), dt.date(9999, 12, 31)
_TMP = ".tmp-"
#: Engines' raw output and spill files inside a build's folder, removed before the rename.
_RAW = ".raw-"
#: Rows per Parquet row group: small enough that a few days' range skips most of a file.
ROW_GROUP = 128 * 1024


def _quiet(_fraction: float, _message: str) -> None:
    pass


def prepare(engine, dataset, measure_params: dict | None = None, *,
            workspace: Path | None = None, version: str | None = None,
            progress: Progress = _quiet, force: bool = False) -> Layer:
    """The layer for the dataset's version and these settings: the one on disk, or built
    now (`force`: built again even if one exists)."""
    store = Store(Path(workspace or dataset.workspace), version or dataset.version())
    path = store.path(measure_params)
    if not force and (done := read_layer(path)) is not None:
        return done
    store.folder.mkdir(parents=True, exist_ok=True)
    with _locked(store.folder / f"{path.name}.lock"):
        if not force and (done := read_layer(path)) is not None:
            return done  # another process built it while this one waited
        _remove_leftovers(store.folder, path.name)
        tmp = Path(tempfile.mkdtemp(prefix=f"{_TMP}{path.name}-", dir=store.folder))
        try:
            manifest = write_tables(engine, tmp, measure_params, progress)
            manifest |= {"key": path.name, "version": store.version}
            # the manifest last: a folder without one is never a layer
            (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1, default=str) + "\n",
                                        encoding="utf-8")
            _publish(tmp, path)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    layer = read_layer(path)
    if layer is None:  # pragma: no cover - only if the folder vanished meanwhile
        raise OSError(f"prepared layer {path} disappeared after it was written")
    return layer


def _publish(tmp: Path, path: Path) -> None:
    """One rename makes the finished folder the layer (an old one is moved aside first)."""
    old = None
    if path.exists():
        old = path.with_name(f"{_TMP}{path.name}-old-{os.getpid()}")
        os.replace(path, old)
    os.replace(tmp, path)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(folder: Path, key: str) -> None:
    """Temporary folders of this layer from builders that died (the lock is held)."""
    for p in folder.glob(f"{_TMP}{key}-*"):
        shutil.rmtree(p, ignore_errors=True)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: the rename alone decides
        yield
        return
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_tables(engine, folder: Path, measure_params: dict | None,
                 progress: Progress = _quiet) -> dict:
    """Scan each prepared fact by day on the engine, write it and its coarser roll-ups into
    `folder`; returns the manifest (without the key). No table is ever whole in memory:
    DuckDB streams each scan into its file and rolls the months up from it within its
    memory cap (setting `memory.duckdb_mib`), spilling beyond it; Spark writes Parquet,
    which a local DuckDB with the same cap sorts and rolls up."""
    from cmdash.kpi.scan import table_rows
    from cmdash.query import Filters, run

    began = time.perf_counter()
    params = sql_params(measure_params)
    bound = Filters(start=_ALL_START, end=_ALL_END).params() | params
    bound["scan_start"] = _ALL_START
    progress(0.0, "rows and dates")
    rows = table_rows(engine)
    span = run(engine, "sales_date_range").iloc[0]
    facts: dict[str, dict] = {}
    with _finisher(engine, folder) as con:
        for i, name in enumerate(FACTS_PREPARED):
            progress((i + 0.5) / (len(FACTS_PREPARED) + 1), name)
            measures = tuple(FACTS[name].measures)
            sql, names = compiled(name, measures, "day", engine.dialect)
            raw = folder / f"{_RAW}{name}"
            day = _scanned(engine, con, sql, {k: v for k, v in bound.items() if k in names},
                           raw)
            facts[name] = {"measures": list(measures), "keys": list(FACTS[name].grain),
                           "grains": ["day", *COARSE[name]],
                           "rows": _write_grains(con, day, name, folder)}
            _remove(raw)
    progress(1.0, "written")
    return {"format": FORMAT_VERSION, "engine": engine.dialect, "params": params,
            "rows": rows, "facts": facts,
            "sales_first_day": _day(span["first_day"]), "sales_last_day": _day(span["last_day"]),
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - began, 3)}


@contextlib.contextmanager
def _finisher(engine, folder: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The DuckDB that sorts and rolls up the engine's output: DuckDB's own (one memory
    cap for the whole build), else a local one with the same cap, spilling into the
    build's folder."""
    if (cursor := getattr(engine, "cursor", None)) is not None:
        yield cursor()
        return
    spill = folder / f"{_RAW}spill"
    con = duckdb.connect(":memory:", config=duckdb_config(spill=spill,
                                                          preserve_insertion_order=False))
    try:
        yield con
    finally:
        con.close()
        _remove(spill)


def _scanned(engine, con: duckdb.DuckDBPyConnection, sql: str, params: dict,
             raw: Path) -> duckdb.DuckDBPyRelation:
    """The fact's daily scan as a DuckDB relation: DuckDB's own, streamed to the files
    as it is written; Spark's written to Parquet by Spark's writers and read by the local
    DuckDB; else collected as Arrow (a Spark Connect server writes on its own file
    system)."""
    if (relation := getattr(engine, "relation", None)) is not None:
        return relation(sql, params)
    writer = getattr(engine, "write_parquet", None)
    if writer is not None and writer(sql, params, raw):
        files = [raw] if raw.is_file() else sorted(raw.glob("*.parquet"))
        if files:
            return con.read_parquet([str(f) for f in files])
    return con.from_arrow(_arrow(engine, sql, params))


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _day(value) -> str | None:
    import pandas as pd

    return None if pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _arrow(engine, sql: str, params: dict) -> pa.Table:
    """The scan's result as Arrow (straight from engines that can, else via pandas)."""
    if hasattr(engine, "query_arrow"):
        return engine.query_arrow(sql, params)
    return pa.Table.from_pandas(engine.query(sql, params), preserve_index=False)


def _write_grains(con: duckdb.DuckDBPyConnection, day: duckdb.DuckDBPyRelation,
                  fact: str, folder: Path) -> dict[str, int]:
    """The daily table sorted by day (a date range then reads only the row groups it
    needs) and its roll-ups to coarser periods (sums, or min/max: `combine`), each
    streamed to its file by the local DuckDB: keys as text, days as DATE, `in_range`
    dropped (every row of the whole history is in it). The relation API: no path in SQL."""
    f = FACTS[fact]
    keys = [f'"{k}"' for k in f.grain]
    typed = dict(zip(day.columns, (str(t) for t in day.types), strict=True))
    stored = day.select(", ".join([*[_stored(k, typed[k]) for k in f.grain],
                                   "CAST(period AS DATE) AS period",
                                   *[f'"{m}"' for m in f.measures]]))
    rows = {"day": _write(stored.order("period"), folder / table_file(fact, "day"))}
    written = con.read_parquet(str(folder / table_file(fact, "day")))
    for grain in COARSE[fact]:
        bucket = PERIODS[grain].expr.format(d="period")
        rolled = written.aggregate(
            ", ".join([*keys, f"{bucket} AS period",
                       *[f'{combine(m)}("{m}") AS "{m}"' for m in f.measures]]),
            ", ".join([*keys, bucket]))
        rows[grain] = _write(rolled.order("period"), folder / table_file(fact, grain))
    return rows


def _stored(column: str, sql_type: str) -> str:
    """A key as the layer stores it, whichever engine wrote it: days as DATE (a timestamp
    at midnight from some engines), categories as plain text, the rest as they are."""
    if sql_type.startswith("TIMESTAMP"):
        return f'CAST("{column}" AS DATE) AS "{column}"'
    if sql_type.startswith("ENUM") or sql_type == "VARCHAR":
        return f'CAST("{column}" AS VARCHAR) AS "{column}"'
    return f'"{column}"'


def _write(rel: duckdb.DuckDBPyRelation, path: Path) -> int:
    rel.write_parquet(str(path), compression="lz4", row_group_size=ROW_GROUP)
    return pq.ParquetFile(path).metadata.num_rows
