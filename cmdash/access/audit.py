"""The audit log: who changed what, and when, in the dataset's workspace.

One JSON object per line (`audit.jsonl`: `at`, `who`, `action`, `detail`), appended and
never rewritten, so a line once written stays. Values are written with `json.dumps`, so a
note or file name holding quotes, newlines or SQL is stored as text and nothing else; the
log is never read into a query.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

FILE = "audit.jsonl"
MAX_DETAIL_CHARS = 4_000  # per text value: a pasted megabyte is cut, not stored
_LOCK = threading.Lock()  # one app process, many sessions (threads)


@dataclass(frozen=True)
class Entry:
    at: str  # local time, ISO 8601 to the second
    who: str  # the viewer (`Access.who`): login email, CLI user or demo:<role>
    action: str  # e.g. "whatif.save", "whatif.load", "coaching.verdict"
    detail: dict[str, object] = field(default_factory=dict)  # what changed


def path(workspace: Path) -> Path:
    return Path(workspace) / FILE


def _clip(value: object) -> object:
    if isinstance(value, str):
        return value if len(value) <= MAX_DETAIL_CHARS else value[:MAX_DETAIL_CHARS] + "…"
    if isinstance(value, dict):
        return {str(k)[:200]: _clip(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clip(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return _clip(str(value))


def record(workspace: Path, who: str, action: str, detail: dict[str, object] | None = None,
           at: dt.datetime | None = None) -> Entry:
    """Append one entry (creating the workspace folder) and return it."""
    entry = Entry((at or dt.datetime.now()).isoformat(timespec="seconds"), str(who),
                  str(action), _clip(dict(detail or {})))
    line = json.dumps(asdict(entry), ensure_ascii=False, default=str) + "\n"
    p = path(workspace)
    p.parent.mkdir(parents=True, exist_ok=True)
    with _LOCK:  # O_APPEND keeps lines whole across processes; the lock across threads
        fd = os.open(p, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)
    return entry


def load(workspace: Path) -> list[Entry]:
    """Every entry, oldest first (empty when nothing was recorded)."""
    p = path(workspace)
    if not p.is_file():
        return []
    return [Entry(**json.loads(line)) for line in p.read_text(encoding="utf-8").splitlines()
            if line.strip()]
