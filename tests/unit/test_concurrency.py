"""No mutable state shared between sessions: one engine queried from many threads at once
with different scopes answers each exactly as alone; scopes key caches apart."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

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


def test_one_user_with_two_scopes_never_gets_the_other_scopes_cached_rows(
        tmp_path: Path) -> None:
    """The app's caches are keyed by `Filters`, which carry the viewer's scope: the same
    user, same query, another scope answers from its own rows, not from the cache."""
    from cmdash.ui import cache

    root = str(write_tiny_dataset(tmp_path / "tiny"))
    version = cache.dataset_version(root)
    ask = {d: Filters(access=Access("x", "coach", districts=(d,)))
           for d in ("姑苏片区", "梁溪片区")}
    for district, filters in [*ask.items(), *ask.items()]:  # the second round is cached
        shown = cache.query(root, version, "manager_directory", filters)
        assert len(shown) and set(shown["district"]) == {district}
        cases = cache.kpis(root, version, filters, ("sales_cases",), (), "all").values
        alone = compute(open_engine(Dataset.open(root)), ["sales_cases"], (), "all", filters)
        # equal up to the order the parallel scan adds in (the scopes' sums differ widely)
        assert cases["sales_cases"].sum() == pytest.approx(alone.values["sales_cases"].sum(),
                                                           rel=1e-12)


def test_sessions_asking_for_one_model_at_once_train_it_once(monkeypatch) -> None:
    import threading
    import time

    from cmdash.ui import model_cache

    monkeypatch.setattr(model_cache, "_with_progress", lambda ctx, run: run(None))

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

    store = model_cache.SharedResults()
    with ThreadPoolExecutor(6) as pool:
        first = pool.submit(store.get, ("v1", "assess"), Ctx(), train)
        started.wait(5)
        rest = [pool.submit(store.get, ("v1", "assess"), Ctx(), train) for _ in range(5)]
        results = [first.result(), *(f.result() for f in rest)]
    assert results == ["model"] * 6
    assert len(calls) == 1
    other = store.get(("v2", "assess"), Ctx(), train)  # another key trains on its own
    assert other == "model" and len(calls) == 2
