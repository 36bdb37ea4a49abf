"""The empty-table matrix for the CLI: with any required table empty, or the optional tables
missing, every data command ends with an answer or a clear message (exit 0 or 1), never an
internal error."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from cmdash.cli import main
from tests.emptied import CASES, emptied

# the tiny fixture's dates (Jan–Jun 2025), so no command falls back to today's date
COMMANDS = {
    "kpis": ["kpis", "--from", "2025-01-01", "--to", "2025-06-30"],
    "score": ["score", "--from", "2025-01-01", "--to", "2025-06-30"],
    "segments": ["segments", "--as-of", "2025-06-30"],
    "risk": ["risk", "--as-of", "2025-06-24"],
    "risk_managers": ["risk", "--managers", "--as-of", "2025-06-24"],
    "backtest": ["backtest", "--as-of", "2025-06-05", "--horizon-days", "19"],
    "stock": ["stock"],
    "grades": ["grades", "--ladder", "tobacco_demo"],
}


@pytest.fixture(scope="module")
def roots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("emptied")
    return {case: emptied(base, case) for case in CASES}


def _cases():
    for case in CASES:
        for name in COMMANDS:
            yield pytest.param(case, name, id=f"{case}-{name}")


@pytest.mark.parametrize(("case", "name"), list(_cases()))
def test_command_answers_or_explains(roots, tmp_path: Path, case: str, name: str) -> None:
    args = COMMANDS[name]
    out = tmp_path / "out"
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main([args[0], str(roots[case]), *args[1:], "--out", str(out)])
    message = err.getvalue()
    assert code in (0, 1), message
    assert "internal error" not in message and "Traceback" not in message, message
    if code == 1:
        assert message.startswith("cmdash: ") and len(message) > 20, message
    else:
        answered = out.is_file() and len(out.read_text(encoding="utf-8").splitlines()) > 1
        assert answered or "note:" in message, f"exit 0 without rows or a note: {message}"


def test_matrix_can_fail(roots, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The matrix sees a crash: an error inside a command is an exit 2 it would reject."""
    from cmdash.commands import stock

    def boom(args):
        raise KeyError("coverage")

    monkeypatch.setattr(stock, "run", boom)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["stock", str(roots["visits"]), "--out", str(tmp_path / "o")])
    assert code == 2 and "internal error" in err.getvalue()
