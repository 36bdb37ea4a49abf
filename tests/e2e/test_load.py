"""A light load test: 4 browser sessions at once on the small demo (scripts/load_test.py is
the full one). Zero errors, and sessions with different roles at the same time each see
their own scope: no session state, cache entry or cursor is shared between them."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest

from cmdash.access import ROLES
from cmdash.bench import load
from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.kpi import compute
from cmdash.query import Filters

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("overview", "managers", "profile")


def latest_cases(engine, filters: Filters) -> str:
    frame = compute(engine, ["sales_cases"], (), "month", filters).values
    return f"{frame.sort_values('period')['sales_cases'].iloc[-1]:,.1f}"


def test_four_sessions_at_once(demo_root: Path, tmp_path: Path) -> None:
    if not Path(load.CHROMIUM).exists():
        pytest.fail(f"{load.CHROMIUM} is missing: scripts/test.sh installs chromium")
    m = pd.read_parquet(demo_root / "managers.parquet").astype({"manager_id": str})
    a, b = sorted(m["district"].unique())[:2]
    me = m.sort_values("manager_id").iloc[0]
    coach = ROLES["coach"].label("en")
    plans = [
        load.Plan(f"coach:{a}", {"lang": "English", "as_role": coach, "as_district": a},
                  PAGES, frozenset(m.loc[m["district"] == a, "manager_id"])),
        load.Plan(f"coach:{b}", {"lang": "English", "as_role": coach, "as_district": b},
                  PAGES, frozenset(m.loc[m["district"] == b, "manager_id"])),
        load.Plan("manager", {"lang": "English", "as_role": ROLES["manager"].label("en"),
                              "as_manager": f"{me['name']} · {me['manager_id']}"},
                  ("overview", "profile"), frozenset([me["manager_id"]])),
        load.Plan("analyst", {"lang": "English"}, PAGES),
    ]
    start = time.monotonic()
    with load.serve(demo_root.parent, tmp_path / "workspace", ROOT) as server:
        (phase,) = load.run(server, plans, rounds=1, max_seconds=75, quiet_ms=1000,
                            timeout_s=60)
    assert time.monotonic() - start < 90
    assert not [v for v in phase.visits if v.error], [v.error for v in phase.visits]
    assert not [v for v in phase.visits if v.foreign_ids]
    assert {(v.plan, v.page) for v in phase.visits} == {
        (p.name, page) for p in plans for page in p.pages}, "every visit was made"
    engine = open_engine(Dataset.open(demo_root))
    cards = {v.plan: v.first_metric for v in phase.visits if v.page == "overview"}
    assert cards[f"coach:{a}"] == latest_cases(engine, Filters(districts=(a,)))
    assert cards[f"coach:{b}"] == latest_cases(engine, Filters(districts=(b,)))
    assert cards["manager"] == latest_cases(engine, Filters(managers=(me["manager_id"],)))
    assert cards["analyst"] == latest_cases(engine, Filters())
    assert len(set(cards.values())) == 4
