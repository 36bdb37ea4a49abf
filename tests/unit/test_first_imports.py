"""The first sessions of a new server import cmdash from several threads at once: with the
scripts' import lock (`cmdash.ui.imports.serialized`, used by app.py and every page) no
thread gets a half-initialised module. Without it, these imports fail in nearly every run
(`cmdash.kpi`'s package cycle: ImportError or _DeadlockError)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: entry points into cmdash.kpi's cycle from different sides, as concurrent pages reach them
MODULES = ("cmdash.kpi", "cmdash.kpi.rollup", "cmdash.kpi.computations",
           "cmdash.coaching.review", "cmdash.ui.sidebar", "cmdash.ui.overview")

SCRIPT = """
import importlib, sys, threading
from cmdash.ui.imports import serialized
names = sys.argv[1:]
barrier = threading.Barrier(len(names))
errors = []
def first_import(name):
    barrier.wait()
    try:
        with serialized():
            importlib.import_module(name)
    except Exception as exc:
        errors.append(f"{name}: {type(exc).__name__}: {exc}")
threads = [threading.Thread(target=first_import, args=(n,)) for n in names]
for t in threads: t.start()
for t in threads: t.join()
print("\\n".join(errors) or "ok")
"""


def test_threads_importing_at_once_all_get_whole_modules() -> None:
    for _ in range(4):  # a fresh interpreter each time: every import is a first one
        done = subprocess.run([sys.executable, "-c", SCRIPT, *MODULES], cwd=ROOT,
                              capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.strip().splitlines()[-1] == "ok", done.stdout


def test_app_and_every_page_import_cmdash_under_the_lock() -> None:
    """A script whose cmdash imports sit outside `with serialized():` brings the race back."""
    import ast

    for script in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]:
        for node in ast.parse(script.read_text(encoding="utf-8")).body:
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            outside = [n for n in names if n.startswith("cmdash") and n != "cmdash.ui.imports"]
            assert not outside, f"{script.name}: import {outside} outside `with serialized()`"
