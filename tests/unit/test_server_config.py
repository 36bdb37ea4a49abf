"""The shipped server options that many users at once depend on are set, under names this
Streamlit knows (a misspelt option would be ignored silently)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit import config

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"
#: option -> the value many sessions need (docs/performance.md, "Many users")
NEEDED = {
    "server.fileWatcherType": "none",  # no walk of every module after each new session
    "runner.postScriptGC": False,  # no full garbage collection after every page view
}


@pytest.mark.parametrize("option", sorted(NEEDED))
def test_option_is_set_under_a_known_name(option: str) -> None:
    section, name = option.split(".")
    shipped = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert shipped[section][name] == NEEDED[option]
    config.get_option(option)  # raises for a name Streamlit does not have
