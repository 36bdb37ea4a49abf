"""Page results kept on disk inside the prepared layer, so that a restarted server, or a
second server process, shows a view it has shown before without rolling it up again.

A result (a KPI table, the assessment scores) is a pure function of the layer it was cut
from, the arguments, cmdash's code and the day (partial periods are judged against today):
its file name hashes all four, and it lives in the layer's own folder, so a rebuilt or
pruned layer takes its results with it. Files are written whole and renamed into place; an
unreadable one is computed again and rewritten; past `MAX_BYTES` the least recently used go.
A read-only workspace keeps nothing and computes as before.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

FOLDER = "results"
#: Bumped when what a result file holds changes shape.
FORMAT_VERSION = 1
#: Disk kept per layer: room for thousands of views' tables (a KPI table is ~10–200 KiB).
MAX_BYTES = 256 * 2**20

T = TypeVar("T")


@lru_cache(maxsize=1)
def code_digest() -> str:
    """cmdash's source: a new release (or a changed rule) computes every result afresh."""
    here = Path(__file__).resolve().parent.parent
    digest = hashlib.sha1()
    for path in sorted(here.rglob("*.py")):
        digest.update(str(path.relative_to(here)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def result_path(layer_path: Path, what: tuple, today: dt.date | None = None) -> Path:
    """Where the result of `what` (a name and the arguments, each with a stable repr) is
    kept for this layer."""
    key = repr((FORMAT_VERSION, code_digest(), (today or dt.date.today()).isoformat(), what))
    return layer_path / FOLDER / f"{hashlib.sha1(key.encode('utf-8')).hexdigest()}.pkl"


def kept(layer_path: Path | None, what: tuple, compute: Callable[[], T]) -> T:
    """The result kept for `what` in the layer, else `compute()`, kept for next time
    (without a layer: computed, nothing kept)."""
    if layer_path is None:
        return compute()
    path = result_path(layer_path, what)
    try:
        with path.open("rb") as handle:
            value = pickle.load(handle)
    except Exception:  # missing, torn or foreign: computed (again) below
        pass
    else:
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: the last to be evicted
        return value
    value = compute()
    _write(path, value)
    return value


def _write(path: Path, value: object) -> None:
    tmp: str | None = None
    try:
        path.parent.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:  # a read-only or full workspace: nothing kept
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return
    _evict(path.parent)


def _evict(folder: Path, limit: int = MAX_BYTES) -> None:
    """The least recently used results go until the folder is within `limit`."""
    files = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            with contextlib.suppress(OSError):
                st = entry.stat()
                files.append((st.st_mtime, st.st_size, entry.path))
    total = sum(size for _, size, _ in files)
    for _, size, name in sorted(files):
        if total <= limit:
            break
        with contextlib.suppress(OSError):
            os.unlink(name)
            total -= size
