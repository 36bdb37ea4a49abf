"""Shared fixtures: the small demo once per session, and clean Streamlit caches per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.demo_data import make_demo


@pytest.fixture(scope="session")
def demo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_demo(tmp_path_factory.mktemp("demo-data"))


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches():
    """Cached values leak between AppTests in one process (Streamlit 1.67)."""
    yield
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
