"""The S2 case (seeds/002) end to end: managers under two years in the job who check in to
end the day in the early afternoon, with more issues raised and fewer solved — and nothing
else of under-confident — are found as under-confident by the whole pipeline (generator,
queries, features, rules), with those signals as the evidence. The generator is told to
plant exactly these three signals, at 0.8 of full strength, for every under-confident
manager."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cmdash.all_settings import Settings
from cmdash.coaching.pipeline import run_review
from cmdash.dataset import Dataset
from cmdash.demo import generate, org
from cmdash.engine import open_engine
from tests.demo_data import DEMO_END

S2 = {"under_confident:short_tenure": 0.8, "under_confident:early_end": 0.8,
      "under_confident:unresolved_issues": 0.8}


def test_s2_managers_are_under_confident(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    plain_draw = org.draw
    monkeypatch.setattr(org, "draw", lambda ptype, rng: dict(S2) if ptype == "under_confident"
                        else plain_draw(ptype, rng))
    root = tmp_path / "s2"
    generate(root, "small", seed=3, end=DEMO_END)  # seed 3: 档位 as numbers
    engine = open_engine(Dataset.open(root))
    try:
        _, c = run_review(engine, Settings())
    finally:
        engine.close()
    truth = pd.read_parquet(root / "_truth" / "managers.parquet").set_index("manager_id")
    s2 = [m for m in c.primary.index if truth.loc[m, "planted_type"] == "under_confident"]
    assert len(s2) >= 2
    assert all(set(truth.loc[m, "signals"].split(";")) == {f"{k}=0.80" for k in S2}
               for m in s2)
    ev = c.evidence[c.evidence["manager"].isin(s2) & (c.evidence["type"] == "under_confident")
                    & c.evidence["passed"].astype(bool)]
    crossed = {m: set(ev.loc[ev["manager"] == m, "feature"]) for m in s2}
    assert all({"tenure_years", "end_hour"} <= f for f in crossed.values()), crossed
    # falling issue resolution needs months before the recent window: a manager hired five
    # months ago has little to compare with, so it shows for most, not all
    solved = [m for m, f in crossed.items() if "issue_resolution_change" in f]
    assert len(solved) >= 2 / 3 * len(s2), crossed
    # every manager in whom all three signals show is flagged under-confident (primary, or
    # beside another type the demo happened to give them, e.g. resentful after an event)
    flagged = set(c.flags.loc[c.flags["type"] == "under_confident", "manager"])
    assert set(solved) <= flagged, (solved, c.primary[s2].to_dict())
