"""Progress for long commands, on stderr so stdout stays clean for data."""

from __future__ import annotations

import sys
from collections.abc import Callable


def printer(quiet: bool = False) -> Callable[[float, str], None]:
    last = [-1]

    def report(fraction: float, message: str) -> None:
        pct = int(fraction * 100)
        if quiet or pct == last[0]:
            return
        last[0] = pct
        print(f"[{pct:3d}%] {message}", file=sys.stderr, flush=True)

    return report
