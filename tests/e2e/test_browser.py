"""Start `streamlit run` on a free port and load every page in headless Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(__file__).parent / "screenshots"
CHROMIUM = "/usr/bin/chromium"
LANG_IN_URL = {"zh": "中文", "en": "English"}
# page -> URL path (the default page, the overview, lives at the root)
PAGES = {"overview": "", "managers": "managers", "profile": "profile", "coaching": "coaching",
         "retention": "retention", "whatif": "whatif", "data": "data"}
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(demo_root: Path):
    port = _free_port()
    env = os.environ | {"CMDASH_DATA_ROOTS": str(demo_root.parent)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true",
         f"--server.port={port}", "--server.address=127.0.0.1",
         "--browser.gatherUsageStats=false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail(f"streamlit did not start: {proc.stdout.read().decode()[-2000:]}")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


_BUSY = ("() => !!document.querySelector('[data-testid=\"stStatusWidgetRunningIcon\"],"
         " [data-testid=\"stSkeleton\"], [data-testid=\"stAppSkeleton\"]')"
         " || !document.querySelector('[data-testid=\"stHeading\"]')")


def _settle(page, quiet_ms: int = 1500, timeout_s: float = 120) -> None:
    """Wait until the app has drawn the page and stayed idle for a moment (a deep link
    can run the script twice, with a short idle gap between the runs)."""
    deadline = time.monotonic() + timeout_s
    idle_since = None
    while time.monotonic() < deadline:
        if page.evaluate(_BUSY):
            idle_since = None
        elif idle_since is None:
            idle_since = time.monotonic()
        elif (time.monotonic() - idle_since) * 1000 >= quiet_ms:
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"{page.url} still running after {timeout_s} s")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_renders_without_exception(server: str, browser, lang: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    for name, path in PAGES.items():
        page.goto(f"{server}/{path}?lang={quote(LANG_IN_URL[lang])}")
        _settle(page)
        page.screenshot(path=str(SHOTS / f"{name}-{lang}.png"), full_page=True)
        assert page.get_by_text("Page not found").count() == 0, f"{name}: not routed"
        errors = page.locator('[data-testid="stException"]')
        assert errors.count() == 0, f"{name} ({lang}): {errors.first.inner_text()[:500]}"
        heading = page.locator('[data-testid="stHeading"]').first.inner_text()
        assert heading.strip(), f"{name} ({lang}) has no title"
    page.close()


def _first_metric(page) -> str:
    return page.locator('[data-testid="stMetricValue"]').first.inner_text()


def test_filters_travel_in_the_url(server: str, browser, demo_root: Path) -> None:
    import pyarrow.parquet as pq

    first_region = sorted(set(pq.read_table(demo_root / "managers.parquet")["region"]
                              .to_pylist()))[0]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/?lang=English")
    _settle(page)
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
    _settle(other)
    assert other.locator('[data-testid="stException"]').count() == 0
    assert _first_metric(other) != everyone, "the shared link must open the filtered view"
    other.screenshot(path=str(SHOTS / "shared-filter.png"), full_page=True)


def test_moving_a_what_if_slider_moves_people(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.goto(f"{server}/whatif?lang=English")
    _settle(page)
    assert page.get_by_text("Who moves (0)").count() == 1
    thumb = page.get_by_role("slider", name="Weight · Marketing service")
    thumb.focus()
    for _ in range(15):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('assessment.weight.service')",
                           timeout=30_000)
    _settle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Who moves (0)").count() == 0
    assert page.get_by_text("Who moves (").count() == 1
    page.screenshot(path=str(SHOTS / "whatif-moved.png"), full_page=True)
