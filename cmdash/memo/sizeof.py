"""Bytes an object holds, estimated without copying it: what the cache budget counts."""

from __future__ import annotations

import dataclasses
import sys
from typing import Any

import numpy as np
import pandas as pd


def sizeof(value: Any, _seen: set[int] | None = None) -> int:
    """Deep size in bytes: a frame's `memory_usage(deep=True)`, an array's buffer, an
    object's own `nbytes()` (a Scan), and the parts of containers and dataclasses. A part
    shared by two fields is counted once."""
    seen = set() if _seen is None else _seen
    if id(value) in seen:
        return 0
    seen.add(id(value))
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(deep=True, index=True).sum())
    if isinstance(value, (pd.Series, pd.Index)):
        return int(value.memory_usage(deep=True))
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            return int(value.nbytes) + sum(sizeof(v, seen) for v in value.ravel())
        return int(value.nbytes)
    own = getattr(value, "nbytes", None)
    if callable(own):
        return int(own())
    if isinstance(value, dict):
        return sys.getsizeof(value) + sum(sizeof(k, seen) + sizeof(v, seen)
                                          for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return sys.getsizeof(value) + sum(sizeof(v, seen) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sys.getsizeof(value) + sum(sizeof(getattr(value, f.name), seen)
                                          for f in dataclasses.fields(value))
    if hasattr(value, "__dict__"):
        return sys.getsizeof(value) + sizeof(vars(value), seen)
    return sys.getsizeof(value)
