"""Opening a page the way a visitor does: the app with URL parameters, then its page."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def open_page(page: str = "overview", lang: str = "English", timeout: float = 300,
              **params: str) -> AppTest:
    """The app run with `params` in the URL, then switched to `page`; no exception on the
    way (the overview is the app's default page)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    if page != "overview":
        at.switch_page(str(ROOT / "pages" / f"{page}.py")).run()
        assert not at.exception, at.exception
    return at
