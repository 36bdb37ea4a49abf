"""Retention quality bar on the small demo: out of time, against the data and the planted
lapses, on the full dataset and on its lean copy (managers, customers, products, sales)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cmdash.all_settings import Settings
from cmdash.cli import main
from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.i18n import t
from cmdash.retention.backtest import evaluate
from cmdash.retention.managers import manager_risk
from cmdash.retention.pipeline import assess, backtest_predictions, data_range
from scripts.retention_figures import lean_copy, truth_label
from tests.fixtures import cut_copy
from tests.unit.test_retention_history import allowed_groups

AS_OF = dt.date(2026, 8, 2)  # the demo ends 2026-10-31: the 90 days after are in the data
HORIZON = 90


@pytest.fixture(scope="module")
def full(demo_root: Path) -> pd.DataFrame:
    return backtest_predictions(open_engine(Dataset.open(demo_root)), AS_OF, Settings())


def test_model_beats_baseline_against_the_data(full: pd.DataFrame) -> None:
    m, b = evaluate(full["lost"], full["risk"]), evaluate(full["lost"], full["baseline_risk"])
    assert m.auc >= 0.85
    assert m.auc > b.auc
    assert m.top_decile_precision > 3 * m.base_rate


def test_model_beats_baseline_against_the_planted_lapses(full: pd.DataFrame,
                                                         demo_root: Path) -> None:
    y = truth_label(full, demo_root, HORIZON)
    m, b = evaluate(y, full["risk"]), evaluate(y, full["baseline_risk"])
    assert m.auc >= 0.85
    assert m.auc > b.auc


def test_lean_dataset_still_beats_the_recency_baseline(demo_root: Path,
                                                       tmp_path: Path) -> None:
    lean = lean_copy(demo_root, tmp_path)
    rows = backtest_predictions(open_engine(Dataset.open(lean)), AS_OF, Settings())
    for y in (rows["lost"], truth_label(rows, demo_root, HORIZON)):
        assert evaluate(y, rows["risk"]).auc > evaluate(y, rows["baseline_risk"]).auc


def test_cli_backtest_json(demo_root: Path, capsys) -> None:
    assert main(["backtest", str(demo_root), "--as-of", AS_OF.isoformat()]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["as_of"] == AS_OF.isoformat() and out["horizon_days"] == HORIZON
    for part in ("model", "baseline"):
        assert set(out[part]) >= {"auc", "top_decile_precision", "base_rate", "calibration",
                                  "brier"}
        assert len(out[part]["calibration"]) == 10
    assert out["training"]["method"] == "model" and len(out["training"]["dates"]) == 12
    assert out["training"]["note"] == "Trained on a 90-day horizon from 12 as-of dates."
    assert out["calibration"]["data"] == "held-out dates"
    assert out["calibration"]["dates"] == out["training"]["dates"][-3:]


def test_probabilities_are_calibrated(full: pd.DataFrame) -> None:
    """Out of time, the mean predicted chance is near the share lost, and the Brier score
    beats predicting the base rate for everyone."""
    y, p = full["lost"].to_numpy(), full["risk"].to_numpy()
    m = evaluate(y, p)
    assert abs(p.mean() - y.mean()) < 0.5 * y.mean()
    assert m.brier < float(np.mean((y - y.mean()) ** 2))
    riskiest = m.calibration[-1]  # the top 10 %: predicted and observed of one order
    assert 0.5 * riskiest[1] <= riskiest[0] <= 2 * riskiest[1]


def test_manager_attrition_says_how_many_leavers_and_which_method(demo_root: Path) -> None:
    """Leavers counted by hand from the managers table (left within the horizon after a
    training date); the model needs `retention.manager_min_leavers`, else the rule."""
    engine = open_engine(Dataset.open(demo_root))
    dates = [AS_OF - dt.timedelta(days=HORIZON + 28 * k) for k in range(12)]
    people = pd.read_parquet(demo_root / "managers.parquet")
    left = pd.to_datetime(people["left_date"]).dt.date
    by_hand = {m for m, day in zip(people["manager_id"], left, strict=True) if pd.notna(day)
               and any(d < day <= d + dt.timedelta(days=HORIZON) for d in dates)}
    n = len(by_hand)
    assert n >= 2
    rule = manager_risk(engine, AS_OF, dates,
                        Settings().with_values({"retention.manager_min_leavers": n + 1}),
                        HORIZON)
    model = manager_risk(engine, AS_OF, dates,
                         Settings().with_values({"retention.manager_min_leavers": n}),
                         HORIZON)
    assert (rule.method, model.method) == ("rule", "model")
    assert rule.leavers == model.leavers == n
    assert not np.allclose(rule.frame["risk"], model.frame["risk"])
    assert t("retention.method.rule", "en", n=n).startswith(f"Too few leavers company-wide "
                                                             f"({n})")


def test_scores_equal_on_a_copy_cut_at_the_as_of_date(demo_root: Path, tmp_path: Path
                                                      ) -> None:
    """The leak guard with the learned model: nothing after the as-of date is read.

    The copy stores sales in one file instead of monthly folders, so DuckDB adds the same
    floats in another order (features differ in the 16th digit, which boosting carries to
    the 7th): risks are compared to 1e-5, reasons exactly."""
    (tmp_path / "lean").mkdir()
    lean = lean_copy(demo_root, tmp_path / "lean")
    cut = cut_copy(lean, tmp_path / "cut", AS_OF)
    full = assess(open_engine(Dataset.open(lean)), Settings(), AS_OF)
    part = assess(open_engine(Dataset.open(cut)), Settings(), AS_OF)
    assert full.trained.plan.method == "model"
    a = full.customers.set_index("customer_id")
    b = part.customers.set_index("customer_id").loc[a.index]
    assert set(a.index) == set(part.customers["customer_id"])
    np.testing.assert_allclose(a["risk"], b["risk"], rtol=0, atol=1e-5)
    np.testing.assert_allclose(a["baseline_risk"], b["baseline_risk"], rtol=0, atol=1e-9)
    assert (a["reason_keys"] == b["reason_keys"]).all()
    keys = {k for row in full.customers["reason_keys"] for k in row}
    assert keys and keys <= allowed_groups(full.trained.unavailable)  # from what exists
    assert not keys & {"visits", "issues", "complaints", "ratings"}


@pytest.mark.slow
def test_quality_bar_on_the_medium_demo(tmp_path: Path) -> None:
    """About 2 minutes on 2 cores: medium demo (~21k customers, 7.8M sales lines)."""
    from tests.demo_data import make_demo

    root = make_demo(tmp_path, size="medium")
    rows = backtest_predictions(open_engine(Dataset.open(root)), AS_OF, Settings())
    for y in (rows["lost"], truth_label(rows, root, HORIZON)):
        m, b = evaluate(y, rows["risk"]), evaluate(y, rows["baseline_risk"])
        assert m.auc >= 0.85
        assert m.auc > b.auc


def test_short_history_on_the_demo_learns_a_shorter_horizon(demo_root: Path,
                                                            capsys) -> None:
    """Eight months in, 273 days asked: learned on the longest horizon that gives 4 dates
    28 days apart after the 60-day look-back, said on stderr and in the JSON; the Brier
    score is not measured (the probability is for the shorter horizon)."""
    first, _ = data_range(open_engine(Dataset.open(demo_root)))
    as_of = dt.date(2025, 6, 30)
    expected = (as_of - first).days - 60 - 3 * 28
    assert main(["backtest", str(demo_root), "--as-of", as_of.isoformat(),
                 "--horizon-days", "273"]) == 0
    out, err = capsys.readouterr()
    note = (f"Trained on a {expected}-day horizon from 4 as-of dates; asked 273 (too little "
            f"history): probabilities are for {expected} days.")
    assert note in err
    b = json.loads(out)
    assert b["training"]["note"] == note and b["horizon_days"] == 273
    assert b["model"]["brier"] is None and b["baseline"]["brier"] is None
    assert b["model"]["auc"] > 0.6
