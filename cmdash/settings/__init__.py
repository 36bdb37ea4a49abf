"""Every tunable number: declarations (registry), values (store) and TOML files.

The registry gathers declarations from the packages that own them (grades, coaching, stock…),
which import `cmdash.settings.spec` themselves; so the registry and the store load on first
use of their names, never while this package is initialising (no import cycle).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from cmdash.settings.spec import Setting

_LAZY = {"SETTINGS": "cmdash.settings.registry", "SETTINGS_FILE": "cmdash.settings.store",
         "Settings": "cmdash.settings.store", "defaults": "cmdash.settings.store"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["SETTINGS", "SETTINGS_FILE", "Setting", "Settings", "defaults"]
