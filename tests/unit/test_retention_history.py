"""Retention on short and lean extracts: the training plan by hand, the label-free rhythm
score, saved models (reuse, corruption, keys), sales-only reasons and the leak guard."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from sklearn.exceptions import NotFittedError

from cmdash.all_settings import SETTINGS, Settings
from cmdash.cli import main
from cmdash.contract import TABLES
from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.errors import InputError
from cmdash.present.retention import plan_note
from cmdash.retention import store
from cmdash.retention.backtest import evaluate
from cmdash.retention.calibration import OutOfTimeCalibrated, fit_calibrated
from cmdash.retention.features import FEATURES
from cmdash.retention.pipeline import assess, saved_or_trained
from cmdash.retention.plan import MODEL, RHYTHM, plan_training
from cmdash.retention.reasons import REASONS
from cmdash.retention.rhythm import RecencyRank, RhythmScore, _percentile
from tests.fixtures import cut_copy, write_tiny_dataset

D = dt.date


def allowed_groups(unavailable: tuple[str, ...]) -> set[str]:
    """Reason groups with at least one feature whose table has rows."""
    return {f.group for f in FEATURES if f.table not in unavailable}


# --- the plan, by hand ---------------------------------------------------------------------

def test_plan_asked_horizon_when_history_is_long() -> None:
    p = plan_training(D(2024, 1, 1), D(2026, 8, 2), 90, 60, Settings())
    assert (p.method, p.horizon_days, len(p.dates)) == (MODEL, 90, 12)
    assert p.dates[-1] == D(2026, 5, 4)  # 2026-08-02 − 90 days
    assert p.dates[0] == D(2026, 5, 4) - dt.timedelta(days=28 * 11)
    assert not p.shortened
    assert plan_note(p, "en") == "Trained on a 90-day horizon from 12 as-of dates."


def test_plan_shortens_the_horizon_on_the_cdnow_split() -> None:
    # orders from 1997-01-01; a training date needs 60 days before it (from 03-02): 212
    # days remain to 09-30; 4 dates 28 days apart leave 212 − 3·28 = 128 days of horizon
    p = plan_training(D(1997, 1, 1), D(1997, 9, 30), 273, 60, Settings())
    assert (p.method, p.horizon_days, p.asked_horizon_days) == (MODEL, 128, 273)
    assert p.dates == (D(1997, 3, 2), D(1997, 3, 30), D(1997, 4, 27), D(1997, 5, 25))
    assert plan_note(p, "en") == ("Trained on a 128-day horizon from 4 as-of dates; asked 273 "
                            "(too little history): probabilities are for 128 days.")
    assert "128" in plan_note(p, "zh") and "273" in plan_note(p, "zh")
    assert p.to_dict()["dates"][0] == "1997-03-02"


def test_plan_fewer_dates_then_one_date_then_rhythm_then_refusal() -> None:
    s = Settings()
    first = D(2025, 1, 1)
    # 60 days after the look-back: a 30-day horizon fits 2 dates (< 4), shortening would
    # go under 30 days, so the asked horizon from the 2 dates
    p = plan_training(first, first + dt.timedelta(days=120), 30, 60, s)
    assert (p.method, p.horizon_days, len(p.dates)) == (MODEL, 30, 2)
    # 80 days: a 90-day horizon fits no date; the longest that fits one is 80
    p = plan_training(first, first + dt.timedelta(days=140), 90, 60, s)
    assert (p.method, p.horizon_days, p.dates) == (MODEL, 80, (first + dt.timedelta(days=60),))
    # 20 days: nothing to learn from, the label-free score
    p = plan_training(first, first + dt.timedelta(days=80), 90, 60, s)
    assert (p.method, p.dates) == (RHYTHM, ())
    assert "rhythm" in plan_note(p, "en") and "80 days" in plan_note(p, "en")
    with pytest.raises(InputError, match="Only 29 days of orders"):
        plan_training(first, first + dt.timedelta(days=29), 90, 60, s)


# --- the rhythm score ----------------------------------------------------------------------

def test_percentile_mid_rank() -> None:
    ref = np.array([1.0, 2.0, 2.0, 4.0])
    got = _percentile(ref, np.array([0.0, 2.0, 5.0, np.nan]))
    assert got[:3] == pytest.approx([0.0, 0.5, 1.0])  # 2.0: 1 below, 2 tied → (1 + 3)/2/4
    assert np.isnan(got[3])


def test_rhythm_score_follows_sklearn_and_ranks_overdue_first() -> None:
    X = pd.DataFrame({"recency_days": [10.0, 40.0, 40.0, 5.0],
                      "overdue_cycles": [1.0, 4.0, np.nan, 0.5],
                      "orders_year": [12.0, 12.0, 1.0, 30.0],
                      "units_month": [2.0, 2.0, 1.0, 5.0]})
    for est in (RhythmScore(), RecencyRank()):
        with pytest.raises(NotFittedError):
            est.predict_proba(X)
        assert est.fit(X) is est
        p = est.predict_proba(X)
        assert p.shape == (4, 2) and np.allclose(p.sum(axis=1), 1)
    r = RhythmScore(1.0, 0.0, 0.0, prior_gaps=0.0).fit(X)
    assert r.typical_gap_ == pytest.approx(10.0)  # gaps 10, 10, 10
    risk = r.predict_proba(X)[:, 1]
    assert risk[1] > risk[0] > risk[3]  # 4 cycles overdue > 1 > 0.5
    # one order: no rhythm of its own, set against the typical 10-day gap (4 cycles)
    assert risk[2] == pytest.approx(risk[1])


# --- the CLI on short histories ------------------------------------------------------------

@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CMDASH_WORKSPACE", str(tmp_path / "workspace"))
    return write_tiny_dataset(tmp_path / "tiny")


def test_short_history_scores_with_the_rhythm_score_and_says_so(tiny: Path, capsys) -> None:
    # orders 2025-01-06 … 06-24: too short for any 90-day label, every customer ranked
    assert main(["risk", str(tiny), "--lang", "en"]) == 0
    out, err = capsys.readouterr()
    assert "label-free rhythm score" in err and "asked 90" not in err
    assert len(out.splitlines()) == 1 + 7
    assert main(["backtest", str(tiny), "--as-of", "2025-03-31", "--horizon-days", "60"]) == 0
    out, err = capsys.readouterr()
    b = json.loads(out)
    assert b["training"]["method"] == RHYTHM and "rhythm" in b["training"]["note"]
    assert b["model"]["brier"] is None  # a rank, not a probability: not measured
    assert b["calibration"] == {}
    assert main(["risk", str(tiny), "--as-of", "2025-01-20"]) == 1
    assert "Only 14 days of orders" in capsys.readouterr().err
    # one manager left (KM-0003), fewer than a handful: the rule, labelled as such
    assert main(["risk", str(tiny), "--managers"]) == 0
    out, err = capsys.readouterr()
    assert "Too few leavers company-wide (0) to train a model: a weighted rule" in err
    assert {line.split(",")[2] for line in out.splitlines()[1:]} == {"rule"}


def test_sales_only_scores_with_reasons_from_the_sales(tiny: Path, capsys) -> None:
    """Managers, customers, products and sales; the other tables empty or absent (the
    validator asks for the required ones to exist, with no rows)."""
    for name in ("visits", "feedback", "targets", "events", "checkins", "inspections"):
        (tiny / f"{name}.parquet").unlink()
        if not TABLES[name].optional_table:
            pq.write_table(TABLES[name].arrow_schema().empty_table(),
                           tiny / f"{name}.parquet")
    engine = open_engine(Dataset.open(tiny))
    result = assess(engine, Settings())
    keys = {k for row in result.customers["reason_keys"] for k in row}
    assert set(result.trained.unavailable) == {"visits", "feedback", "targets", "events"}
    assert keys and keys <= allowed_groups(result.trained.unavailable)
    assert not keys & {"visits", "issues", "complaints", "ratings"}
    assert main(["risk", str(tiny), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "No order for" in out


# --- saved models --------------------------------------------------------------------------

def test_saved_model_is_reused_and_a_corrupt_one_retrained(tiny: Path, capsys) -> None:
    assert main(["risk", str(tiny)]) == 0
    assert "trained and saved" in capsys.readouterr().err
    models = Dataset.open(tiny).workspace / store.FOLDER
    (pkl,) = models.glob("*.pkl")
    before = pkl.stat().st_mtime_ns
    assert main(["risk", str(tiny)]) == 0
    assert "reused the saved model" in capsys.readouterr().err
    assert pkl.stat().st_mtime_ns == before
    data = bytearray(pkl.read_bytes())
    data[len(data) // 2] ^= 0xFF
    pkl.write_bytes(bytes(data))
    assert main(["risk", str(tiny)]) == 0
    assert "trained and saved" in capsys.readouterr().err
    assert main(["risk", str(tiny)]) == 0
    assert "reused the saved model" in capsys.readouterr().err


def test_model_key_changes_with_settings_version_date_and_horizon(tiny: Path) -> None:
    s = Settings()
    base = store.model_key("v1", D(2025, 6, 24), None, s)
    assert base["horizon_days"] == 90
    others = [store.model_key("v2", D(2025, 6, 24), None, s),
              store.model_key("v1", D(2025, 6, 23), None, s),
              store.model_key("v1", D(2025, 6, 24), 60, s),
              store.model_key("v1", D(2025, 6, 24), None,
                              s.with_values({"retention.recent_days": 45}))]
    names = {store._name(k) for k in [base, *others]}
    assert len(names) == 5
    # a setting the model does not read keeps the model
    unrelated = next(k for k in s if not k.startswith("retention."))
    other_value = s.with_values({unrelated: SETTINGS[unrelated].high or 1})
    assert store.model_key("v1", D(2025, 6, 24), None, other_value) == base
    engine = open_engine(Dataset.open(tiny))
    ws = Dataset.open(tiny).workspace
    first = saved_or_trained(ws, "v1", engine, D(2025, 6, 24), s)
    again = saved_or_trained(ws, "v1", engine, D(2025, 6, 24), s)
    other = saved_or_trained(ws, "v1", engine, D(2025, 6, 24),
                             s.with_values({"retention.recent_days": 45}))
    assert (first.reused, again.reused, other.reused) == (False, True, False)
    assert other.path != first.path


class _Planted:
    """Unpickling this would write a file: it must never be unpickled from the workspace."""

    def __init__(self, target: str) -> None:
        self.target = target

    def __reduce__(self):
        return (Path.write_text, (Path(self.target), "pwned"))


def test_a_file_without_the_workspace_key_is_never_unpickled(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    key = store.model_key("v1", D(2025, 1, 1), 90, Settings())
    store.save(ws, key, {"ok": 1})
    assert store.load(ws, key) == {"ok": 1}
    target = tmp_path / "planted.txt"
    name = store._name(key)
    (ws / store.FOLDER / f"{name}.pkl").write_bytes(pickle.dumps(_Planted(str(target))))
    assert store.load(ws, key) is None  # the HMAC no longer matches: not unpickled
    assert not target.exists()
    store.save(ws, key, {"ok": 2})
    side = ws / store.FOLDER / f"{name}.json"
    meta = json.loads(side.read_text())
    meta["key"]["dataset_version"] = "v0"  # a sidecar for another dataset version
    side.write_text(json.dumps(meta))
    assert store.load(ws, key) is None
    assert not list((ws / store.FOLDER).glob("*.tmp"))  # atomic writes leave no debris


# --- leak guard ----------------------------------------------------------------------------

def test_scores_equal_on_a_copy_cut_at_the_as_of_date(tiny: Path, tmp_path: Path) -> None:
    as_of = D(2025, 3, 31)  # KM-0003 leaves on 04-15, 3205004 closes on 03-31
    cut = cut_copy(tiny, tmp_path / "cut", as_of)
    full = assess(open_engine(Dataset.open(tiny)), Settings(), as_of).customers
    part = assess(open_engine(Dataset.open(cut)), Settings(), as_of).customers
    cols = ["customer_id", "risk", "baseline_risk", "reason_keys"]
    pd.testing.assert_frame_equal(full[cols], part[cols])
    assert len(full) > 0


def test_evaluate_brier_by_hand() -> None:
    m = evaluate(np.array([0, 1, 1, 0]), np.array([0.1, 0.9, 0.6, 0.5]))
    assert m.brier == pytest.approx((0.01 + 0.01 + 0.16 + 0.25) / 4)
    assert evaluate(np.array([0, 1]), np.array([0.2, 0.7]), probability=False).brier is None


def test_reason_groups_declared() -> None:
    assert set(REASONS) <= {f.group for f in FEATURES}


# --- calibration ---------------------------------------------------------------------------

def _dated_toy(n_dates: int, per_date: int = 300) -> tuple[pd.DataFrame, np.ndarray, pd.Series]:
    rng = np.random.default_rng(1)
    n = n_dates * per_date
    X = pd.DataFrame({"recency_days": rng.integers(0, 90, n).astype(float),
                      "orders_year": rng.integers(1, 60, n).astype(float)})
    p = 1 / (1 + np.exp(-(X["recency_days"] - 60) / 8))
    y = (rng.random(n) < p).astype(int)
    dates = pd.Series(np.repeat(pd.date_range("2025-01-06", periods=n_dates, freq="28D"),
                                per_date))
    return X, y, dates


def test_out_of_time_calibration_keeps_the_boosters_ranking() -> None:
    X, y, dates = _dated_toy(8)
    est = OutOfTimeCalibrated(0.25)
    with pytest.raises(NotFittedError):
        est.predict_proba(X)
    assert est.fit(X, y, dates) is est
    assert est.held_dates_ == tuple(d.date() for d in dates.unique()[-2:])  # 2 of 8
    assert est.calibration_rows_ == 600
    p = est.predict_proba(X)
    assert p.shape == (len(X), 2) and np.allclose(p.sum(axis=1), 1)
    raw = est.booster_.predict_proba(X)[:, 1]
    order = np.argsort(raw, kind="stable")
    assert np.all(np.diff(p[order, 1]) >= -1e-12)  # a monotone map of the booster
    model, info = fit_calibrated(X, y, dates, Settings())
    assert (info.method, info.data, len(info.dates)) == ("sigmoid", "held-out dates", 2)
    assert abs(model.predict_proba(X)[:, 1].mean() - y.mean()) < 0.05


def test_one_training_date_calibrates_by_cross_validation() -> None:
    X, y, dates = _dated_toy(1)
    model, info = fit_calibrated(X, y, dates, Settings())
    assert (info.data, info.dates, info.rows) == ("3-fold cross-validation", (), len(y))
    assert model.predict_proba(X).shape == (len(X), 2)
