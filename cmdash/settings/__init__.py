"""How tunable numbers work: a declaration (`Setting`), a registry of declarations and the
values a user sets over it (`Values`), read from and written to TOML.

This package is mechanism only and imports no other part of cmdash above `errors`/`i18n`:
each package declares its own settings with `Setting`, and `cmdash.all_settings` (above
them all) composes the registry and the `Settings` bound to it.
"""

from __future__ import annotations

from cmdash.settings.spec import Registry, Setting
from cmdash.settings.store import SETTINGS_FILE, Values

__all__ = ["SETTINGS_FILE", "Registry", "Setting", "Values"]
