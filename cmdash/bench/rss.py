"""The server's memory while a load test runs: resident set of its process tree (Linux).

Read from /proc without psutil: VmRSS of the process and its descendants, sampled in a
background thread, and the kernel's own peak (VmHWM) per process. The peak reported is the
larger of the highest sampled tree total and the server's own VmHWM, so a spike between
two samples of the main process is not missed.
"""

from __future__ import annotations

import threading
from pathlib import Path

KIB = 1024


def _status_kib(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def descendants(pid: int) -> list[int]:
    """The process's children, their children, … (from /proc/<pid>/task/*/children)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                kids = [int(k) for k in task.read_text().split()]
            except (OSError, ValueError):
                continue
            out += kids
            todo += kids
    return out


def tree_rss_mib(pid: int) -> float:
    """Resident memory of the process and its descendants now, MiB."""
    return sum(_status_kib(p, "VmRSS") for p in [pid, *descendants(pid)]) / KIB


def peak_mib(pid: int) -> float:
    """The kernel's peak resident memory of the process itself (VmHWM), MiB."""
    return _status_kib(pid, "VmHWM") / KIB


class Sampler:
    """Samples a process tree's RSS every `every_s` seconds until stopped."""

    def __init__(self, pid: int, every_s: float = 0.5) -> None:
        self.pid = pid
        self.every_s = every_s
        self.max_tree_mib = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.max_tree_mib = max(self.max_tree_mib, tree_rss_mib(self.pid))
            self._stop.wait(self.every_s)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def peak(self) -> float:
        """The highest resident memory seen so far, MiB (rounded)."""
        return round(max(self.max_tree_mib, tree_rss_mib(self.pid), peak_mib(self.pid)), 1)
