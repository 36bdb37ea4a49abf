"""The byte-budgeted cache every heavy result of a server process lives in."""

from __future__ import annotations

import threading
import time

import numpy as np
import pandas as pd
import pytest

from cmdash.errors import InputError
from cmdash.memo.budget import Budget
from cmdash.memo.params import limit_bytes
from cmdash.memo.sizeof import sizeof


def _sized(limit: int) -> Budget:
    """Values are ints standing for their own size in bytes."""
    return Budget(limit, size=lambda v: v)


def test_least_recently_used_goes_first():
    b = _sized(100)
    for k in "abc":
        b.get(k, lambda: 30)
    b.get("a", lambda: pytest.fail("a is kept"))  # a becomes the most recent
    b.get("d", lambda: 30)  # 120 > 100: b (oldest) goes
    assert b.keys() == ["c", "a", "d"]
    assert b.nbytes == 90
    b.get("e", lambda: 50)  # needs 50 more: c and a go
    assert b.keys() == ["d", "e"]
    assert b.stats.evictions == 3


def test_budget_is_never_exceeded():
    b = _sized(1000)
    rng = np.random.default_rng(3)
    for i in range(500):
        b.get(int(rng.integers(0, 60)), lambda i=i: int(rng.integers(1, 300)))
        assert b.nbytes <= 1000
        assert b.nbytes == sum(b._items[k][1] for k in b.keys())  # noqa: SIM118 - a list, not a dict


def test_a_value_larger_than_the_budget_is_returned_not_kept():
    b = _sized(100)
    b.get("small", lambda: 40)
    assert b.get("huge", lambda: 500) == 500
    assert "huge" not in b and "small" in b  # nothing evicted for it
    assert b.stats.too_big == 1


def test_concurrent_gets_of_one_key_compute_once():
    b = Budget(10**9)
    calls = []
    start = threading.Barrier(8)

    def compute():
        calls.append(1)
        time.sleep(0.2)  # long enough for the other threads to arrive meanwhile
        return pd.DataFrame({"x": range(100)})

    results = []

    def worker():
        start.wait()
        results.append(b.get(("scan", "2025"), compute))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert all(r is results[0] for r in results)


def test_different_keys_compute_in_parallel():
    b = Budget(10**9)
    running, peak = [0], [0]
    lock = threading.Lock()

    def compute():
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.1)
        with lock:
            running[0] -= 1
        return 1

    threads = [threading.Thread(target=b.get, args=(k, compute)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak[0] > 1  # one key's work does not hold up another's


def test_a_failed_compute_is_not_kept_and_can_be_retried():
    b = _sized(100)
    with pytest.raises(ZeroDivisionError):
        b.get("k", lambda: 1 // 0)
    assert "k" not in b
    assert b.get("k", lambda: 7) == 7


def test_sizeof_counts_frames_deeply_and_shared_parts_once():
    frame = pd.DataFrame({"s": ["x" * 1000] * 10, "n": np.arange(10.0)})
    deep = int(frame.memory_usage(deep=True, index=True).sum())
    assert sizeof(frame) == deep
    assert sizeof(frame) > 10 * 1000  # the strings are counted, not just pointers
    pair = (frame, frame)
    assert sizeof(pair) < 2 * deep  # the same frame twice is one frame


def test_limit_from_the_setting_and_the_environment():
    assert limit_bytes({}) == 2048 * 1024 * 1024
    assert limit_bytes({"CMDASH_CACHE_MIB": "512"}) == 512 * 1024 * 1024
    with pytest.raises(InputError, match=r"CMDASH_CACHE_MIB|cache_mib"):
        limit_bytes({"CMDASH_CACHE_MIB": "lots"})
    with pytest.raises(InputError):
        limit_bytes({"CMDASH_CACHE_MIB": "1"})  # below the setting's floor


def test_one_budget_per_process_until_a_new_one_is_made() -> None:
    """The app's caches and the prepared layers' tables share one budget; a new one (a
    fresh server, or Streamlit's resources cleared) is what both use from then on."""
    from cmdash.memo.process import new_process_budget, process_budget

    first = process_budget()
    assert process_budget() is first
    first.put("k", 1)
    fresh = new_process_budget()
    assert fresh is not first and process_budget() is fresh and "k" not in fresh
