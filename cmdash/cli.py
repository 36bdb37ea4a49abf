"""`python -m cmdash <command>`: every command exits 0 on success, 1 on bad input, and
prints one paragraph (file, column, rows) instead of a traceback."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from cmdash.commands import COMMANDS
from cmdash.errors import InputError

EXIT_OK, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"cmdash: {message}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m cmdash", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        _memory_settings(args)
        return int(args.run(args) or EXIT_OK)
    except InputError as exc:
        print(f"cmdash: {exc.describe()}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if os.environ.get("CMDASH_DEBUG"):
            raise
        print(
            f"cmdash: internal error ({type(exc).__name__}: {first_paragraph(exc)}). "
            "Set CMDASH_DEBUG=1 to see the traceback.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _memory_settings(args: argparse.Namespace) -> None:
    """The command's `--settings` file sets this process's memory limits (none: the
    defaults, so one process running two commands starts each clean)."""
    from cmdash.memo.process import use_settings

    path = getattr(args, "settings", None)
    if path is None:
        use_settings(None)
        return
    from cmdash.all_settings import Settings

    use_settings(Settings.load(path))


def first_paragraph(exc: BaseException, limit: int = 400) -> str:
    """The error's first line, shortened: a Spark AnalysisException carries its whole query
    plan (kilobytes) after it, which only CMDASH_DEBUG shows."""
    text = str(exc).strip().split("\n", 1)[0]
    return text if len(text) <= limit else text[: limit - 1] + "…"
