"""Every DuckDB cmdash opens works within one memory cap and spills to disk beyond it, so an
extract of any size is validated, prepared and read in bounded memory (left alone, DuckDB
takes up to 80 % of the machine's memory: 2.6 GB to validate 157 M order lines)."""

from __future__ import annotations

import itertools
import os
import tempfile
from pathlib import Path

from cmdash.memo.params import duckdb_mib

_COUNT = itertools.count()


def duckdb_config(memory_mib: int | None = None, spill: Path | None = None,
                  **more: object) -> dict[str, object]:
    """A connection's config: the memory cap (setting `memory.duckdb_mib`) and a spill
    folder of its own (two databases spilling into one folder would overwrite each
    other's files). DuckDB makes the folder when it first spills and removes it on close."""
    if spill is None:
        spill = Path(tempfile.gettempdir()) / f"cmdash-duckdb-{os.getpid()}-{next(_COUNT)}"
    return {"memory_limit": f"{int(memory_mib or duckdb_mib())}MiB",
            "temp_directory": str(spill), **more}
