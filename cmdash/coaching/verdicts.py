"""Coaches' verdicts on a type (confirmed / wrong, with a note), kept in the workspace.

One Parquet file per dataset under `Dataset.workspace` (never inside the dataset folder):
every save appends a row with who and when; the latest row per (manager, type) is the
verdict shown. Written to a temporary file and renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd

FILE = "coach_verdicts.parquet"
VERDICTS = ("confirmed", "wrong")
COLUMNS = ("manager_id", "type", "verdict", "note", "by", "at", "as_of")
MAX_NOTE_CHARS = 2_000  # a note is a sentence or two; longer text is cut


def path(workspace: Path) -> Path:
    return Path(workspace) / FILE


def load(workspace: Path) -> pd.DataFrame:
    """Every verdict recorded, oldest first (an empty frame when none)."""
    p = path(workspace)
    if not p.is_file():
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    return pd.read_parquet(p).sort_values("at", kind="stable", ignore_index=True)


def latest(workspace: Path) -> pd.DataFrame:
    """The current verdict per (manager_id, type)."""
    return load(workspace).drop_duplicates(["manager_id", "type"], keep="last").reset_index(
        drop=True)


def record(workspace: Path, manager_id: str, type_id: str, verdict: str, note: str = "",
           by: str = "", as_of: dt.date | None = None,
           at: dt.datetime | None = None) -> pd.DataFrame:
    """Append one verdict (`by`: who saves it, the viewer's `Access.who`; `at`: when,
    default now) and return the updated table."""
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {VERDICTS}, got {verdict!r}")
    row = pd.DataFrame([{
        "manager_id": str(manager_id), "type": str(type_id), "verdict": verdict,
        "note": str(note or "")[:MAX_NOTE_CHARS], "by": str(by or ""),
        "at": (at or dt.datetime.now()).isoformat(timespec="seconds"),
        "as_of": as_of.isoformat() if as_of else "",
    }])
    table = pd.concat([load(workspace), row], ignore_index=True).astype("object")
    p = path(workspace)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(f".{os.getpid()}.tmp")
    table.to_parquet(tmp, index=False)
    tmp.replace(p)
    return table
