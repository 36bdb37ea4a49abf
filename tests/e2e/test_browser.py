"""The app served on a free port (tests/e2e/conftest.py), every page in headless Chromium."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

from tests.e2e.browsing import LANG_IN_URL, PAGES, settle
from tests.e2e.test_own_host import foreign

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).parent / "screenshots"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_renders_without_exception(server: str, browser, lang: str) -> None:
    """…and asks nothing of any host but the app's own (`test_own_host.py`)."""
    SHOTS.mkdir(exist_ok=True)
    seen: list[str] = []
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.on("request", lambda r: seen.append(r.url))
    page.on("websocket", lambda ws: seen.append(ws.url))
    for name, path in PAGES.items():
        before = len(seen)
        page.goto(f"{server}/{path}?lang={quote(LANG_IN_URL[lang])}")
        settle(page)
        assert len(seen) > before, f"{name}: no request recorded"
        page.screenshot(path=str(SHOTS / f"{name}-{lang}.png"), full_page=True)
        assert page.get_by_text("Page not found").count() == 0, f"{name}: not routed"
        errors = page.locator('[data-testid="stException"]')
        assert errors.count() == 0, f"{name} ({lang}): {errors.first.inner_text()[:500]}"
        heading = page.locator('[data-testid="stHeading"]').first.inner_text()
        assert heading.strip(), f"{name} ({lang}) has no title"
    page.close()
    assert any(u.startswith("ws") for u in seen), "the app's websocket was not recorded"
    assert foreign(seen, urlparse(server).hostname) == [], f"requests to other hosts ({lang})"


def _first_metric(page) -> str:
    return page.locator('[data-testid="stMetricValue"]').first.inner_text()


def test_filters_travel_in_the_url(server: str, browser, demo_root: Path) -> None:
    import pyarrow.parquet as pq

    first_region = sorted(set(pq.read_table(demo_root / "managers.parquet")["region"]
                              .to_pylist()))[0]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/?lang=English")
    settle(page)
    everyone = _first_metric(page)
    region = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    region.click()
    page.get_by_role("option", name=first_region, exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_function("() => location.search.includes('region=')", timeout=20_000)
    shared = page.url
    other = browser.new_page(viewport={"width": 1400, "height": 1000})
    other.goto(shared)
    other.wait_for_selector('[data-testid="stSidebar"] [data-tag]', timeout=60_000)
    settle(other)
    assert other.locator('[data-testid="stException"]').count() == 0
    assert _first_metric(other) != everyone, "the shared link must open the filtered view"
    other.screenshot(path=str(SHOTS / "shared-filter.png"), full_page=True)


def test_moving_a_what_if_slider_moves_people(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.goto(f"{server}/whatif?lang=English")
    settle(page)
    assert page.get_by_text("Who moves (0)").count() == 1
    thumb = page.get_by_role("slider", name="Weight · Marketing service")
    thumb.focus()
    for _ in range(15):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('assessment.weight.service')",
                           timeout=30_000)
    settle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Who moves (0)").count() == 0
    assert page.get_by_text("Who moves (").count() == 1
    page.screenshot(path=str(SHOTS / "whatif-moved.png"), full_page=True)
