"""Headless-browser sessions: one Chromium, one browser context per session.

Each context is its own Streamlit session (own websocket, own session state), driven with
Playwright's asyncio API. A visit navigates to the page's URL with the session's role and
filters in the query string, so every visit is a fresh page load; its render time is from
navigation until the page went idle (nothing running, no skeleton, a title drawn),
confirmed by a quiet spell that is not counted. Any `stException` on the page is an error;
the manager ids are read from the page's visible text. Chromium draws every chart and grid
in software, on the same cores as the server: on a small machine the browsers, not the
server, set the pace (see the README's load-test section).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlencode

from cmdash.bench.plan import PAGE_PATHS, Plan, Seen, manager_ids

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)
_BUSY = ("() => !!document.querySelector('[data-testid=\"stStatusWidgetRunningIcon\"],"
         " [data-testid=\"stSkeleton\"], [data-testid=\"stAppSkeleton\"]')"
         " || !document.querySelector('[data-testid=\"stHeading\"]')")


async def _settle(page, quiet_ms: int, timeout_s: float) -> float:
    """Wait until the page is idle and stays so for `quiet_ms`; returns when idling began."""
    deadline = time.monotonic() + timeout_s
    idle_since = None
    while time.monotonic() < deadline:
        busy = await page.evaluate(_BUSY)
        now = time.monotonic()
        if busy:
            idle_since = None
        elif idle_since is None:
            idle_since = now
        elif (now - idle_since) * 1000 >= quiet_ms:
            return idle_since
        await asyncio.sleep(0.2)
    raise TimeoutError(f"still running after {timeout_s:.0f} s")


class BrowserTab:
    """One browser context and its page."""

    def __init__(self, context, page, url: str, plan: Plan, quiet_ms: int,
                 timeout_s: float) -> None:
        self._context, self._page = context, page
        self._url, self._query = url, urlencode(plan.params)
        self._quiet_ms, self._timeout_s = quiet_ms, timeout_s

    async def visit(self, name: str) -> Seen:
        page = self._page
        start = time.monotonic()
        try:
            await page.goto(f"{self._url}/{PAGE_PATHS[name]}?{self._query}",
                            wait_until="commit", timeout=self._timeout_s * 1000)
            idle = await _settle(page, self._quiet_ms, self._timeout_s)
        except Exception as exc:  # a timeout is a failed visit, not a crash of the run
            return Seen(time.monotonic() - start, error=f"{type(exc).__name__}: {exc}"[:300])
        errors = page.locator('[data-testid="stException"]')
        error = (await errors.first.inner_text())[:300] if await errors.count() else ""
        text = await page.locator("body").inner_text()
        metric = page.locator('[data-testid="stMetricValue"]')
        first = (await metric.first.inner_text()) if await metric.count() else ""
        return Seen(round(idle - start, 3), error, manager_ids(text), first)

    async def close(self) -> None:
        await self._context.close()


class BrowserClient:
    def __init__(self, browser, url: str, quiet_ms: int, timeout_s: float) -> None:
        self._browser, self._url = browser, url
        self._quiet_ms, self._timeout_s = quiet_ms, timeout_s

    async def open(self, plan: Plan) -> BrowserTab:
        context = await self._browser.new_context(viewport={"width": 1400, "height": 1000})
        page = await context.new_page()
        return BrowserTab(context, page, self._url, plan, self._quiet_ms, self._timeout_s)


@asynccontextmanager
async def launch(url: str, quiet_ms: int, timeout_s: float) -> AsyncIterator[BrowserClient]:
    """One headless Chromium for every session of the run (background networking off)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                          args=list(CHROMIUM_ARGS))
        try:
            yield BrowserClient(browser, url, quiet_ms, timeout_s)
        finally:
            await browser.close()
