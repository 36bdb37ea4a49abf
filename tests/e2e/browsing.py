"""What the browser tests (and scripts/screenshots.py) share: the app served on a port until
its health check answers, the page URLs (PAGES: page -> URL path, the overview at the root),
and waiting until a page has settled. Chromium, its flags and the page-busy test are the
load test's (cmdash/bench)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from cmdash.bench.browser_client import _BUSY, CHROMIUM, CHROMIUM_ARGS
from cmdash.bench.load import free_port, serve
from cmdash.bench.plan import PAGE_PATHS as PAGES

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "LANG_IN_URL", "PAGES", "ROOT", "free_port",
           "served", "settle"]

ROOT = Path(__file__).resolve().parents[2]
LANG_IN_URL = {"zh": "中文", "en": "English"}


@contextlib.contextmanager
def served(data_root: Path, base: Path, options: Sequence[str] = (),
           port: int | None = None) -> Iterator[str]:
    """`streamlit run app.py` over the datasets in `data_root`, its workspace and
    server.log in `base`; yields the URL once the server answers, and fails the test with
    the log's tail if it does not within a minute."""
    log = base / "server.log"
    with contextlib.ExitStack() as stack:
        try:
            server = stack.enter_context(serve(data_root, base / "workspace", ROOT, log=log,
                                               timeout_s=60, options=options, port=port))
        except RuntimeError:
            pytest.fail(f"streamlit did not start: {log.read_text(errors='replace')[-2000:]}")
        yield server.url


def settle(page, quiet_ms: int = 1500, timeout_s: float = 120) -> None:
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
