"""The one memory budget of a server process, shared by everything that keeps heavy
results: the app's scans, cuts, reviews and models (`cmdash.ui.cache.memory`) and the
prepared layers' tables kept in memory (`cmdash.prepared.held`), so that together they stay
within `memory.cache_mib`."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from cmdash.memo.budget import Budget
from cmdash.memo.params import limit_bytes, use_file_values

_lock = threading.Lock()
_budget: Budget | None = None


def process_budget() -> Budget:
    """This process's budget, made on first use (`CMDASH_CACHE_MIB`, else the setting)."""
    global _budget
    with _lock:
        if _budget is None:
            _budget = Budget(limit_bytes())
        return _budget


def new_process_budget() -> Budget:
    """An empty budget that becomes this process's, for everything kept from now on (the
    app makes it once per server; clearing Streamlit's resources, as a fresh server would
    start, makes another)."""
    global _budget
    with _lock:
        _budget = Budget(limit_bytes())
        return _budget


def use_settings(values: Mapping[str, Any] | None) -> None:
    """A command's settings take effect for this process: DuckDBs opened from now on get
    its `memory.duckdb_mib`, and the budget (made already or not) its `memory.cache_mib`
    (entries past it go at the next store)."""
    use_file_values(values)
    with _lock:
        if _budget is not None:
            _budget.limit = limit_bytes()
