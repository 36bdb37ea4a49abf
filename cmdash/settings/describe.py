"""The default settings as TOML with a comment per setting: label, range, unit, source."""

from __future__ import annotations

from collections.abc import Mapping

import tomli_w

from cmdash.settings.spec import Setting


def described_toml(declared: Mapping[str, Setting]) -> str:
    lines: list[str] = []
    section = None
    for key, spec in declared.items():
        head, leaf = key.rsplit(".", 1)
        if head != section:
            lines.append(f"\n[{head}]")
            section = head
        rng = f" [{spec.low:g}–{spec.high:g}]" if spec.low is not None else ""
        lines.append(f"# {spec.label_zh} / {spec.label_en}{rng} — {spec.source}".rstrip(" —"))
        lines.append(tomli_w.dumps({leaf: spec.default}).strip())
    return "\n".join(lines).lstrip() + "\n"
