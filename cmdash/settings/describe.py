"""The default settings as TOML with a comment per setting: label, range, unit, source."""

from __future__ import annotations

import tomli_w

from cmdash.settings.registry import SETTINGS


def described_toml() -> str:
    lines: list[str] = []
    section = None
    for key, spec in SETTINGS.items():
        head, leaf = key.rsplit(".", 1)
        if head != section:
            lines.append(f"\n[{head}]")
            section = head
        rng = f" [{spec.low:g}–{spec.high:g}]" if spec.low is not None else ""
        lines.append(f"# {spec.label_zh} / {spec.label_en}{rng} — {spec.source}".rstrip(" —"))
        lines.append(tomli_w.dumps({leaf: spec.default}).strip())
    return "\n".join(lines).lstrip() + "\n"
