"""Results kept in the prepared layer (cmdash.prepared.kept): computed once, read back by
the next process, recomputed when the question, the code or the day changes, and never in
the way when the disk is not writable."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd
import pytest

from cmdash.prepared import kept as kept_mod
from cmdash.prepared.kept import kept, result_path


class Counter:
    def __init__(self, value) -> None:
        self.value, self.calls = value, 0

    def __call__(self):
        self.calls += 1
        return self.value


@pytest.fixture
def layer(tmp_path: Path) -> Path:
    path = tmp_path / "layer"
    path.mkdir()
    return path


def test_computed_once_then_read_back(layer: Path) -> None:
    frame = pd.DataFrame({"manager": ["M1", "M2"], "sales_cases": [1.5, 2.0]})
    compute = Counter(frame)
    first = kept(layer, ("kpis", "month"), compute)
    again = kept(layer, ("kpis", "month"), compute)
    assert compute.calls == 1
    pd.testing.assert_frame_equal(again, frame)
    assert first is frame and again is not frame  # the second came from the file


def test_another_question_is_computed(layer: Path) -> None:
    compute = Counter(1)
    kept(layer, ("kpis", "month"), compute)
    kept(layer, ("kpis", "week"), compute)
    assert compute.calls == 2


def test_the_day_and_the_code_are_in_the_key(layer: Path, monkeypatch) -> None:
    today = result_path(layer, ("x",), dt.date(2026, 12, 2))
    assert today != result_path(layer, ("x",), dt.date(2026, 12, 3))
    monkeypatch.setattr(kept_mod, "code_digest", lambda: "another release")
    assert today != result_path(layer, ("x",), dt.date(2026, 12, 2))


def test_without_a_layer_nothing_is_kept(tmp_path: Path) -> None:
    compute = Counter(1)
    assert kept(None, ("x",), compute) == kept(None, ("x",), compute) == 1
    assert compute.calls == 2 and not any(tmp_path.iterdir())


def test_a_torn_file_is_computed_again_and_rewritten(layer: Path) -> None:
    path = result_path(layer, ("x",))
    path.parent.mkdir()
    path.write_bytes(b"\x80\x05 not a whole pickle")
    compute = Counter({"a": 1})
    assert kept(layer, ("x",), compute) == {"a": 1} and compute.calls == 1
    assert kept(layer, ("x",), compute) == {"a": 1} and compute.calls == 1


def test_a_failed_write_still_answers(layer: Path) -> None:
    """The folder's place is taken by a file: nothing can be written, the value returns."""
    (layer / kept_mod.FOLDER).write_text("in the way")
    compute = Counter(7)
    assert kept(layer, ("x",), compute) == kept(layer, ("x",), compute) == 7
    assert compute.calls == 2


def test_the_least_recently_used_go_past_the_limit(layer: Path, monkeypatch) -> None:
    blob = b"x" * 1000
    for i in range(5):
        kept(layer, (i,), lambda: blob)
        path = result_path(layer, (i,))
        os.utime(path, (1000 + i, 1000 + i))  # written in this order
    kept(layer, (0,), lambda: blob)  # read: now the most recent
    kept_mod._evict(layer / kept_mod.FOLDER, limit=3 * 1100)
    left = {i for i in range(5) if result_path(layer, (i,)).exists()}
    assert left == {0, 3, 4}
