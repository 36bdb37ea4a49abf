"""The Overview page offers the month's bulletin: the latest month first, every format."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmdash.report.formats import FORMATS
from tests.app.opener import open_page
from tests.demo_data import DEMO_END


@pytest.fixture(autouse=True)
def _demo(demo_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMDASH_DATA_ROOTS", str(demo_root.parent))


def test_overview_offers_the_bulletin() -> None:
    at = open_page("overview", "English")
    month = at.selectbox(key="bulletin_month")
    assert month.value == f"{DEMO_END:%Y-%m}"
    assert month.options[-1] < month.options[0]
    assert at.selectbox(key="bulletin_format").options == list(FORMATS)
    buttons = [b for b in at.get("download_button") if b.proto.id.endswith("bulletin_download")]
    assert len(buttons) == 1 and buttons[0].proto.label == "Download this month's bulletin"
