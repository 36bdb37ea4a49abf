"""The quality bar of issue 11 on demo data where each planted manager shows only a random
subset (≥ 3) of its type's signals at random strength, some steady managers show one signal
at half strength, and 档位 is written in the seed's encoding (numbers, letters or names).

The default thresholds were chosen on seeds 1–3 only; these tests score seeds 4–8, which
they were never tuned on. Medium, pooled over seeds 4–8 (`slow`): macro recall over the
seven types ≥ 0.85, steady managers given a type ≤ 10 %, every type's recall ≥ 0.70. The
default run pools three small report seeds (about three managers per type each, so the bar
is looser and only guards against a collapse).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cmdash.all_settings import Settings
from cmdash.coaching.pipeline import run_review
from cmdash.coaching.quality import Quality, quality
from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from tests.demo_data import make_demo

REPORT_SEEDS = (4, 5, 6, 7, 8)


def _pooled(base: Path, size: str, seeds: tuple[int, ...]) -> Quality:
    primaries, truths = [], []
    for seed in seeds:
        root = make_demo(base / f"s{seed}", size, seed)
        engine = open_engine(Dataset.open(root))
        try:
            _, c = run_review(engine, Settings())
        finally:
            engine.close()
        planted = pd.read_parquet(root / "_truth" / "managers.parquet").set_index(
            "manager_id")["planted_type"]
        primaries.append(c.primary.rename(lambda m, s=seed: f"{s}:{m}"))
        truths.append(planted.rename(lambda m, s=seed: f"{s}:{m}"))
    q = quality(pd.concat(primaries), pd.concat(truths))
    with pd.option_context("display.width", 200):
        print(f"\n{size} seeds {seeds}\n{q.confusion.to_string()}\n{q.recall.round(3)}\n"
              f"macro {q.macro:.3f}, steady flagged {q.steady_flagged:.3f} of {q.steady}")
    return q


def test_quality_small_report_seeds(tmp_path: Path) -> None:
    q = _pooled(tmp_path, "small", (4, 5, 6))
    assert q.macro >= 0.75, q.recall.to_dict()
    assert q.steady_flagged <= 0.15
    assert len(q.recall) == 7


@pytest.mark.slow
def test_quality_medium_report_seeds(tmp_path: Path) -> None:
    q = _pooled(tmp_path, "medium", REPORT_SEEDS)
    assert q.macro >= 0.85, q.recall.to_dict()
    assert q.steady_flagged <= 0.10
    assert (q.recall >= 0.70).all(), q.recall.to_dict()
