"""What a prepared layer holds and where it lives: declarations, key, manifest.

A layer is a folder `<workspace>/prepared/<key>/` of Parquet files and a `manifest.json`.
The key hashes the dataset version, the settings the fact SQL binds (`SQL_PARAMS`), the
format version and the scan statements themselves, so a change to any of them is a new
layer and an old one is never read for it. The folder appears by one rename of a finished
temporary folder (manifest inside), so a reader sees a whole layer or none.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from cmdash.kpi.facts import FACTS
from cmdash.kpi.scan import MEASURE_PARAMS, ON_REQUEST

#: Bumped when the files' layout or meaning changes: older layers are then never read.
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FOLDER = "prepared"

#: The facts a layer holds: every fact the pages scan by default, and those only the
#: retention features read (`RETENTION_ONLY`); the by-product scans are asked for rarely
#: and are nearly as large as the order lines: they stay direct scans.
FACTS_PREPARED: tuple[str, ...] = tuple(f for f in FACTS if f not in ON_REQUEST)

#: Coarser tables written beside each fact's daily one, where they are much smaller: a
#: whole month inside a range is read from them (weeks are summed from the days: a
#: customer orders about weekly, so a weekly table is nearly as large as the daily one).
#: A fact keyed by day (check-ins) or by month already (targets) has only its daily table.
COARSE: dict[str, tuple[str, ...]] = {
    "sales": ("month",),
    "visits": ("month",),
    "feedback": ("month",),
    "inspections": ("month",),
    "checkins": (),
    "targets": (),
    "complaints": (),
}

#: How a measure of finer rows combines into a coarser row: sums and counts add up; the
#: first and last order day of a period are the least and greatest of its days'.
COMBINE: dict[str, str] = {"first_order_day": "min", "last_order_day": "max"}

#: The settings bound into the fact SQL: a layer is for one value of each.
SQL_PARAMS: tuple[str, ...] = tuple(MEASURE_PARAMS)


def combine(measure: str) -> str:
    return COMBINE.get(measure, "sum")


def sql_params(measure_params: dict | None) -> dict[str, float]:
    """The SQL-bound settings in effect: the defaults, overridden by the caller's."""
    given = measure_params or {}
    return {k: float(given.get(k, MEASURE_PARAMS[k])) for k in SQL_PARAMS}


@lru_cache(maxsize=1)
def _statements() -> tuple[str, ...]:
    from cmdash.kpi.sql import scan_sql

    return tuple(scan_sql(f, tuple(FACTS[f].measures), "day") for f in FACTS_PREPARED)


def layer_key(version: str, params: dict[str, float]) -> str:
    """Dataset version + SQL-bound settings + format + the scan statements themselves."""
    blob = json.dumps({"format": FORMAT_VERSION, "version": version,
                       "params": sql_params(params), "sql": _statements(),
                       "coarse": COARSE, "combine": COMBINE}, sort_keys=True)
    return hashlib.sha1(blob.encode("utf-8")).hexdigest()[:16]


def table_file(fact: str, grain: str) -> str:
    return f"{fact}.{grain}.parquet"


@dataclass
class Layer:
    """A complete layer on disk, as its manifest describes it (read-only)."""

    path: Path
    manifest: dict[str, Any]
    stamp: int = 0  # the manifest's change time when read
    touched: float = float("-inf")  # when this process last marked it used (monotonic)

    @property
    def rows(self) -> dict[str, int]:
        """Rows per contract table (and per measured optional column) of the dataset."""
        return {k: int(v) for k, v in self.manifest["rows"].items()}

    @property
    def first_day(self) -> str | None:
        return self.manifest["sales_first_day"]

    @property
    def last_day(self) -> str | None:
        return self.manifest["sales_last_day"]

    def has(self, fact: str, measures: tuple[str, ...]) -> bool:
        held = self.manifest["facts"].get(fact)
        return held is not None and set(measures) <= set(held["measures"])

    def grains(self, fact: str) -> tuple[str, ...]:
        return tuple(self.manifest["facts"][fact]["grains"])

    def file(self, fact: str, grain: str) -> Path:
        return self.path / table_file(fact, grain)

    @cached_property
    def reader(self):
        from cmdash.prepared.read import Reader

        return Reader(self)


def read_layer(path: Path) -> Layer | None:
    """The layer in `path` if it is complete and of this format, else None."""
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("format") != FORMAT_VERSION:
        return None
    return Layer(path, manifest)


@dataclass
class Store:
    """The layers of one dataset version in its workspace; finds the one for a set of
    SQL-bound settings. Attached to an engine as `engine.prepared` (see `attach`)."""

    workspace: Path
    version: str
    _found: dict[str, Layer] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.workspace = Path(self.workspace)

    @property
    def folder(self) -> Path:
        return self.workspace / FOLDER

    def path(self, params: dict | None = None) -> Path:
        return self.folder / layer_key(self.version, sql_params(params))

    def layer(self, params: dict | None = None) -> Layer | None:
        """The complete layer for these settings, or None (nothing half-written is read).
        Kept once read, while its manifest is the same file (`prepare --force` replaces
        the folder: the new one is read then)."""
        path = self.path(params)
        try:
            stamp = (path / MANIFEST).stat().st_mtime_ns
        except OSError:
            self._found.pop(path.name, None)
            return None
        found = self._found.get(path.name)
        if found is None or found.stamp != stamp:
            found = read_layer(path)
            if found is None:
                return None
            found.stamp = stamp
            self._found[path.name] = found
        _mark_used(found)
        return found


def _mark_used(layer: Layer) -> None:
    """Touch the layer's `last_used` now and then, so no pruner takes it for unused."""
    from cmdash.prepared.prune import TOUCH_SECONDS, touch

    now = time.monotonic()
    if now - layer.touched > TOUCH_SECONDS:
        touch(layer.path)
        layer.touched = now


def attach(engine: Any, dataset: Any, version: str | None = None) -> Store:
    """Let the engine's scans read the dataset's prepared layer when one exists."""
    store = Store(dataset.workspace, version or dataset.version())
    engine.prepared = store
    return store
