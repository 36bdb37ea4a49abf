"""tests/unit needs no generated dataset: a test that asks for the demo (directly or through
another fixture) fails at once, naming the folder it belongs in (docs/testing.md)."""

from __future__ import annotations

import pytest

#: fixtures that generate or hold the demo dataset (tests/conftest.py)
DATASET_FIXTURES = frozenset({"demo_root"})


@pytest.hookimpl(tryfirst=True)  # before any fixture is set up
def pytest_runtest_setup(item: pytest.Item) -> None:
    used = DATASET_FIXTURES.intersection(getattr(item, "fixturenames", ()))
    if used:
        pytest.fail(f"{item.nodeid} uses {sorted(used)}: a test on the demo dataset belongs "
                    "in tests/sql (tests/unit holds tests without one)", pytrace=False)
