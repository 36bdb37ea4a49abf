"""One small demo dataset per test session, shared by the SQL, app and browser tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

DEMO_END = dt.date(2026, 10, 31)  # fixed, so results do not depend on the day tests run


def make_demo(base: Path, size: str = "small", seed: int = 0) -> Path:
    """`base/demo`: a data root with one dataset, the layout the app expects."""
    from cmdash.demo import generate

    root = base / "demo"
    generate(root, size=size, seed=seed, end=DEMO_END)
    return root
