"""What has been sent: a JSON ledger in the dataset's workspace, so nothing repeats.

The ledger is read, filtered and rewritten under an exclusive lock (a second run started
at the same time waits, then finds the alerts already sent), and written to a temporary
file renamed into place (a crash never leaves half a ledger).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

LEDGER = "alerts-sent.json"


@contextlib.contextmanager
def locked(workspace: Path) -> Iterator[Path]:
    """The ledger's path, held under an exclusive lock for the `with` block."""
    workspace.mkdir(parents=True, exist_ok=True)
    with open(workspace / f"{LEDGER}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield workspace / LEDGER
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def sent(path: Path) -> dict[str, str]:
    """key -> the as-of date it was first sent."""
    if not path.is_file():
        return {}
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError):  # a damaged ledger: keep it aside, start afresh
        path.replace(path.with_suffix(".damaged.json"))
        return {}


def record(path: Path, ledger: dict[str, str]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(ledger, f, ensure_ascii=False, indent=0, sort_keys=True)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
