"""Shared fixtures: the small demo once per session (per worker under xdist), and clean
Streamlit caches per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.demo_data import make_demo


@pytest.fixture(scope="session")
def demo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_demo(tmp_path_factory.mktemp("demo-data"))


@pytest.fixture(scope="module")
def module_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One workspace for a module's tests, as one server has: the trained retention model,
    the kept validation and the pages' kept tables are shared by every viewer, so a shared
    result that leaked across scopes would show too (the model trains once, not per test)."""
    return tmp_path_factory.mktemp("workspace")


@pytest.fixture(autouse=True)
def _workspace_outside_the_repo(monkeypatch: pytest.MonkeyPatch,
                                tmp_path_factory: pytest.TempPathFactory) -> None:
    """Saved models, verdicts and audit logs go to the session's temporary folder (a test
    that needs its own workspace sets CMDASH_WORKSPACE itself)."""
    monkeypatch.setenv("CMDASH_WORKSPACE", str(tmp_path_factory.getbasetemp() / "workspace"))
    # pages scan the fact files unless a test asks for the prepared layer on first open
    # (tests/app/test_prepared_open.py; the layer's own tests are in tests/sql)
    monkeypatch.setenv("CMDASH_PREPARE_ON_OPEN", "0")


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches():
    """Cached values leak between AppTests in one process (Streamlit 1.67)."""
    yield
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(autouse=True)
def _navigation_like_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """AppTest re-detects the legacy `pages/` folder on every run, and then runs a page
    without app.py. The server detects it once and st.navigation switches it off for
    good; make AppTest behave the same (cmdash.ui.page handles the server's first run)."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import app_test

    class _Pages(PagesManager):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            PagesManager.uses_pages_directory = False

    monkeypatch.setattr(app_test, "PagesManager", _Pages)
