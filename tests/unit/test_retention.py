"""Retention: features on the tiny fixture by hand, estimator API, metrics shape, CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError

from cmdash.cli import main
from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.retention.backtest import evaluate
from cmdash.retention.features import (
    Windows,
    customer_attributes,
    customer_features,
    label,
    outcomes,
)
from cmdash.retention.model import LapseModel, RecencyFrequencyBaseline
from tests.fixtures import write_tiny_dataset

AS_OF = dt.date(2025, 6, 30)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory):
    root = write_tiny_dataset(tmp_path_factory.mktemp("tiny"))
    return open_engine(Dataset.open(root))


def _row(fs, customer: str) -> pd.Series:
    return fs.frame.set_index("customer_id").loc[customer]


def test_order_features_by_hand(tiny) -> None:
    fs = customer_features(tiny, [AS_OF], Windows())
    assert fs.unavailable == ()
    assert "3205004" not in set(fs.frame["customer_id"])  # closed on 2025-03-31
    a = _row(fs, "3205001")  # orders 01-06, 03-03, 05-06
    assert a["recency_days"] == 55
    assert a["orders_year"] == 3
    assert a["overdue_cycles"] == pytest.approx(55 / 60)  # gaps 56 and 64 days
    b = _row(fs, "3205008")  # 40, 35, 38 units of P04 (no case size: 1 unit = 1 case)
    assert b["volume_trend"] == pytest.approx((38 / 60) / (75 / 180))
    assert b["units_month"] == pytest.approx(38 / 60 * 30)


def test_manager_change_and_handover(tiny) -> None:
    fs = customer_features(tiny, [AS_OF], Windows())
    moved = _row(fs, "3205005")  # KM-0003's until he left on 04-15; KM-0002 visited 04-21
    assert moved["manager_changed"] == 1
    assert moved["previous_owner_left"] == 1
    assert moved["owner_left"] == 0
    assert moved["no_handover_visit"] == 0
    assert _row(fs, "3205001")["manager_changed"] == 0


def test_label_counts_closing_and_ignores_returns(tiny) -> None:
    as_of = dt.date(2025, 3, 15)
    w = Windows()
    fs = customer_features(tiny, [as_of], w)
    closed = customer_attributes(tiny).set_index("customer_id")["closed_date"]
    y = label(fs.frame, outcomes(tiny, [as_of], w), closed, w.horizon_days)
    lost = dict(zip(fs.frame["customer_id"], y, strict=True))
    assert lost["3205004"] == 1  # its 03-18 line is a return; closed 03-31
    assert lost["3205001"] == 0  # ordered again on 05-06


def test_empty_tables_are_named_and_skipped(tmp_path: Path) -> None:
    root = write_tiny_dataset(tmp_path / "lean")
    for name in ("visits", "feedback", "targets", "events", "checkins", "inspections"):
        (root / f"{name}.parquet").unlink()
    fs = customer_features(open_engine(Dataset.open(root)), [AS_OF], Windows())
    assert set(fs.unavailable) == {"visits", "feedback", "targets", "events"}
    assert "days_since_visit" not in fs.features
    assert "complaints_recent" not in fs.features
    assert "recency_days" in fs.features


def _toy(n: int = 400) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"recency_days": rng.integers(0, 90, n).astype(float),
                      "orders_year": rng.integers(1, 60, n).astype(float),
                      "volume_trend": rng.random(n)})
    y = ((X["recency_days"] > 40) | (X["volume_trend"] < 0.2)).astype(int).to_numpy()
    return X, y


def test_estimators_follow_sklearn_conventions() -> None:
    X, y = _toy()
    for est in (LapseModel(max_iter=20), RecencyFrequencyBaseline()):
        with pytest.raises(NotFittedError):
            est.predict_proba(X)
        assert est.fit(X, y) is est
        assert list(est.feature_names_in_) == list(X.columns)
        p = est.predict_proba(X)
        assert p.shape == (len(X), 2)
        assert np.allclose(p.sum(axis=1), 1)
        assert set(est.predict(X)) <= {0, 1}
    assert LapseModel(max_iter=20).fit(X, y).predict_proba(X)[:, 1][y == 1].mean() > 0.5


def test_metrics_shape() -> None:
    y = np.array([0] * 90 + [1] * 10)
    p = np.linspace(0, 1, 100)
    m = evaluate(y, p)
    assert m.auc == pytest.approx(1.0)
    assert m.top_decile_precision == pytest.approx(1.0)
    assert m.customers == 100 and m.lost == 10
    assert len(m.calibration) == 10
    assert sum(n for _, _, n in m.calibration) == 100
    assert evaluate(np.zeros(5, int), np.ones(5)).auc is None


def test_cli_risk_and_backtest_on_tiny(tmp_path: Path, capsys) -> None:
    root = write_tiny_dataset(tmp_path / "tiny")
    out = tmp_path / "risk.json"
    # too little history for a 90-day horizon: a clear message, exit 1
    assert main(["backtest", str(root), "--as-of", "2025-06-30"]) == 1
    assert "horizon" in capsys.readouterr().err
    assert main(["risk", str(root), "--horizon-days", "30", "--format", "json", "--out",
                 str(out)]) == 0
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert [*rows[0]] == ["customer_id", "manager_id", "risk", "baseline_risk", "reasons"]
    assert {r["customer_id"] for r in rows} == {"3205001", "3205002", "3205003", "3205005",
                                                 "3205006", "3205007", "3205008"}
    assert all(0 <= r["risk"] <= 1 for r in rows)
    assert main(["risk", str(root), "--horizon-days", "30", "--managers"]) == 0
    head = capsys.readouterr().out.splitlines()[0]
    assert head == "manager_id,risk,method,customers,exposure_volume,reasons"


def test_risk_bands_count_customers_around_the_cutoff() -> None:
    from cmdash.present.retention import risk_bands

    risk = pd.Series([0.05, 0.14, 0.15, 0.29, 0.30, 0.9, None])
    bands = risk_bands(risk, 0.3)  # low < 0.15 ≤ watch < 0.3 ≤ high
    assert bands["band"].tolist() == ["low", "watch", "high"]
    assert bands["customers"].tolist() == [2, 2, 2]  # the missing risk is in no band
    assert bands["low"].tolist() == [0.0, 0.15, 0.3]


def test_org_tree_sums_volume_at_risk_up_the_org() -> None:
    from cmdash.present.retention import org_tree

    customers = pd.DataFrame({
        "region": ["东", "东", "东", "西"],
        "district": ["东一", "东一", "东二", "西一"],
        "manager_id": ["M1", "M1", "M2", "M3"],
        "manager_name": ["张", "张", None, "王"],
        "volume_at_risk": [10.0, 5.0, 7.0, 1.0],
    })
    tree = org_tree(customers).set_index("id")
    assert tree.loc["东", "value"] == 22 and tree.loc["东", "parent"] == ""
    assert tree.loc["东/东一", "value"] == 15 and tree.loc["东/东一", "parent"] == "东"
    assert tree.loc["东/东二/M2", "label"] == "M2"  # no name: the id
    assert tree.loc["东/东一/M1", ["label", "parent", "value"]].tolist() == ["张", "东/东一", 15]
    assert tree.loc["西/西一/M3", "value"] == 1 and len(tree) == 2 + 3 + 3
