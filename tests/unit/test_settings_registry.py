"""The registry is composed on first look-up (importing it reads no ladder file), a key is
declared once, and values check against the registry their class is bound to."""

from __future__ import annotations

import pytest

from cmdash.errors import InputError
from cmdash.settings import Registry, Setting, Values


def test_composed_on_first_look_up_and_once() -> None:
    calls = []

    def compose():
        calls.append(1)
        return (Setting("a.x", 1, "甲", "A", 0, 5, 1),)

    registry = Registry(compose)
    assert calls == []
    assert registry["a.x"].default == 1 and list(registry) == ["a.x"]
    assert calls == [1]


def test_a_key_declared_twice_is_refused() -> None:
    twice = Registry(lambda: (Setting("a.x", 1, "甲", "A"), Setting("a.x", 2, "乙", "B")))
    with pytest.raises(ValueError, match=r"a\.x"):
        len(twice)


class _Small(Values):
    DECLARED = Registry(lambda: (Setting("a.x", 1, "甲", "A", 0, 5, 1),))


def test_values_check_against_their_own_registry() -> None:
    moved = _Small().with_values({"a.x": 3})
    assert type(moved) is _Small and moved["a.x"] == 3 and moved.diff() == {"a.x": (1, 3)}
    with pytest.raises(InputError, match="outside"):
        _Small().with_values({"a.x": 9})
    with pytest.raises(InputError, match="Unknown setting"):
        _Small().with_values({"kpi.log_hours": 6})
