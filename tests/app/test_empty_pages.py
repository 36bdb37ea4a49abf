"""The empty-table matrix for the pages: with any required table empty, or the optional
tables missing, every page renders with an answer or a clear message, no exception."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cmdash.i18n import t
from tests.app.opener import PAGES, open_page
from tests.emptied import CASES, emptied

CRASH = re.compile(r"\b[A-Z]\w*(Error|Exception|Warning)\b:|Traceback")


@pytest.fixture(scope="module")
def roots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("emptied-pages")
    return {case: emptied(base, case) for case in CASES}


def _cases():
    for case in CASES:
        for page in PAGES:
            yield pytest.param(case, page, id=f"{case}-{page}")


@pytest.mark.parametrize(("case", "page"), list(_cases()))
def test_page_renders_or_explains(roots, monkeypatch: pytest.MonkeyPatch, case: str,
                                  page: str) -> None:
    monkeypatch.setenv("CMDASH_DATA_ROOTS", str(roots[case].parent))
    # the page's own URL (the overview is a case of its own); no exception on the way
    at = open_page(page, timeout=120, deep_link=True)
    # the page itself drew its title (not a fallback to the default page)
    assert [x.value for x in at.title][:1] == [t(f"nav.{page}", "en")], at.title
    # page.guarded turns an unexpected exception into an error naming its type
    # ("KeyError: 'coverage'"); a clear message about the data names no Python type
    crashes = [str(e.value) for e in at.error if CRASH.search(str(e.value))]
    assert not crashes, crashes
