"""Customer features at as-of dates: what the lapse model and its reasons read.

One call computes the features of every customer active at each of several as-of dates
(training dates and the scoring date alike) from four queries, so training costs a few
scans, not one per date. Only data on or before each as-of date is used. Inputs whose
tables are empty are left out and named in `FeatureSet.unavailable`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cmdash.engine import Engine
from cmdash.query import run
from cmdash.retention import queries as Q
from cmdash.retention.source import Source
from cmdash.settings import Values

#: Order history read before each as-of date (days); longer windows are not used.
HISTORY_DAYS = 365
#: The last few weeks, against the same base window: catches a fall that just started.
SHORT_DAYS = 30


@dataclass(frozen=True)
class Windows:
    """The day counts every query binds; from the retention settings."""

    horizon_days: int = 90  # lost = no order within this many days after the as-of date
    active_days: int = 90  # scored only if it ordered within this many days before
    recent_days: int = 60  # "recent" window for trends
    base_days: int = 180  # the window before it that trends compare against
    handover_days: int = 120  # a manager change is looked for within this many days

    @classmethod
    def from_settings(cls, settings: Values, horizon_days: int | None = None) -> Windows:
        return cls(
            horizon_days=int(horizon_days or settings["retention.horizon_days"]),
            active_days=int(settings["retention.active_days"]),
            recent_days=int(settings["retention.recent_days"]),
            base_days=int(settings["retention.base_days"]),
            handover_days=int(settings["retention.handover_days"]),
        )

    def params(self, as_of: Sequence[dt.date], *, ahead: int = 0) -> dict[str, object]:
        dates = sorted(as_of)
        return {
            "as_of": list(dates),
            "history_start": dates[0] - dt.timedelta(days=HISTORY_DAYS + 1),
            "history_end": dates[-1] + dt.timedelta(days=ahead),
            "history_days": HISTORY_DAYS,
            "recent_days": self.recent_days,
            "short_days": SHORT_DAYS,
            "base_days": self.base_days,
            "cycle_days": self.base_days,
            "handover_days": self.handover_days,
            "horizon_days": self.horizon_days,
        }


@dataclass(frozen=True)
class Feature:
    name: str
    group: str  # the reason it feeds (see reasons.REASONS)
    table: str  # the contract table it needs rows in
    categorical: bool = False


FEATURES: tuple[Feature, ...] = (
    Feature("recency_days", "recency", "sales"),
    Feature("overdue_cycles", "recency", "sales"),
    Feature("orders_year", "frequency", "sales"),
    Feature("frequency_trend", "frequency", "sales"),
    Feature("frequency_trend_short", "frequency", "sales"),
    Feature("volume_trend", "volume", "sales"),
    Feature("volume_trend_short", "volume", "sales"),
    Feature("units_month", "value", "sales"),
    Feature("gap_cv", "regularity", "sales"),
    Feature("tenure_days", "profile", "customers"),
    Feature("tier_rank", "profile", "customers"),
    Feature("format_code", "profile", "customers", categorical=True),
    Feature("area_code", "profile", "customers", categorical=True),
    Feature("manager_changed", "handover", "sales"),
    Feature("previous_owner_left", "manager_left", "managers"),
    Feature("owner_left", "manager_left", "managers"),
    Feature("owner_attrition", "manager_risk", "managers"),
    Feature("no_handover_visit", "handover", "visits"),
    Feature("days_since_visit", "visits", "visits"),
    Feature("visits_recent", "visits", "visits"),
    Feature("visits_trend", "visits", "visits"),
    Feature("issues_open", "issues", "visits"),
    Feature("complaints_recent", "complaints", "feedback"),
    Feature("complaints_open", "complaints", "feedback"),
    Feature("complaint_days", "complaints", "feedback"),
    Feature("rating_recent", "ratings", "feedback"),
    Feature("rating_change", "ratings", "feedback"),
)
BY_NAME = {f.name: f for f in FEATURES}
#: Carried beside the features for display and roll-ups; never fed to a model.
CONTEXT = ("customer_id", "as_of", "owner_id", "last_order", "last_visit", "units_recent")


@dataclass(frozen=True)
class FeatureSet:
    frame: pd.DataFrame  # one row per active customer × as-of date: CONTEXT + features
    features: tuple[str, ...]  # the feature columns usable on this dataset
    unavailable: tuple[str, ...]  # contract tables with no rows, whose inputs were skipped
    windows: Windows = field(default_factory=Windows)

    def matrix(self) -> pd.DataFrame:
        return self.frame[list(self.features)]


def unavailable_tables(engine: Engine, source: Source | None = None) -> tuple[str, ...]:
    rows = (source or Source.of(engine)).rows()
    return tuple(t for t in ("visits", "feedback", "targets", "events") if rows.get(t, 0) == 0)


def customer_features(engine: Engine, as_of: Sequence[dt.date], windows: Windows,
                      manager_risk: pd.DataFrame | None = None,
                      source: Source | None = None) -> FeatureSet:
    """Features of every customer active at each date (opened, not closed, ordered within
    `windows.active_days`). `manager_risk` (manager_id, as_of, risk) adds the owner's
    attrition risk. `source`: where the fact rows come from (default: the engine's
    prepared layer for the default settings, else the fact files)."""
    params = windows.params(as_of)
    source = source or Source.of(engine)
    missing = unavailable_tables(engine, source)
    orders = source.run(Q.CUSTOMER_ORDERS, params)
    customers = customer_attributes(engine)
    managers = run(engine, Q.MANAGER_ATTRIBUTES, None, {})
    frame = orders.merge(customers[["customer_id", "tier_rank", "format_code", "area_code",
                                    "opened_date", "closed_date"]], on="customer_id",
                         how="inner")
    frame = _active(frame, windows)
    _order_features(frame, windows)
    _owner_features(frame, managers, manager_risk)
    frame["last_visit"] = pd.NaT
    if "visits" not in missing:
        _visit_features(frame, source.run(Q.CUSTOMER_VISITS, params), windows)
    if "feedback" not in missing:
        _feedback_features(frame, source.run(Q.CUSTOMER_FEEDBACK, params))
    usable = tuple(f.name for f in FEATURES if f.table not in missing
                   and (f.name != "owner_attrition" or manager_risk is not None))
    for name in usable:
        frame[name] = settled(frame[name].astype("float64"))
    # one row order whatever the storage layout, so a model trains the same on a copy
    frame = frame[[*CONTEXT, *usable]].sort_values(["as_of", "customer_id"],
                                                   ignore_index=True)
    return FeatureSet(frame, usable, missing, windows)


def settled(values: pd.Series, digits: int = 12) -> pd.Series:
    """Values rounded to `digits` significant digits. Engines add in different orders, so
    a ratio can differ in its last bit between DuckDB and Spark; equal values must stay
    equal, or the boosted trees split them apart and the risks differ by engine."""
    x = values.to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        mag = np.floor(np.log10(np.abs(x)))
        scale = 10.0 ** (digits - 1 - np.where(np.isfinite(mag), mag, 0))
        out = np.where(np.isfinite(x) & (x != 0), np.round(x * scale) / scale, x)
    return pd.Series(out, index=values.index, name=values.name)


def customer_attributes(engine: Engine) -> pd.DataFrame:
    """Customers with their manager's names and stable numeric codes for tier and format."""
    c = run(engine, Q.CUSTOMER_ATTRIBUTES)
    tier = pd.to_numeric(c["tier"], errors="coerce")
    if tier.isna().any():  # tiers that are not numbers rank in text order
        tier = c["tier"].rank(method="dense")
    c["tier_rank"] = tier
    for col, code in (("format", "format_code"), ("area_type", "area_code")):
        values = sorted(c[col].dropna().unique())
        c[code] = c[col].map({v: float(i) for i, v in enumerate(values)})
    return c


