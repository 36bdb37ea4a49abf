"""Layers run one way: checked on the source (ast), so a backward import fails here before
it becomes an import cycle or a page that needs Streamlit to compute a number."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: Modules of cmdash that import no other part of it (or only each other): any layer may
#: use them.
LEAVES = frozenset({"cmdash.errors", "cmdash.i18n", "cmdash.labels"})


def imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth (functions included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    return out | {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}


def imported_names(path: Path, module: str) -> set[str]:
    """The names a file imports from `module` (`from module import a, b`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
            and n.module == module for a in n.names}


def package_imports(package: str) -> dict[str, set[str]]:
    """file -> modules it imports, for every file of a package (or a single module)."""
    base = ROOT / Path(*package.split("."))
    files = sorted(base.rglob("*.py")) if base.is_dir() else [base.with_suffix(".py")]
    return {str(f.relative_to(ROOT)): imports(f) for f in files}


def _under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def test_settings_import_nothing_above_them() -> None:
    """The settings mechanism is below every package that declares settings: the registry
    is composed above them (cmdash.all_settings), never inside cmdash.settings."""
    found = package_imports("cmdash.settings")
    assert len(found) >= 3, found  # the scan sees the package
    wrong = {f: sorted(m for m in mods if _under(m, "cmdash") and not _under(
        m, "cmdash.settings") and m not in LEAVES) for f, mods in found.items()}
    assert not any(wrong.values()), wrong


def test_the_leaves_are_leaves() -> None:
    for leaf in LEAVES:
        for f, mods in package_imports(leaf).items():
            assert {m for m in mods if _under(m, "cmdash")} <= LEAVES, (f, mods)


@pytest.mark.parametrize("package", ["cmdash.coaching", "cmdash.retention"])
def test_computation_has_no_wording_or_figures(package: str) -> None:
    """Coaching and retention compute frames with codes; the words (label keys through
    `t`) and the plotly figures are the presentation layer's (cmdash.present,
    cmdash.charts, cmdash.ui). Names declared beside their data (`pick`) may stay."""
    found = package_imports(package)
    assert len(found) >= 5, found
    banned = ("plotly", "streamlit", "cmdash.labels", "cmdash.charts", "cmdash.ui",
              "cmdash.present")
    wrong = {f: sorted(m for m in mods if any(_under(m, b) for b in banned))
             for f, mods in found.items()}
    assert not any(wrong.values()), wrong
    worded = [f for f in found if "t" in imported_names(ROOT / f, "cmdash.i18n")]
    assert not worded, worded


def test_the_scan_sees_a_backward_import(tmp_path: Path) -> None:
    """The checker itself: a file importing plotly inside a function is caught."""
    f = tmp_path / "m.py"
    f.write_text("def f():\n    import plotly.express as px\n    from cmdash.ui import x\n",
                 encoding="utf-8")
    assert imports(f) == {"plotly.express", "cmdash.ui"}
    g = tmp_path / "w.py"
    g.write_text("from cmdash.i18n import pick, t\n", encoding="utf-8")
    assert imported_names(g, "cmdash.i18n") == {"pick", "t"}


@pytest.mark.parametrize("client", ["ws_client", "browser_client", "plan"])
def test_the_load_test_clients_do_not_import_the_runner(client: str) -> None:
    """One way only: the runner (`load`) imports the clients and `plan`; the clients
    import `plan`, never the runner (the circle that was)."""
    imported = imports(ROOT / "cmdash" / "bench" / f"{client}.py")
    assert "cmdash.bench.load" not in imported
    assert not any(m and m.startswith("cmdash.bench.") and m != "cmdash.bench.plan"
                   for m in imported), imported
