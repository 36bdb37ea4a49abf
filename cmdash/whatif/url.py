"""A scenario in the URL: the settings that differ from the baseline, as `key=value` items
(readable, and checked like a settings file when read back)."""

from __future__ import annotations

import json

from cmdash.errors import InputError
from cmdash.settings import Settings


def encode(settings: Settings, baseline: Settings) -> list[str]:
    base = dict(baseline.items())
    return [f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in settings.items()
            if v != base[k]]


def decode(items: list[str], baseline: Settings) -> tuple[Settings, list[str]]:
    """The scenario, and the items that were refused (unknown, wrong type, out of range)."""
    values, refused = {}, []
    for item in items:
        key, _, text = item.partition("=")
        try:
            values[key] = json.loads(text)
            baseline.with_values({key: values[key]}, "url")
        except (json.JSONDecodeError, InputError):
            values.pop(key, None)
            refused.append(item)
    return baseline.with_values(values, "url"), refused
