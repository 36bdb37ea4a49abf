"""Which folders the app may open: datasets under configured data roots, nothing else.

A viewer picks a dataset by its key from a list; a typed path is never opened, so no
path traversal reaches the file system.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cmdash.contract import TABLES
from cmdash.dataset import REPO_DATA

ROOTS_ENV = "CMDASH_DATA_ROOTS"  # os.pathsep-separated folders
DEMO_NAME = "demo"
UPLOADS_DIR = "uploads"
_MAX_DEPTH = 2


@dataclass(frozen=True)
class DatasetRef:
    key: str  # stable id shown in the URL, e.g. "demo" or "uploads/upload-20261123-…"
    path: Path


def data_roots() -> list[Path]:
    raw = os.environ.get(ROOTS_ENV, "")
    roots = [Path(p).expanduser().resolve() for p in raw.split(os.pathsep) if p.strip()]
    return roots or [REPO_DATA]


def demo_path() -> Path:
    return data_roots()[0] / DEMO_NAME


def uploads_path() -> Path:
    return data_roots()[0] / UPLOADS_DIR


def _looks_like_dataset(folder: Path) -> bool:
    return any(
        (folder / f"{name}.parquet").is_file() or (folder / name).is_dir() for name in TABLES
    ) and ((folder / "managers.parquet").exists() or (folder / "managers").is_dir())


def list_datasets() -> list[DatasetRef]:
    roots = data_roots()
    found: list[DatasetRef] = []
    for i, root in enumerate(roots):
        if not root.is_dir():
            continue
        prefix = f"{i}:" if len(roots) > 1 else ""
        stack = [(root, 0)]
        while stack:
            folder, depth = stack.pop()
            if folder != root and _looks_like_dataset(folder):
                found.append(DatasetRef(prefix + folder.relative_to(root).as_posix(), folder))
                continue
            if depth < _MAX_DEPTH:
                stack.extend(
                    (p, depth + 1)
                    for p in sorted(folder.iterdir(), reverse=True)
                    if p.is_dir() and not p.name.startswith((".", "_"))
                )
    return sorted(found, key=lambda r: (r.key != DEMO_NAME, r.key))


def resolve(key: str | None) -> DatasetRef | None:
    """The dataset with this key, only if it is one of the listed ones."""
    refs = list_datasets()
    for ref in refs:
        if ref.key == key:
            return ref
    return refs[0] if refs and key is None else None
