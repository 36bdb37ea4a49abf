"""Retention quality bar on the small demo: out of time, against the data and the planted
lapses, on the full dataset and on its lean copy (managers, customers, products, sales)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from cmdash.cli import main
from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.retention.backtest import evaluate
from cmdash.retention.pipeline import backtest_predictions
from cmdash.settings import Settings
from scripts.retention_figures import lean_copy, truth_label

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
        assert set(out[part]) >= {"auc", "top_decile_precision", "base_rate", "calibration"}
        assert len(out[part]["calibration"]) == 10


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
