"""Train on past as-of dates, score at one date, backtest: what the page and CLI call.

Training dates step back from the as-of date (`as_of − horizon − k·step`), so every
training label is known from data before the as-of date: a backtest at a past date uses
nothing from after it. A short history learns what fits (`plan`), or falls back to the
label-free rhythm score; probabilities are calibrated out of time (`calibration`); trained
models are kept in the workspace (`store`). Models are trained on the whole dataset;
viewers' filters narrow the risk table afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from cmdash.engine import Engine
from cmdash.errors import InputError
from cmdash.retention.backtest import Backtest, evaluate
from cmdash.retention.calibration import Calibration, fit_calibrated
from cmdash.retention.features import (
    FeatureSet,
    Windows,
    customer_attributes,
    customer_features,
    label,
    outcomes,
)
from cmdash.retention.managers import ManagerRisk, manager_risk, rule_history
from cmdash.retention.model import RecencyFrequencyBaseline
from cmdash.retention.plan import MODEL, RHYTHM, TrainingPlan, plan_training
from cmdash.retention.reasons import contributions, top_reasons
from cmdash.retention.rhythm import RecencyRank, RhythmScore
from cmdash.retention.source import Source
from cmdash.retention.store import Loaded, load_or_train, model_key
from cmdash.settings import Values

#: progress(fraction done 0–1, label key of the step)
Progress = Callable[[float, str], None]


def _quiet(fraction: float, step: str) -> None:
    del fraction, step


@dataclass(frozen=True)
class Trained:
    as_of: dt.date  # scores are for this date; trained on labels known before it
    windows: Windows  # windows.horizon_days is the horizon learned (see plan)
    model: BaseEstimator  # calibrated LapseModel, or RhythmScore (plan.method == RHYTHM)
    baseline: BaseEstimator  # RecencyFrequencyBaseline, or RecencyRank for RHYTHM
    features: tuple[str, ...]
    unavailable: tuple[str, ...]  # tables with no rows: their inputs were not used
    train_dates: tuple[dt.date, ...]
    reference: pd.Series  # typical (median) training value per feature, for reasons
    rows: int  # training rows (customer × date); customers scored for RHYTHM
    lost: int  # of which lost within the horizon (0 for RHYTHM: no labels)
    plan: TrainingPlan  # what the history allowed, and the one-line note saying so
    calibration: Calibration | None = None  # None for RHYTHM (a rank, not a probability)

    @property
    def probabilities(self) -> bool:
        """True when `risk` is a calibrated probability of the asked horizon."""
        return self.plan.method == MODEL and not self.plan.shortened


@dataclass(frozen=True)
class RiskResult:
    as_of: dt.date
    windows: Windows
    customers: pd.DataFrame  # the risk table, riskiest first (see `score`)
    managers: ManagerRisk
    trained: Trained


def data_range(engine: Engine, settings: Values | None = None) -> tuple[dt.date, dt.date]:
    """The first and last order day (from the prepared layer's manifest when there is one
    for these settings)."""
    first, last = Source.of(engine, settings).sales_days()
    if pd.isna(first):
        raise InputError("The sales table has no rows: nothing to score", file="sales")
    return pd.Timestamp(first).date(), pd.Timestamp(last).date()


def plan_for(engine: Engine, as_of: dt.date, settings: Values,
             horizon_days: int | None = None) -> TrainingPlan:
    """What the history before `as_of` allows (see `plan.plan_training`)."""
    first, _ = data_range(engine, settings)
    windows = Windows.from_settings(settings, horizon_days)
    return plan_training(first, as_of, windows.horizon_days, windows.recent_days, settings)


def train(engine: Engine, as_of: dt.date, settings: Values,
          horizon_days: int | None = None, progress: Progress = _quiet) -> Trained:
    """Learn the lapse model on past dates, or fit the label-free score when the history
    (or the labels it gives) cannot teach one; `Trained.plan` says which."""
    rows = Source.of(engine, settings).rows()
    for table in ("sales", "customers", "managers"):
        if not rows.get(table):
            raise InputError(f"The {table} table has no rows: nothing to score", file=table)
    plan = plan_for(engine, as_of, settings, horizon_days)
    if plan.method == MODEL:
        trained = _train_model(engine, as_of, settings, plan, progress)
        if trained is not None:
            return trained
        plan = plan.with_method(RHYTHM)
    return _fit_rhythm(engine, as_of, settings, plan, progress)


def _train_model(engine: Engine, as_of: dt.date, settings: Values, plan: TrainingPlan,
                 progress: Progress) -> Trained | None:
    """None when the labels have too few lost or kept customers to learn from."""
    windows = Windows.from_settings(settings, plan.horizon_days)
    dates = plan.dates
    source = Source.of(engine, settings)
    progress(0.05, "retention.step.features")
    owners = rule_history(engine, dates, settings, source=source)
    fs = customer_features(engine, dates, windows, owners, source)
    progress(0.45, "retention.step.labels")
    closed = customer_attributes(engine).set_index("customer_id")["closed_date"]
    y = label(fs.frame, outcomes(engine, dates, windows, source), closed,
              windows.horizon_days)
    if min(int(y.sum()), int(len(y) - y.sum())) < int(settings["retention.min_class_rows"]):
        return None
    progress(0.55, "retention.step.train")
    X = fs.matrix()
    model, calibration = fit_calibrated(X, y, fs.frame["as_of"], settings)
    baseline = RecencyFrequencyBaseline().fit(X, y)
    return Trained(as_of, windows, model, baseline, fs.features, fs.unavailable, dates,
                   X.median(), len(y), int(y.sum()), plan, calibration)


def _fit_rhythm(engine: Engine, as_of: dt.date, settings: Values, plan: TrainingPlan,
                progress: Progress) -> Trained:
    """The label-free score, fitted on the customers at `as_of` (no labels, no future)."""
    windows = Windows.from_settings(settings, plan.asked_horizon_days)
    progress(0.3, "retention.step.features")
    source = Source.of(engine, settings)
    owners = rule_history(engine, [as_of], settings, source=source)
    fs = customer_features(engine, [as_of], windows, owners, source)
    X = fs.matrix()
    w = settings.group("retention.rhythm_weight")
    model = RhythmScore(w["overdue"], w["frequency"], w["value"],
                        float(settings["retention.rhythm_prior_gaps"])).fit(X)
    baseline = RecencyRank().fit(X)
    return Trained(as_of, windows, model, baseline, fs.features, fs.unavailable, (),
                   X.median(), len(X), 0, plan)


def saved_or_trained(workspace: Path, version: str, engine: Engine, as_of: dt.date,
                     settings: Values, horizon_days: int | None = None,
                     progress: Progress = _quiet) -> Loaded:
    """The model for (dataset version, as-of, horizon, settings) from the workspace, or
    trained now and saved there (see `store`): the CLI and the app train once."""
    key = model_key(version, as_of, horizon_days, settings)
    return load_or_train(workspace, key,
                         lambda: train(engine, as_of, settings, horizon_days, progress))


def features_at(engine: Engine, trained: Trained, settings: Values,
                source: Source | None = None) -> FeatureSet:
    source = source or Source.of(engine, settings)
    owners = rule_history(engine, [trained.as_of], settings, source=source)
    return customer_features(engine, [trained.as_of], trained.windows, owners, source)


def score(engine: Engine, trained: Trained, settings: Values, lang: str = "zh"
          ) -> pd.DataFrame:
    """Every active customer at the as-of date, riskiest first: ids and names, the current
    manager and org, risk, baseline_risk, reason_keys, last order and visit, expected
    volume over the horizon (条), volume at risk and a suggested next visit date."""
    del lang  # reasons are keys here; worded by reasons.words in the caller's language
    fs = features_at(engine, trained, settings)
    frame = fs.frame
    X = frame[list(trained.features)]
    frame["risk"] = trained.model.predict_proba(X)[:, 1] if len(X) else []
    frame["baseline_risk"] = trained.baseline.predict_proba(X)[:, 1] if len(X) else []
    # a contribution is at most the risk itself, so customers below the smallest reason
    # worth showing cannot have one: only the rest are asked again (exact, and most are low)
    min_delta = float(settings["retention.reason_min_delta"])
    asked = (frame["risk"] >= max(min_delta, 1e-9)).to_numpy()
    contrib = contributions(trained.model, X[asked], trained.reference) if asked.any() \
        else pd.DataFrame()
    keys = pd.Series([()] * len(frame), index=frame.index, dtype=object)
    keys[asked] = pd.Series(top_reasons(contrib, min_delta), index=X.index[asked],
                            dtype=object)
    frame["reason_keys"] = keys
    frame["usual_gap"] = frame["recency_days"] / frame["overdue_cycles"]
    w = trained.windows
    frame["expected_units"] = (frame["units_recent"] / w.recent_days
                               * trained.plan.asked_horizon_days)
    frame["volume_at_risk"] = frame["risk"] * frame["expected_units"]
    frame["next_visit"] = _next_visit(frame, settings)
    attrs = customer_attributes(engine)[["customer_id", "name", "manager_id", "manager_name",
                                         "region", "district", "tier", "format"]]
    out = attrs.merge(frame, on="customer_id", how="inner")
    return out.sort_values(["risk", "customer_id"], ascending=[False, True],
                           ignore_index=True)


def _next_visit(frame: pd.DataFrame, settings: Values) -> pd.Series:
    """High risk: within the lead days; half the cut-off: twice that; else four times."""
    cut = float(settings["retention.risk_cutoff"])
    lead = int(settings["retention.visit_lead_days"])
    days = np.where(frame["risk"] >= cut, lead, np.where(frame["risk"] >= cut / 2, 2 * lead,
                                                         4 * lead))
    return frame["as_of"] + pd.to_timedelta(days, unit="D")


def books(customers: pd.DataFrame) -> pd.DataFrame:
    """manager_id, as_of, customers, exposure_volume: what depends on each manager."""
    if customers.empty:
        return pd.DataFrame(columns=["manager_id", "as_of", "customers", "exposure_volume"])
    return customers.groupby(["manager_id", "as_of"], as_index=False).agg(
        customers=("customer_id", "size"), exposure_volume=("expected_units", "sum"))


def assess(engine: Engine, settings: Values, as_of: dt.date | None = None,
           horizon_days: int | None = None, progress: Progress = _quiet,
           trained: Trained | None = None) -> RiskResult:
    """Train (unless `trained` is given) and score customers and managers at `as_of`
    (default: the last order date in the data)."""
    as_of = as_of or data_range(engine, settings)[1]
    trained = trained or train(engine, as_of, settings, horizon_days, progress)
    progress(0.8, "retention.step.score")
    customers = score(engine, trained, settings)
    progress(0.9, "retention.step.managers")
    book = books(customers)
    mgr = manager_risk(engine, as_of, trained.train_dates, settings,
                       trained.windows.horizon_days,
                       book)
    exposure = book.drop(columns="as_of")
    frame = mgr.frame.drop(columns=["customers"], errors="ignore").merge(
        exposure, on="manager_id", how="left")
    frame[["customers", "exposure_volume"]] = frame[["customers", "exposure_volume"]].fillna(0)
    managers = ManagerRisk(frame.sort_values("risk", ascending=False, ignore_index=True),
                           mgr.method, mgr.signals, mgr.leavers)
    progress(1.0, "retention.step.done")
    return RiskResult(as_of, trained.windows, customers, managers, trained)


def check_covered(engine: Engine, as_of: dt.date, settings: Values,
                  horizon_days: int | None = None) -> Windows:
    """The windows, once sure the data cover the horizon after `as_of` (else InputError)."""
    windows = Windows.from_settings(settings, horizon_days)
    _, last = data_range(engine, settings)
    if as_of + dt.timedelta(days=windows.horizon_days) > last:
        latest = last - dt.timedelta(days=windows.horizon_days)
        raise InputError(f"The data end on {last}: a {windows.horizon_days}-day horizon after "
                         f"{as_of} is not covered; use an as-of date on or before {latest}",
                         file="sales")
    return windows


def backtest(engine: Engine, as_of: dt.date, settings: Values,
             horizon_days: int | None = None, progress: Progress = _quiet,
             trained: Trained | None = None) -> Backtest:
    """Train on data before `as_of` (unless `trained` is given), score at it, compare with
    what happened in the asked horizon after it."""
    rows, trained = _predictions(engine, as_of, settings, horizon_days, progress, trained)
    p = trained.probabilities
    result = Backtest(as_of, trained.plan.asked_horizon_days,
                      evaluate(rows["lost"], rows["risk"], probability=p),
                      evaluate(rows["lost"], rows["baseline_risk"],
                               probability=p and trained.plan.method == MODEL),
                      trained.train_dates, trained.rows, trained.unavailable,
                      trained.plan.to_dict(), _calibration_dict(trained.calibration))
    progress(1.0, "retention.step.done")
    return result


def _calibration_dict(c: Calibration | None) -> dict:
    if c is None:
        return {}
    return {"method": c.method, "data": c.data, "dates": [d.isoformat() for d in c.dates],
            "rows": c.rows, "lost": c.lost}


def backtest_predictions(engine: Engine, as_of: dt.date, settings: Values,
                         horizon_days: int | None = None,
                         trained: Trained | None = None) -> pd.DataFrame:
    """customer_id, as_of, risk, baseline_risk, lost (within the asked horizon): a
    backtest's rows, for checks against other answers (such as a demo's planted lapses)."""
    return _predictions(engine, as_of, settings, horizon_days, _quiet, trained)[0]


def _predictions(engine: Engine, as_of: dt.date, settings: Values,
                 horizon_days: int | None, progress: Progress, trained: Trained | None
                 ) -> tuple[pd.DataFrame, Trained]:
    windows = check_covered(engine, as_of, settings, horizon_days)
    trained = trained or train(engine, as_of, settings, windows.horizon_days, progress)
    progress(0.8, "retention.step.score")
    source = Source.of(engine, settings)
    fs = features_at(engine, trained, settings, source)
    closed = customer_attributes(engine).set_index("customer_id")["closed_date"]
    X = fs.frame[list(trained.features)]
    out = fs.frame[["customer_id", "as_of"]].copy()
    out["risk"] = trained.model.predict_proba(X)[:, 1] if len(X) else []
    out["baseline_risk"] = trained.baseline.predict_proba(X)[:, 1] if len(X) else []
    out["lost"] = label(fs.frame, outcomes(engine, [as_of], windows, source), closed,
                        windows.horizon_days)
    return out, trained
