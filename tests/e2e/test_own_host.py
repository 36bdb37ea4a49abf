"""Every page, in both languages, asks nothing of any host but the app's own: no usage
statistics, fonts, scripts or map tiles fetched from elsewhere (a company's network may
block them, and a viewer's visit is nobody else's business)."""

from __future__ import annotations

from urllib.parse import quote, urlparse

import pytest

from tests.e2e.browsing import LANG_IN_URL, PAGES, settle

pytestmark = pytest.mark.e2e


def _foreign(urls: list[str], own: str) -> list[str]:
    """The URLs that name a host other than `own` (data: and blob: URLs name none)."""
    return [u for u in urls if urlparse(u).scheme not in ("data", "blob", "about")
            and urlparse(u).hostname != own]


def test_the_checker_sees_a_foreign_host() -> None:
    own = "127.0.0.1"
    assert _foreign([f"http://{own}:8501/static/x.js", "data:image/png;base64,AA",
                     "blob:http://127.0.0.1:8501/1"], own) == []
    assert _foreign(["https://webhooks.fivetran.com/x", f"http://{own}.evil.com/"], own) == [
        "https://webhooks.fivetran.com/x", f"http://{own}.evil.com/"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_requests_only_the_apps_own_host(server: str, browser, lang: str) -> None:
    own = urlparse(server).hostname
    seen: list[str] = []
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.on("request", lambda r: seen.append(r.url))
    page.on("websocket", lambda ws: seen.append(ws.url))
    for name, path in PAGES.items():
        before = len(seen)
        page.goto(f"{server}/{path}?lang={quote(LANG_IN_URL[lang])}")
        settle(page)
        assert len(seen) > before, f"{name}: no request recorded"
        assert page.locator('[data-testid="stException"]').count() == 0, name
    page.close()
    assert any(u.startswith("ws") for u in seen), "the app's websocket was not recorded"
    assert _foreign(seen, own) == [], f"requests to other hosts ({lang})"
