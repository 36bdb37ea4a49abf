"""No mutable state shared between sessions: one engine queried from many threads at once
with different scopes answers each exactly as alone; scopes key caches apart."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from cmdash.access import EVERYONE, Access
from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.kpi import compute
from cmdash.query import Filters, run
from tests.fixtures import write_tiny_dataset


def test_threads_with_different_scopes_get_their_own_answers(tmp_path: Path) -> None:
    engine = open_engine(Dataset.open(write_tiny_dataset(tmp_path / "tiny")))
    viewers = [EVERYONE, Access("a", "coach", districts=("姑苏片区",)),
               Access("b", "coach", districts=("梁溪片区",)),
               Access("c", "region_head", regions=("苏州",))]

    def answer(viewer: Access) -> tuple[frozenset[str], float]:
        f = Filters(access=viewer)
        ids = frozenset(run(engine, "scope_managers", f)["manager_id"])
        cases = compute(engine, ["sales_cases"], (), "all", f).values["sales_cases"].sum()
        return ids, round(float(cases), 6)  # parallel sums may differ in the last bit

    alone = {v: answer(v) for v in viewers}
    assert len({ids for ids, _ in alone.values()}) == len(viewers)
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(answer, viewers * 12))
    assert together == [alone[v] for v in viewers * 12]


def test_scope_is_part_of_every_cache_key() -> None:
    a = Filters(access=Access("x", "coach", districts=("A",)))
    b = Filters(access=Access("x", "coach", districts=("B",)))
    assert a != b and hash(a) != hash(b)
    assert Filters() != Filters(access=Access("demo", "executive"))
    assert pd.Series([a, b]).nunique() == 2


def test_sessions_asking_for_one_model_at_once_train_it_once(monkeypatch) -> None:
    import threading
    import time

    from cmdash.ui import retention

    monkeypatch.setattr(retention, "_with_progress", lambda ctx, run: run(None))

    class Ctx:
        def t(self, key: str) -> str:
            return key

    calls: list[int] = []
    started = threading.Event()

    def train(_progress) -> str:
        calls.append(1)
        started.set()
        time.sleep(0.3)  # the others arrive while this one trains
        return "model"

    store = retention._Trained()
    with ThreadPoolExecutor(6) as pool:
        first = pool.submit(store.get, ("v1", "assess"), Ctx(), train)
        started.wait(5)
        rest = [pool.submit(store.get, ("v1", "assess"), Ctx(), train) for _ in range(5)]
        results = [first.result(), *(f.result() for f in rest)]
    assert results == ["model"] * 6
    assert len(calls) == 1
    other = store.get(("v2", "assess"), Ctx(), train)  # another key trains on its own
    assert other == "model" and len(calls) == 2