def _active(frame: pd.DataFrame, w: Windows) -> pd.DataFrame:
    as_of = frame["as_of"]
    keep = (frame["opened_date"] <= as_of) & ~(frame["closed_date"] <= as_of)
    keep &= (as_of - frame["last_order"]).dt.days < w.active_days
    return frame[keep].copy()


def _ratio(recent: pd.Series, base: pd.Series, recent_days: int, base_days: int) -> pd.Series:
    """Recent daily rate over the base daily rate; NaN without a base."""
    base_rate = base / base_days
    return (recent / recent_days) / base_rate.where(base_rate > 0)


def _order_features(f: pd.DataFrame, w: Windows) -> None:
    f["recency_days"] = (f["as_of"] - f["last_order"]).dt.days
    f["overdue_cycles"] = f["recency_days"] / f["gap_mean"].where(f["gap_mean"] > 0)
    f["frequency_trend"] = _ratio(f["orders_recent"], f["orders_base"], w.recent_days,
                                  w.base_days)
    f["volume_trend"] = _ratio(f["units_recent"], f["units_base"], w.recent_days, w.base_days)
    f["frequency_trend_short"] = _ratio(f["orders_short"], f["orders_base"], SHORT_DAYS,
                                        w.base_days)
    f["volume_trend_short"] = _ratio(f["units_short"], f["units_base"], SHORT_DAYS,
                                     w.base_days)
    f["units_month"] = f["units_recent"] / w.recent_days * 30
    f["gap_cv"] = f["gap_std"] / f["gap_mean"].where(f["gap_mean"] > 0)
    f["tenure_days"] = (f["as_of"] - f["opened_date"]).dt.days


