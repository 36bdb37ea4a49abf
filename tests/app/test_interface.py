"""Interface fixes of issue 19: the profile picker, the drill's URL filter, 中文 pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
LANG_IN_URL = {"zh": "中文", "en": "English"}


@pytest.fixture
def app(demo_root: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CMDASH_DATA_ROOTS", str(demo_root.parent))

    def make(lang: str = "zh", page: str | None = None, **params: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
        at.query_params["lang"] = LANG_IN_URL[lang]
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        assert not at.exception, at.exception
        if page:
            at.switch_page(str(ROOT / "pages" / f"{page}.py")).run()
            assert not at.exception, at.exception
        return at

    return make


def test_profile_picker_keeps_the_first_pick(app) -> None:
    at = app("en", "profile")  # opened from the sidebar: no ?who= in the URL
    box = at.selectbox(key="who")
    first = box.value
    ids = [o.rsplit(" · ", 1)[-1] for o in box.options]  # shown as "name · id"
    assert ids[0] == first and at.query_params["who"] in (first, [first])
    other = ids[1]
    at.selectbox(key="who").set_value(other).run()
    assert not at.exception
    at.run()  # one more rerun, as any later click makes
    assert at.selectbox(key="who").value == other
