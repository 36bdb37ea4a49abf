from pathlib import Path

import pytest

from tests.demo_data import make_demo


@pytest.fixture(scope="session")
def demo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_demo(tmp_path_factory.mktemp("e2e-data"))
