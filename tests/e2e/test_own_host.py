"""Every page, in both languages, asks nothing of any host but the app's own: no usage
statistics, fonts, scripts or map tiles fetched from elsewhere (a company's network may
block them, and a viewer's visit is nobody else's business).

The browser's tour of every page (`test_browser.py`) records the requests and checks them
with `foreign`, so the pages are visited once for both checks; here, the checker itself."""

from __future__ import annotations

from urllib.parse import urlparse


def foreign(urls: list[str], own: str) -> list[str]:
    """The URLs that name a host other than `own` (data: and blob: URLs name none)."""
    return [u for u in urls if urlparse(u).scheme not in ("data", "blob", "about")
            and urlparse(u).hostname != own]


def test_the_checker_sees_a_foreign_host() -> None:
    own = "127.0.0.1"
    assert foreign([f"http://{own}:8501/static/x.js", "data:image/png;base64,AA",
                     "blob:http://127.0.0.1:8501/1"], own) == []
    assert foreign(["https://webhooks.fivetran.com/x", f"http://{own}.evil.com/"], own) == [
        "https://webhooks.fivetran.com/x", f"http://{own}.evil.com/"]
