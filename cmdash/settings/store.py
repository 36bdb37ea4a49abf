"""Settings values: defaults overlaid with a TOML file, checked against the declarations.

A `Values` is immutable and hashable, so it keys caches and travels between widgets,
the CLI and the URL without anyone mutating a shared copy. It reads its declarations from
its class's `DECLARED`: `cmdash.all_settings.Settings` binds the composed registry.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import tomli_w

from cmdash.errors import InputError
from cmdash.settings.spec import Setting

SETTINGS_FILE = "cmdash-settings.toml"  # next to a dataset, picked up by the app


@dataclass(frozen=True)
class Values(Mapping[str, Any]):
    items_: tuple[tuple[str, Any], ...] = ()  # only the values that differ from defaults
    DECLARED: ClassVar[Mapping[str, Setting]] = {}  # key -> declaration (a subclass binds)

    def __getitem__(self, key: str) -> Any:
        for k, v in self.items_:
            if k == key:
                return v
        return self.DECLARED[key].default

    def __iter__(self) -> Iterator[str]:
        return iter(self.DECLARED)

    def __len__(self) -> int:
        return len(self.DECLARED)

    def replace(self, **changes: Any) -> Values:
        """A copy with some keys changed; keys use `__` for dots (weight__results)."""
        return self.with_values({k.replace("__", "."): v for k, v in changes.items()})

    def with_values(self, values: Mapping[str, Any], source: str = "settings") -> Values:
        merged = dict(self.items_)
        for key, value in values.items():
            merged[key] = check(self.DECLARED, key, value, source)
        return type(self)(tuple(sorted((k, v) for k, v in merged.items()
                                     if v != self.DECLARED[k].default)))

    def diff(self) -> dict[str, tuple[Any, Any]]:
        """key -> (default, current) for every value changed from its default."""
        return {k: (self.DECLARED[k].default, v) for k, v in self.items_}

    def group(self, prefix: str) -> dict[str, Any]:
        """Values under a dotted prefix, keyed by the rest of the name."""
        head = prefix.rstrip(".") + "."
        return {k[len(head):]: self[k] for k in self.DECLARED if k.startswith(head)}

    def to_toml(self, *, full: bool = True) -> str:
        keys = self.DECLARED if full else dict(self.items_)
        tree: dict[str, Any] = {}
        for key in keys:
            node = tree
            *parents, leaf = key.split(".")
            for p in parents:
                node = node.setdefault(p, {})
            node[leaf] = self[key]
        return tomli_w.dumps(tree)

    @classmethod
    def from_toml(cls, text: str, source: str = "settings") -> Values:
        try:
            tree = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"Not valid TOML: {exc}", file=source) from exc
        return cls().with_values(_flatten(tree), source)

    @classmethod
    def load(cls, path: str | Path | None) -> Values:
        if path is None:
            return cls()
        p = Path(path)
        if not p.is_file():
            raise InputError("Settings file not found", file=str(p))
        return cls.from_toml(p.read_text(encoding="utf-8"), str(p))


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in tree.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping):
            out |= _flatten(v, key + ".")
        else:
            out[key] = v
    return out


MAX_TEXT_CHARS = 200  # a text setting is a short list or a choice


def check(declared: Mapping[str, Setting], key: str, value: Any,
          source: str = "settings") -> Any:
    """The value, converted to the declared type, or an InputError naming file and key."""
    spec: Setting | None = declared.get(key)
    if spec is None:
        close = [k for k in declared if k.rsplit(".", 1)[-1] == key.rsplit(".", 1)[-1]]
        hint = f"; did you mean {close[0]}?" if close else ""
        raise InputError(f"Unknown setting {key}{hint}", file=source, column=key)
    kind = type(spec.default)
    if kind is bool:
        if not isinstance(value, bool):
            raise InputError(f"Setting {key} must be true or false", file=source, column=key)
    elif kind in (int, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InputError(f"Setting {key} must be a number, got {value!r}", file=source,
                             column=key)
        if kind is int and float(value) != int(value):
            raise InputError(f"Setting {key} must be a whole number", file=source, column=key)
        value = kind(value)
        if (spec.low is not None and value < spec.low) or (
                spec.high is not None and value > spec.high):
            raise InputError(f"Setting {key}={value} is outside {spec.low}–{spec.high}",
                             file=source, column=key)
    elif kind is str and (
        not isinstance(value, str) or (spec.choices and value not in spec.choices)
    ):
        raise InputError(f"Setting {key} must be one of {list(spec.choices)}",
                             file=source, column=key)
    elif kind is str and len(value) > MAX_TEXT_CHARS:
        raise InputError(f"Setting {key} is longer than {MAX_TEXT_CHARS} characters",
                         file=source, column=key)
    return value
