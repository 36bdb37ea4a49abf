"""The retention features and risks read from the prepared layer equal those read from the
fact files, and need no fact file once the layer exists (cmdash/retention/layered.py)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from cmdash.all_settings import Settings
from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.kpi.facts import FACTS
from cmdash.prepared import Store, prepare
from cmdash.prepared.layer import FACTS_PREPARED
from cmdash.retention import queries as Q
from cmdash.retention.features import Windows, customer_features, outcomes
from cmdash.retention.layered import TWINS
from cmdash.retention.managers import manager_signals, rule_history
from cmdash.retention.pipeline import assess
from cmdash.retention.source import Source
from tests.fixtures import write_tiny_dataset

D = dt.date
AS_OF = D(2026, 8, 2)  # as tests/sql/test_retention.py: the 90 days after are in the data
DATES = [AS_OF - dt.timedelta(days=45 * k) for k in range(6)]


@pytest.fixture(scope="module")
def sources(demo_root: Path, tmp_path_factory: pytest.TempPathFactory):
    """(the fact files, the prepared layer) of the small demo."""
    ds = Dataset.open(demo_root)
    workspace = tmp_path_factory.mktemp("retention-layer")
    direct, layered = open_engine(ds), open_engine(ds)
    prepare(direct, ds, workspace=workspace)
    layered.prepared = Store(workspace, ds.version())
    files, layer = Source(direct), Source.of(layered)
    assert files.layer is None and layer.layer is not None
    yield files, layer
    direct.close()
    layered.close()


def _same(a: pd.DataFrame, b: pd.DataFrame, keys: list[str]) -> None:
    """Equal frames, rows matched by key: exact for text and dates, 1e-9 for numbers."""
    assert list(a.columns) == list(b.columns)
    assert len(a) == len(b) > 0
    a, b = (f.sort_values(keys, ignore_index=True) for f in (a, b))
    for col in a.columns:
        x, y = a[col], b[col]
        if pd.api.types.is_numeric_dtype(y) and not pd.api.types.is_bool_dtype(y):
            np.testing.assert_allclose(x.astype("float64").to_numpy(),
                                       y.astype("float64").to_numpy(), rtol=1e-9, atol=1e-9,
                                       equal_nan=True, err_msg=col)
        else:
            assert (x.isna() == y.isna()).all(), col
            assert (x[x.notna()].astype(str) == y[y.notna()].astype(str)).all(), col


@pytest.mark.parametrize("query", [Q.CUSTOMER_ORDERS, Q.CUSTOMER_OUTCOMES, Q.CUSTOMER_VISITS,
                                   Q.CUSTOMER_FEEDBACK, Q.MANAGER_MONTHS],
                         ids=lambda q: q.name)
def test_each_twin_returns_the_rows_of_its_fact_file_query(sources, query) -> None:
    files, layer = sources
    params = Windows().params(DATES, ahead=90) | {"late_hour": 20, "early_hour": 7}
    _same(files.run(query, params), layer.run(query, params), list(query.order_by))


def test_features_and_manager_signals_from_the_layer_equal_the_fact_files(sources) -> None:
    files, layer = sources
    settings = Settings()
    windows = Windows.from_settings(settings)
    owners = [rule_history(s.engine, DATES, settings, source=s) for s in (files, layer)]
    _same(*owners, ["manager_id", "as_of"])
    a, b = (customer_features(s.engine, DATES, windows, o, s)
            for s, o in zip((files, layer), owners, strict=True))
    assert a.features == b.features and a.unavailable == b.unavailable == ()
    _same(a.frame, b.frame, ["customer_id", "as_of"])
    _same(*(outcomes(s.engine, DATES, windows, s) for s in (files, layer)),
          ["customer_id", "as_of"])
    (sa, ua), (sb, ub) = (manager_signals(s.engine, DATES, settings, source=s)
                          for s in (files, layer))
    assert ua == ub
    _same(sa, sb, ["manager_id", "as_of"])


def test_every_twin_reads_only_what_the_layer_holds(sources) -> None:
    _, layer = sources
    for name, twin in TWINS.items():
        for fact, measures in twin.reads.items():
            assert fact in FACTS_PREPARED and set(measures) <= set(FACTS[fact].measures), name
            assert layer.layer.has(fact, measures), name


def test_risk_from_the_layer_with_the_fact_files_gone(demo_root: Path, tmp_path: Path) -> None:
    """The customers' and managers' risks equal those from the fact files, with every fact
    file renamed away after `prepare` (the attribute tables and the events stay)."""
    data = shutil.copytree(demo_root, tmp_path / "data")
    ds = Dataset.open(data)
    settings = Settings()
    expected = assess(open_engine(ds), settings, AS_OF)
    engine = open_engine(ds)
    prepare(engine, ds, workspace=tmp_path / "ws")
    engine.prepared = Store(tmp_path / "ws", ds.version())
    for table in {FACTS[name].table for name in FACTS_PREPARED}:
        source = ds.source(table)
        source.path.rename(source.path.with_name(source.path.name + ".gone"))
    with pytest.raises(duckdb.Error):  # the proof the files are gone for the engine
        engine.query("SELECT count(*) FROM sales", {})
    got = assess(engine, settings, AS_OF)
    assert got.trained.plan.method == expected.trained.plan.method == "model"
    assert got.trained.train_dates == expected.trained.train_dates
    assert (got.trained.rows, got.trained.lost) == (expected.trained.rows, expected.trained.lost)
    cols = ["customer_id", "manager_id", "risk", "baseline_risk", "recency_days",
            "expected_units", "volume_at_risk", "next_visit", "last_visit"]
    _same(expected.customers[cols], got.customers[cols], ["customer_id"])
    assert list(expected.customers["reason_keys"]) == list(got.customers["reason_keys"])
    m = ["manager_id", "risk", "customers", "exposure_volume"]
    _same(expected.managers.frame[m], got.managers.frame[m], ["manager_id"])


def test_hand_computed_after_hours_and_open_complaints(tmp_path: Path) -> None:
    """Tiny fixture: V004 (KM-0004, 2025-03-13 09:00) was logged at 20:00, the only visit
    after hours; complaint F003 (customer 3205005) was filed on 2025-02-14 and resolved on
    the 20th: open for 3 days on the 17th, closed after 6 days by March."""
    root = write_tiny_dataset(tmp_path / "tiny")
    ds = Dataset.open(root)
    engine = open_engine(ds)
    prepare(engine, ds, workspace=tmp_path / "ws")
    engine.prepared = Store(tmp_path / "ws", ds.version())
    layer = Source.of(engine)
    months = layer.run(Q.MANAGER_MONTHS, {"history_start": D(2025, 1, 1),
                                          "history_end": D(2025, 6, 30)})
    late = months[months["after_hours"] > 0]
    assert late[["manager_id", "month", "after_hours"]].astype(str).values.tolist() == [
        ["KM-0004", "2025-03-01", "1"]]
    params = Windows().params([D(2025, 2, 17), D(2025, 3, 1)])
    said = layer.run(Q.CUSTOMER_FEEDBACK, params)
    said = said[said["customer_id"] == "3205005"].set_index("as_of")
    assert said["complaints_recent"].tolist() == [1, 1]
    assert said["complaints_open"].tolist() == [1, 0]
    assert said["complaint_days"].tolist() == [3.0, 6.0]
    _same(Source(engine).run(Q.CUSTOMER_FEEDBACK, params),
          layer.run(Q.CUSTOMER_FEEDBACK, params), ["customer_id", "as_of"])
