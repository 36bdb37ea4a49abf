"""A dataset ending on the 1st of a month (issue 16): the Overview shows that month to date,
like for like."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.app.opener import open_page


@pytest.fixture(scope="module")
def partial_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from cmdash.demo import generate

    base = tmp_path_factory.mktemp("mtd")
    generate(base / "demo", size="small", seed=7, end=dt.date(2026, 12, 1))
    return base


def test_overview_labels_the_month_to_date(partial_root: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMDASH_DATA_ROOTS", str(partial_root))
    at = open_page("overview")
    captions = " ".join(c.value for c in at.caption)
    assert "2026-12 month to date (days 1–1" in captions
    metrics = at.metric
    assert metrics and all("same days last year" in (m.proto.delta_description or "")
                           or "no figure" in (m.proto.delta_description or "")
                           for m in metrics)
    assert any("same days last year" in (m.proto.delta_description or "") for m in metrics)
