"""The bulletin's HTML opens in headless Chromium with no request beyond the file itself:
charts are inline SVG, styles inline, no script, font or image fetched."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmdash.all_settings import Settings
from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.report.bulletin import build
from cmdash.report.html import MAX_BARS, render
from tests.demo_data import DEMO_END

pytestmark = pytest.mark.e2e


def test_the_bulletin_opens_offline_with_its_charts(browser, demo_root: Path,
                                                    tmp_path: Path) -> None:
    ds = Dataset.open(demo_root)
    bulletin = build(ds, open_engine(ds), f"{DEMO_END:%Y-%m}", Settings())
    path = tmp_path / "bulletin.html"
    path.write_text(render(bulletin), encoding="utf-8")
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    assert requests == [path.as_uri()], requests
    assert page.locator("h1").inner_text() == bulletin.title()
    assert page.locator("section").count() == len(bulletin.sections)
    assert page.locator("section#ranking svg rect").count() == min(
        len(bulletin.section("ranking").values), MAX_BARS)
    box = page.locator("section#ranking svg").bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100
    page.close()
