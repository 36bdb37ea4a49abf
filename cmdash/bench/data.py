"""The benchmark's data: a demo of the asked size, generated once into a cache folder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from cmdash.dataset import REPO_DATA

#: Fixed, so every run of a size measures the same rows.
BENCH_SEED = 0
BENCH_END = dt.date(2026, 10, 31)
READY = "_bench_ready"  # written last: a half-written folder is regenerated, not reused


def default_dir(size: str) -> Path:
    return REPO_DATA / "_bench" / size


def ensure_dataset(size: str, folder: Path | None = None, months: int | None = None,
                   progress: Callable[[float, str], None] | None = None) -> tuple[Path, str]:
    """(folder, how): "reused" a complete bench demo of this size, "generated" it, or
    "given" — a folder holding some other dataset, measured as it is and never overwritten.
    """
    from cmdash.demo import generate

    folder = Path(folder) if folder else default_dir(size)
    stamp = f"size={size} seed={BENCH_SEED} end={BENCH_END} months={months}"
    marker = folder / READY
    if marker.is_file():
        if marker.read_text(encoding="utf-8").strip() == stamp:
            return folder, "reused"
    elif (folder / "sales").exists() or (folder / "sales.parquet").exists():
        return folder, "given"
    marker.unlink(missing_ok=True)
    generate(folder, size=size, seed=BENCH_SEED, end=BENCH_END, progress=progress,
             months=months)
    marker.write_text(stamp + "\n", encoding="utf-8")
    return folder, "generated"
