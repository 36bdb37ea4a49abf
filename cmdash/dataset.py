"""Where a dataset's tables live on disk: `NAME.parquet` or a folder `NAME/` of Parquet files."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cmdash.contract import TABLES
from cmdash.errors import InputError

REPO_DATA = Path(__file__).resolve().parent.parent / "data"
TRUTH_DIR = "_truth"  # the demo's planted answers: read by tests only, never by the app


@dataclass(frozen=True)
class TableSource:
    name: str
    path: Path  # a .parquet file or a folder of them
    is_dir: bool

    @property
    def glob(self) -> str:
        """The pattern DuckDB and Spark read: every Parquet file below a folder."""
        return str(self.path / "**" / "*.parquet") if self.is_dir else str(self.path)

    def files(self) -> list[Path]:
        return sorted(self.path.rglob("*.parquet")) if self.is_dir else [self.path]


@dataclass(frozen=True)
class Dataset:
    root: Path

    @classmethod
    def open(cls, root: str | Path) -> Dataset:
        path = Path(root).expanduser()
        if not path.is_dir():
            raise InputError("Dataset folder not found", file=str(path))
        return cls(path.resolve())

    def source(self, table: str) -> TableSource | None:
        """The table's file or folder, or None when the dataset does not have it."""
        if table not in TABLES:
            raise KeyError(table)
        single = self.root / f"{table}.parquet"
        if single.is_file():
            return TableSource(table, single, False)
        # a folder of parts: `NAME/`, or `NAME.parquet/` as Spark writes it
        for folder in (self.root / table, single):
            if folder.is_dir() and any(folder.rglob("*.parquet")):
                return TableSource(table, folder, True)
        return None

    def sources(self) -> dict[str, TableSource]:
        return {n: s for n in TABLES if (s := self.source(n)) is not None}

    @property
    def workspace(self) -> Path:
        """cmdash's own files for this dataset (coach verdicts, notes, trained models).

        Kept outside the dataset folder (which may be read-only and is never written to):
        under $CMDASH_WORKSPACE, default `data/_workspace/`, one folder per dataset path.
        """
        base = Path(os.environ.get("CMDASH_WORKSPACE") or REPO_DATA / "_workspace")
        digest = hashlib.sha1(str(self.root).encode("utf-8")).hexdigest()[:12]
        return base / f"{self.root.name}-{digest}"

    def version(self) -> str:
        """Changes when any table file changes: part of every cache key for this dataset."""
        stats = [p.stat() for s in self.sources().values() for p in s.files()]
        latest = max((s.st_mtime_ns for s in stats), default=0)
        return f"{len(stats)}-{sum(s.st_size for s in stats)}-{latest}"
