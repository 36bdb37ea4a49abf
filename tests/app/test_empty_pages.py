"""The empty-table matrix for the pages: with any required table empty, or the optional
tables missing, every page renders with an answer or a clear message, no exception."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.opener import open_page
from tests.emptied import CASES, emptied

PAGES = ("overview", "managers", "profile", "coaching", "retention", "whatif", "data")


@pytest.fixture(scope="module")
def roots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("emptied-pages")
    return {case: emptied(base, case) for case in CASES}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("case", CASES)
def test_page_renders_or_explains(roots, monkeypatch: pytest.MonkeyPatch, case: str,
                                  page: str) -> None:
    monkeypatch.setenv("CMDASH_DATA_ROOTS", str(roots[case].parent))
    at = open_page(page, timeout=120)  # asserts no exception element on the way
    assert at.title, "the page drew its title"
    shown = " ".join(str(e.value) for e in (*at.error, *at.warning, *at.info))
    assert "internal error" not in shown.lower() and "Traceback" not in shown, shown
