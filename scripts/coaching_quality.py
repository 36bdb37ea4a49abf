"""Score the coaching types against the demo's planted answers.

    .venv/bin/python scripts/coaching_quality.py DATASET [DATASET ...]

Each DATASET is a demo folder (`python -m cmdash demo --out DIR ...`) with `_truth/`.
Prints, per dataset, the confusion matrix (planted × primary type), per-type recall, the
macro average, the share of steady managers given a type and the re-classify time.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cmdash.coaching.classify import classify
from cmdash.coaching.pipeline import run_review
from cmdash.coaching.quality import quality
from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.settings import Settings


def main(roots: list[str]) -> int:
    pd.set_option("display.width", 200)
    for root in roots:
        engine = open_engine(Dataset.open(root))
        started = time.perf_counter()
        r, c = run_review(engine)
        built = time.perf_counter() - started
        settings = Settings().replace(coaching__excellent__praise_per_100=86.0)  # a moved threshold
        wall, cpu = [], []
        for _ in range(7):
            w, p = time.perf_counter(), time.process_time()
            classify(r.features, settings, r.tables)
            wall.append(time.perf_counter() - w)
            cpu.append(time.process_time() - p)
        planted = pd.read_parquet(Path(root) / "_truth" / "managers.parquet").set_index(
            "manager_id")["planted_type"]
        q = quality(c.primary, planted)
        print(f"\n## {root}: {len(r.features)} managers reviewed, as of {r.window.as_of:%Y-%m-%d}")
        print(q.confusion.to_string())
        print("recall:", {k: round(v, 3) for k, v in q.recall.items()})
        print(f"macro primary accuracy {q.macro:.3f}; steady flagged {q.steady_flagged:.3f} "
              f"of {q.steady}")
        print(f"features {built:.1f} s; re-classify median {sorted(wall)[3] * 1000:.0f} ms wall,"
              f" {sorted(cpu)[3] * 1000:.0f} ms CPU")
        engine.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
