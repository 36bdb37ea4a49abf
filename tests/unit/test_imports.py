"""Any module can be imported first: the settings registry gathers declarations from the
packages that own them, which is where import cycles hide (a module that imports the
registry's sources, imported before `cmdash.settings`, used to fail)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: the registry's sources, the registry and store, and what imports them from outside
FIRST = ("cmdash.grades.pay", "cmdash.grades.settings", "cmdash.coaching.params",
         "cmdash.retention.settings", "cmdash.stock.params", "cmdash.assessment.scheme",
         "cmdash.settings.registry", "cmdash.settings.store", "cmdash.whatif.scenario",
         "cmdash.whatif.baseline")


@pytest.mark.parametrize("module", FIRST)
def test_imports_first(module: str) -> None:
    run = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True,
                         text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("client", ["ws_client", "browser_client", "plan"])
def test_the_load_test_clients_do_not_import_the_runner(client: str) -> None:
    """One way only: the runner (`load`) imports the clients and `plan`; the clients
    import `plan`, never the runner (the circle that was)."""
    import ast

    tree = ast.parse((ROOT / "cmdash" / "bench" / f"{client}.py").read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert "cmdash.bench.load" not in imported
    assert not any(m and m.startswith("cmdash.bench.") and m != "cmdash.bench.plan"
                   for m in imported), imported
