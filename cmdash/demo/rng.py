"""Independent, reproducible random streams: one per (seed, component, part)."""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, *keys: str | int) -> np.random.Generator:
    """A generator for one component, so adding draws in one place never shifts another.

    Keys are hashed with CRC32 (stable across runs and platforms, unlike `hash`).
    """
    entropy = [int(seed)] + [zlib.crc32(k.encode()) if isinstance(k, str) else int(k) for k in keys]
    return np.random.default_rng(np.random.SeedSequence(entropy))
