"""Scale run: `cmdash prepare` on big demos, on DuckDB and on Spark local.

    .venv/bin/python scripts/scale_run.py                      # large and xlarge, both engines
    .venv/bin/python scripts/scale_run.py --size large --engine duckdb --out /tmp/scale.json

Generates each demo size once into `--root` (in monthly blocks, so the generator's memory
stays flat; reused on later runs), then runs `python -m cmdash prepare DIR --engine E
--force --quiet` in a fresh process per size and engine, with its own workspace, and
measures: the wall time of the whole command (the dataset's validation included), the
build's own time (from the layer's manifest), the peak resident memory of the command's
process tree (sampled every 0.5 s from /proc, and the kernel's peak of the Python process:
with Spark the JVM is a child process and counts in the tree), and the files written.
Prints a table and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cmdash.bench.machine import machine  # noqa: E402
from cmdash.bench.rss import Sampler, peak_mib  # noqa: E402

END = "2026-10-31"


def ensure_demo(folder: Path, size: str) -> tuple[Path, float | None]:
    """The demo of that size (generated now if absent) and the seconds generating took."""
    if (folder / "managers.parquet").is_file():
        return folder, None
    began = time.monotonic()
    subprocess.run([sys.executable, "-m", "cmdash", "demo", "--out", str(folder), "--size",
                    size, "--end", END, "--quiet"], cwd=ROOT, check=True)
    return folder, round(time.monotonic() - began, 1)


def order_lines(folder: Path) -> int:
    import pyarrow.dataset as pads

    return pads.dataset(folder / "sales", format="parquet").count_rows() \
        if (folder / "sales").is_dir() else pads.dataset(
            folder / "sales.parquet", format="parquet").count_rows()


def prepare(folder: Path, engine: str, workspace: Path) -> dict:
    env = os.environ | {"CMDASH_WORKSPACE": str(workspace)}
    began = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "cmdash", "prepare", str(folder),
                             "--engine", engine, "--force", "--quiet"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    with Sampler(proc.pid) as sampler:
        while proc.poll() is None:
            python_peak = peak_mib(proc.pid) or 0.0
            time.sleep(0.5)
        out = proc.stdout.read() if proc.stdout else ""
    wall = round(time.monotonic() - began, 1)
    result = {"engine": engine, "rc": proc.returncode, "wall_s": wall,
              "peak_tree_mib": round(sampler.max_tree_mib, 1),
              "peak_python_mib": round(python_peak, 1), "output": out[-2000:]}
    layers = sorted((workspace).glob("*/prepared/*/manifest.json"))
    if proc.returncode == 0 and layers:
        manifest = json.loads(layers[-1].read_text(encoding="utf-8"))
        files = [p for p in layers[-1].parent.iterdir() if p.name != "manifest.json"]
        result |= {"build_s": manifest["seconds"], "files": len(files),
                   "mib": round(sum(p.stat().st_size for p in files) / 2**20, 1),
                   "rows": {f: held["rows"] for f, held in manifest["facts"].items()}}
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--root", type=Path, default=ROOT / "data" / "_bench",
                   help="where the demos and the workspaces go")
    p.add_argument("--size", nargs="+", default=["large", "xlarge"])
    p.add_argument("--engine", nargs="+", default=["duckdb", "spark"])
    p.add_argument("--out", type=Path, default=ROOT / "bench-results" / "scale.json")
    args = p.parse_args(argv)
    runs = []
    for size in args.size:
        folder, generated = ensure_demo(args.root / size, size)
        lines = order_lines(folder)
        for engine in args.engine:
            run = prepare(folder, engine, args.root / f"scale-ws-{size}-{engine}")
            runs.append({"size": size, "order_lines": lines, "generate_s": generated} | run)
            print(f"{size:7s} {lines:>12,} lines  {engine:6s} rc={run['rc']} "
                  f"wall {run['wall_s']} s, build {run.get('build_s')} s, "
                  f"peak {run['peak_tree_mib']} MiB (python {run['peak_python_mib']}), "
                  f"{run.get('files')} files, {run.get('mib')} MiB", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"machine": machine(), "runs": runs}, indent=1,
                                   ensure_ascii=False), encoding="utf-8")
    return 0 if all(r["rc"] == 0 for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
