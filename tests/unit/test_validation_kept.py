"""The validation report kept in the workspace (cmdash.validation.kept): read back equal to
a fresh check, checked again for new data or another day, never trusted when unreadable."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from cmdash.dataset import Dataset
from cmdash.validation import kept
from cmdash.validation.kept import kept_report, report_path
from cmdash.validation.validator import validate
from tests.fixtures import FIXTURE_TODAY, write_tiny_dataset


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CMDASH_WORKSPACE", str(tmp_path / "ws"))
    root = write_tiny_dataset(tmp_path / "tiny")
    # a customer removed: its rows become orphans, a finding with a count and examples
    table = pq.read_table(root / "customers.parquet")
    pq.write_table(table.slice(0, table.num_rows - 1), root / "customers.parquet")
    return root


def _count_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []

    def counted(root, today=None):
        calls.append(1)
        return validate(root, today)

    monkeypatch.setattr(kept, "validate", counted)
    return calls


def test_read_back_equal_and_checked_once(tiny: Path, monkeypatch) -> None:
    calls = _count_checks(monkeypatch)
    fresh = validate(tiny, FIXTURE_TODAY)
    assert any(f.examples and f.count for f in fresh.findings)  # every field carried
    first = kept_report(tiny, today=FIXTURE_TODAY)
    again = kept_report(tiny, today=FIXTURE_TODAY)
    assert first == fresh and again == fresh
    assert len(calls) == 1  # the second came from the workspace
    assert report_path(Dataset.open(tiny), Dataset.open(tiny).version(),
                       FIXTURE_TODAY).is_file()


def test_new_data_or_another_day_is_checked_again(tiny: Path, monkeypatch) -> None:
    calls = _count_checks(monkeypatch)
    kept_report(tiny, today=FIXTURE_TODAY)
    kept_report(tiny, today=date(2025, 7, 2))  # the future-date rule reads the day
    assert len(calls) == 2
    path = tiny / "visits.parquet"
    pq.write_table(pq.read_table(path).slice(1), path)  # new data: another version
    os.utime(path, ns=(1, 2_000_000_000_000_000_000))
    kept_report(tiny, today=FIXTURE_TODAY)
    assert len(calls) == 3


def test_an_unreadable_report_is_checked_again(tiny: Path, monkeypatch) -> None:
    calls = _count_checks(monkeypatch)
    first = kept_report(tiny, today=FIXTURE_TODAY)
    ds = Dataset.open(tiny)
    report_path(ds, ds.version(), FIXTURE_TODAY).write_text("{not json", encoding="utf-8")
    assert kept_report(tiny, today=FIXTURE_TODAY) == first
    assert len(calls) == 2
