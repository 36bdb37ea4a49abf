"""What the browser tests share: one headless Chromium (Debian's) and one app server on the
demo per module (tests/e2e/browsing.py has the helpers). Not per session: sync Playwright
keeps an event loop running, and the load test's asyncio.run() needs none."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.browsing import CHROMIUM, CHROMIUM_ARGS, served


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/test.sh installs the chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS))
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(demo_root: Path, tmp_path_factory: pytest.TempPathFactory):
    """The app on a free port over the session's demo, its own workspace."""
    with served(demo_root.parent, tmp_path_factory.mktemp("server")) as url:
        yield url