def _owner_features(f: pd.DataFrame, managers: pd.DataFrame,
                    manager_risk: pd.DataFrame | None) -> None:
    left = managers.set_index("manager_id")["left_date"]
    f["manager_changed"] = (f["previous_owner_id"].notna()
                            & (f["previous_owner_id"] != f["owner_id"])).astype(float)
    for who, col in (("previous_owner_id", "previous_owner_left"), ("owner_id", "owner_left")):
        gone = f[who].map(left)
        f[col] = (gone.notna() & (pd.to_datetime(gone) <= f["as_of"])).astype(float)
    f["owner_attrition"] = np.nan
    if manager_risk is not None and not manager_risk.empty:
        risk = manager_risk[["manager_id", "as_of", "risk"]].rename(
            columns={"manager_id": "owner_id", "risk": "owner_attrition"})
        merged = f[["owner_id", "as_of"]].merge(risk, on=["owner_id", "as_of"], how="left")
        f["owner_attrition"] = merged["owner_attrition"].to_numpy()


def _visit_features(f: pd.DataFrame, visits: pd.DataFrame, w: Windows) -> None:
    key = ["customer_id", "as_of"]
    total = visits.groupby(key, as_index=False).agg(
        last_visit=("last_visit", "max"), visits_recent=("visits_recent", "sum"),
        visits_base=("visits_base", "sum"), issues_open=("issues_open", "sum"))
    owner = visits.rename(columns={"manager_id": "owner_id"})[
        [*key, "owner_id", "visits_handover"]]
    merged = f[[*key, "owner_id"]].merge(total, on=key, how="left").merge(
        owner, on=[*key, "owner_id"], how="left")
    f["last_visit"] = merged["last_visit"].to_numpy()
    # never visited within the history: as long ago as the history reaches
    days = (f["as_of"] - f["last_visit"]).dt.days
    f["days_since_visit"] = days.fillna(HISTORY_DAYS).to_numpy()
    f["visits_recent"] = merged["visits_recent"].fillna(0).to_numpy()
    f["visits_trend"] = _ratio(merged["visits_recent"].fillna(0),
                               merged["visits_base"].fillna(0), w.recent_days,
                               w.base_days).to_numpy()
    f["issues_open"] = merged["issues_open"].fillna(0).clip(lower=0).to_numpy()
    seen = merged["visits_handover"].fillna(0).to_numpy() > 0
    f["no_handover_visit"] = ((f["manager_changed"] > 0) & ~seen).astype(float)


def _feedback_features(f: pd.DataFrame, feedback: pd.DataFrame) -> None:
    merged = f[["customer_id", "as_of"]].merge(feedback, on=["customer_id", "as_of"],
                                               how="left")
    for col in ("complaints_recent", "complaints_open"):
        f[col] = merged[col].fillna(0).to_numpy()
    f["complaint_days"] = merged["complaint_days"].to_numpy()
    f["rating_recent"] = merged["rating_recent"].to_numpy()
    f["rating_change"] = (merged["rating_recent"] - merged["rating_base"]).to_numpy()


def outcomes(engine: Engine, as_of: Sequence[dt.date], windows: Windows,
             source: Source | None = None) -> pd.DataFrame:
    """What happened after each date: customer_id, as_of, next_order.

    Lost = no order within the horizon, or closed within it (see `label`). Only meaningful
    for dates whose horizon the data covers (see `pipeline.check_covered`)."""
    params = windows.params(as_of, ahead=windows.horizon_days)
    return (source or Source.of(engine)).run(Q.CUSTOMER_OUTCOMES, params)


def label(frame: pd.DataFrame, nxt: pd.DataFrame, closed: pd.Series, horizon: int
          ) -> pd.Series:
    """1 when the customer in `frame` (customer_id, as_of) was lost within the horizon."""
    merged = frame[["customer_id", "as_of"]].merge(nxt, on=["customer_id", "as_of"],
                                                   how="left")
    closed_at = merged["customer_id"].map(closed)
    ends = merged["as_of"] + pd.Timedelta(days=horizon)
    shut = closed_at.notna() & (closed_at > merged["as_of"]) & (closed_at <= ends)
    lost = merged["next_order"].isna() | shut
    return pd.Series(lost.astype(int).to_numpy(), index=frame.index, name="lost")
