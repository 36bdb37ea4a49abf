"""Removing prepared layers no process uses any more, so `prepared/` does not grow with
every data version and setting.

A layer is *in use* while a process reads it: each look-up (`Store.layer`) touches its
`last_used` file (at most every `TOUCH_SECONDS`), and a reader holds a shared lock on its
`.held` file for as long as it is open (`hold`). A pruner removes a folder of the same
`prepared/` folder only when it is not the layer kept, it was last used (its `last_used`,
else its manifest, else the folder itself) longer ago than the age asked, no reader holds
it (an exclusive lock taken without waiting) and no builder writes that key (its build
lock, likewise). The folder is renamed aside first, so a reader that looks for it finds a
whole layer or none, then removed. Temporary folders of dead builders of other keys go by
the same rules. See docs/performance.md, "Prepared layer".
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from cmdash.prepared.kept import FOLDER as RESULTS  # the pages' tables kept
from cmdash.prepared.layer import MANIFEST

#: Touched when a process looks a layer up: its last use, for the age rule.
LAST_USED = "last_used"
#: Shared-locked by every open reader of the layer.
HELD = ".held"
#: The files a layer gets from its readers, beside the ones it was built with.
MARKERS = (LAST_USED, HELD, RESULTS)
#: A look-up touches `last_used` at most this often (pruning ages are days).
TOUCH_SECONDS = 600
#: How build.py names its temporary folders (`.tmp-<key>-…`) and build locks (`<key>.lock`).
TMP = ".tmp-"
LOCK = ".lock"
_DAY = 86400.0


@dataclass(frozen=True)
class Pruned:
    removed: tuple[str, ...]  # folder names removed
    in_use: tuple[str, ...]  # old enough, but a reader or a builder holds them: kept


def touch(path: Path) -> None:
    """Mark the layer in `path` as used now (a read-only workspace: nothing is marked)."""
    with contextlib.suppress(OSError):
        (path / LAST_USED).touch()


def hold(path: Path) -> IO[bytes] | None:
    """A shared lock on the layer while the returned handle is open (None where there are
    no file locks or the file cannot be opened: such readers rely on `last_used` alone)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return None
    try:
        handle = open(path / HELD, "a+b")  # noqa: SIM115 - held for the reader's life
    except OSError:
        try:
            handle = open(path / HELD, "rb")  # noqa: SIM115 - a read-only workspace
        except OSError:
            return None
    try:
        fcntl.flock(handle, fcntl.LOCK_SH)
    except OSError:
        handle.close()
        return None
    return handle


def last_used(path: Path) -> float:
    """When the layer was last looked up (seconds since the epoch): its `last_used`, else
    its manifest (a layer nobody has read since it was built), else the folder."""
    for name in (LAST_USED, MANIFEST):
        with contextlib.suppress(OSError):
            return (path / name).stat().st_mtime
    return path.stat().st_mtime


def key_of(name: str) -> str:
    """The layer key a folder in `prepared/` belongs to (a temporary one: its builder's)."""
    return name.removeprefix(TMP).split("-", 1)[0] if name.startswith(TMP) else name


def prune(folder: Path, keep: str, max_age_days: float | None = None,
          now: float | None = None) -> Pruned:
    """Remove the layers (and builders' leftovers) in `folder` other than `keep` unused
    for more than `max_age_days` (None: whatever their age), unless in use."""
    folder = Path(folder)
    now = time.time() if now is None else now
    removed, in_use = [], []
    try:
        entries = sorted(p for p in folder.iterdir() if p.is_dir())
    except OSError:
        return Pruned((), ())
    for path in entries:
        key = key_of(path.name)
        if key == keep:
            continue
        try:
            old = max_age_days is None or now - last_used(path) > max_age_days * _DAY
        except OSError:
            continue  # removed meanwhile
        if not old:
            continue
        with _unheld(folder / f"{key}{LOCK}") as free, _unheld(path / HELD) as unread:
            if not (free and unread):
                in_use.append(path.name)
                continue
            gone = path
            if not path.name.startswith(TMP):  # aside first: a layer is whole or absent
                gone = folder / f"{TMP}{key}-pruned-{os.getpid()}"
                try:
                    os.replace(path, gone)
                except OSError:
                    continue
        shutil.rmtree(gone, ignore_errors=True)
        removed.append(path.name)
    return Pruned(tuple(removed), tuple(in_use))


@contextlib.contextmanager
def _unheld(path: Path) -> Iterator[bool]:
    """True (and holding it exclusively meanwhile) when nobody holds a lock on `path`; a
    file that does not exist is held by nobody."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: the age alone decides
        yield True
        return
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        yield True
        return
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        handle.close()
