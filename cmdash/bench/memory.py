"""Peak RSS of each case, in a fresh child process.

`parent → launcher → worker`: the worker opens the dataset and runs the case twice (its
first, untimed run and one repeat, as in the timing); the launcher is a few lines of plain
Python that waits for it and reads `resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`. The
launcher is there because Linux carries the *forking* process's peak RSS over into the
child's `ru_maxrss` across exec: measured straight from the benchmark process (hundreds of
MB after the naive baseline), every case would report at least that.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

LAUNCHER = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE)
print(json.dumps({"returncode": done.returncode, "worker": done.stdout.decode(),
                  "maxrss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def peak_rss(root: Path, case: str, timeout: float = 3600) -> dict:
    """{"peak_rss_mib", "ready_rss_mib"} (ready: after imports and opening the dataset)."""
    worker = [sys.executable, "-m", "cmdash.bench.memory", str(root), case]
    done = subprocess.run([sys.executable, "-c", LAUNCHER, *worker], capture_output=True,
                          text=True, timeout=timeout, check=True)
    out = json.loads(done.stdout)
    if out["returncode"] != 0:
        raise RuntimeError(f"memory worker for {case!r} failed: {done.stderr[-2000:]}")
    worker_out = json.loads(out["worker"])
    return {"peak_rss_mib": out["maxrss_kib"] / 1024,
            "ready_rss_mib": worker_out["ready_kib"] / 1024}


def _self_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def _worker(root: str, name: str) -> None:
    from cmdash.bench.cases import BY_NAME
    from cmdash.bench.workload import Workload

    w = Workload(Path(root))
    ready = _self_kib()
    for turn in (0, 1):
        w.turn = turn
        BY_NAME[name].run(w)
    print(json.dumps({"ready_kib": ready, "peak_kib": _self_kib()}))


if __name__ == "__main__":
    _worker(sys.argv[1], sys.argv[2])
