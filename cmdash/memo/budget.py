"""A thread-safe, least-recently-used cache bounded by bytes, not by entries.

Every heavy result a server process keeps (scans, their scoped cuts, coaching reviews,
fitted models) goes into one `Budget`, so that many datasets, date ranges and viewers
cannot grow the process without limit: past the budget, the entries used longest ago go.
A key asked for by several threads at once is computed by the first; the others wait for
its result instead of computing it again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from cmdash.memo.sizeof import sizeof

V = TypeVar("V")
MIB = 1024 * 1024


@dataclass
class Stats:
    hits: int = 0
    misses: int = 0  # computed
    evictions: int = 0
    too_big: int = 0  # computed, larger than the whole budget: returned, not kept


class Budget:
    """`get(key, compute)`: the kept value, else `compute()` (once per key at a time)."""

    def __init__(self, limit_bytes: int, size: Callable[[Any], int] = sizeof) -> None:
        self.limit = int(limit_bytes)
        self._size = size
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self.stats = Stats()

    @property
    def nbytes(self) -> int:
        """Bytes of the values kept now (as measured when they were stored)."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._items

    def keys(self) -> list[Hashable]:
        """Keys from least to most recently used."""
        with self._lock:
            return list(self._items)

    def lookup(self, key: Hashable) -> tuple[bool, Any]:
        """(True, value) when kept (it becomes the most recently used), else (False, None)."""
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return False, None
            self._items.move_to_end(key)
            self.stats.hits += 1
            return True, found[0]

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        found, value = self.lookup(key)
        if found:
            return value
        with self._lock:
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:  # the first caller computes; the rest wait here, then find it kept
            found, value = self.lookup(key)
            if found:
                return value
            try:
                value = compute()
                self.put(key, value)
            finally:
                with self._lock:
                    self._computing.pop(key, None)
        return value

    def put(self, key: Hashable, value: Any) -> bool:
        """Keep `value`, evicting the least recently used entries to stay in budget;
        False (nothing kept) when the value alone is larger than the budget."""
        n = int(self._size(value))
        with self._lock:
            self.stats.misses += 1
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            if n > self.limit:
                self.stats.too_big += 1
                return False
            while self._items and self._bytes + n > self.limit:
                _, (_, gone) = self._items.popitem(last=False)
                self._bytes -= gone
                self.stats.evictions += 1
            self._items[key] = (value, n)
            self._bytes += n
            return True

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0
