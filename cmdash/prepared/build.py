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
import pyarrow.compute as pc
import pyarrow.parquet as pq

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
    `folder`; returns the manifest (without the key)."""
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
    for i, name in enumerate(FACTS_PREPARED):
        progress((i + 0.5) / (len(FACTS_PREPARED) + 1), name)
        measures = tuple(FACTS[name].measures)
        sql, names = compiled(name, measures, "day", engine.dialect)
        day = _as_stored(_arrow(engine, sql, {k: v for k, v in bound.items() if k in names}))
        facts[name] = {"measures": list(measures), "keys": list(FACTS[name].grain),
                       "grains": ["day", *COARSE[name]],
                       "rows": _write_grains(day, name, folder)}
    progress(1.0, "written")
    return {"format": FORMAT_VERSION, "engine": engine.dialect, "params": params,
            "rows": rows, "facts": facts,
            "sales_first_day": _day(span["first_day"]), "sales_last_day": _day(span["last_day"]),
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - began, 3)}


def _day(value) -> str | None:
    import pandas as pd

    return None if pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _arrow(engine, sql: str, params: dict) -> pa.Table:
    """The scan's result as Arrow (straight from engines that can, else via pandas)."""
    if hasattr(engine, "query_arrow"):
        return engine.query_arrow(sql, params)
    return pa.Table.from_pandas(engine.query(sql, params), preserve_index=False)


def _as_stored(table: pa.Table) -> pa.Table:
    """Keys as plain text, dates as DATE, measures as DOUBLE; `in_range` dropped (every
    row of the whole history is in it)."""
    table = table.drop_columns(["in_range"])
    for i, f in enumerate(table.schema):
        col = table.column(i)
        if pa.types.is_dictionary(f.type):
            col = pc.cast(col, pa.string())
        elif pa.types.is_timestamp(f.type):
            col = pc.cast(col, pa.date32())
        else:
            continue
        table = table.set_column(i, f.name, col)
    return table


def _write_grains(day: pa.Table, fact: str, folder: Path) -> dict[str, int]:
    """The daily table sorted by day (a date range then reads only the row groups it
    needs) and its roll-ups to coarser periods (sums, or min/max: `combine`), written by a
    local DuckDB through its relation API (no path in SQL)."""
    f = FACTS[fact]
    keys = [f'"{k}"' for k in f.grain]
    con = duckdb.connect(":memory:")
    try:
        con.register("daily", day)
        rels = {"day": con.sql("SELECT * FROM daily ORDER BY period")}
        for grain in COARSE[fact]:
            bucket = PERIODS[grain].expr.format(d="period")
            select = [*keys, f"{bucket} AS period",
                      *[f'{combine(m)}("{m}") AS "{m}"' for m in f.measures]]
            rels[grain] = con.sql(f"SELECT {', '.join(select)} FROM daily "
                                  f"GROUP BY {', '.join([*keys, bucket])} ORDER BY period")
        rows = {}
        for grain, rel in rels.items():
            table = rel.to_arrow_table()
            pq.write_table(table, folder / table_file(fact, grain), row_group_size=ROW_GROUP,
                           compression="lz4", use_dictionary=list(f.grain))
            rows[grain] = table.num_rows
        return rows
    finally:
        con.close()
