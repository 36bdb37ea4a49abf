"""Score the coaching types against the demo's planted answers.

    .venv/bin/python scripts/coaching_quality.py DATASET [DATASET ...]

Each DATASET is a demo folder (`python -m cmdash demo --out DIR --size medium --seed N`)
with `_truth/`. Prints, per dataset and pooled over all of them, the confusion matrix
(planted × primary type), the per-type table (planted, found, recall), the macro recall,
the share of steady managers given a type, and the re-classify time. The default thresholds
were chosen on seeds 1–3; report on seeds 4–8 (docs/coaching.md).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cmdash.all_settings import Settings
from cmdash.coaching.classify import classify
from cmdash.coaching.pipeline import run_review
from cmdash.coaching.quality import Quality, quality
from cmdash.dataset import Dataset
from cmdash.engine import open_engine

TARGETS = {"macro": 0.85, "steady": 0.10, "each": 0.70}  # docs/coaching.md: medium, seeds 4–8


def _print(title: str, q: Quality) -> None:
    print(f"\n## {title}")
    print(q.confusion.to_string())
    table = pd.DataFrame({"planted": q.confusion.sum(axis=1).reindex(q.recall.index),
                          "found": [int(q.confusion.loc[t, t]) for t in q.recall.index],
                          "recall": q.recall.round(3)})
    print(table.to_string())
    ok = (q.macro >= TARGETS["macro"] and q.steady_flagged <= TARGETS["steady"]
          and bool((q.recall >= TARGETS["each"]).all()))
    print(f"macro recall {q.macro:.3f}; steady given a type {q.steady_flagged:.3f} of "
          f"{q.steady}; lowest type {q.recall.min():.3f}; targets "
          f"{'met' if ok else 'NOT met'}")


def main(roots: list[str]) -> int:
    pd.set_option("display.width", 200)
    primaries, truths = [], []
    for root in roots:
        engine = open_engine(Dataset.open(root))
        started = time.perf_counter()
        r, c = run_review(engine, Settings())
        built = time.perf_counter() - started
        settings = Settings().replace(coaching__excellent__praise_per_100=86.0)  # moved
        wall = []
        for _ in range(7):
            w = time.perf_counter()
            classify(r.features, settings, r.tables)
            wall.append(time.perf_counter() - w)
        planted = pd.read_parquet(Path(root) / "_truth" / "managers.parquet").set_index(
            "manager_id")["planted_type"]
        _print(f"{root}: {len(r.features)} managers reviewed, as of {r.window.as_of:%Y-%m-%d}",
               quality(c.primary, planted))
        print(f"features {built:.1f} s; re-classify median {sorted(wall)[3] * 1000:.0f} ms")
        primaries.append(c.primary.rename(lambda m, root=root: f"{root}:{m}"))
        truths.append(planted.rename(lambda m, root=root: f"{root}:{m}"))
        engine.close()
    if len(roots) > 1:
        _print(f"pooled over {len(roots)} datasets",
               quality(pd.concat(primaries), pd.concat(truths)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
