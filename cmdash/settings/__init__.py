"""Every tunable number: declarations (registry), values (store) and TOML files."""

from cmdash.settings.registry import SETTINGS
from cmdash.settings.spec import Setting
from cmdash.settings.store import SETTINGS_FILE, Settings, defaults

__all__ = ["SETTINGS", "SETTINGS_FILE", "Setting", "Settings", "defaults"]
