"""Manager attrition risk (docs/retention.md): signals per manager at as-of dates, a weighted rule,
and a model trained on the managers who actually left when there are enough of them.

Each signal is scaled to 0–1 (1 = the strongest warning) so the rule is a weighted mean
whose weights are settings, and so a reason can name the signals that weigh most.
Signals whose tables are empty are skipped, and the rule averages over the rest.
The contract carries no pay data, so "pay tier below peers" cannot be used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from cmdash.engine import Engine
from cmdash.kpi.facts import EARLY_HOUR, LATE_HOUR
from cmdash.query import run
from cmdash.retention import queries as Q
from cmdash.retention.features import HISTORY_DAYS, unavailable_tables
from cmdash.retention.source import Source
from cmdash.settings import Values

#: signal -> the tables it needs rows in (beyond managers and sales).
SIGNALS: dict[str, tuple[str, ...]] = {
    "below_target": ("targets",),
    "negative_events": ("events",),
    "quota_squeeze": ("targets",),
    "short_tenure": (),
    "after_hours": ("visits",),
    "fading": (),
    "lacking_drive": ("visits", "targets"),
    "resentful": ("events",),
}
#: Events that count as a warning (talks and sanctions), looked for in the last 7 months.
WARNING_EVENTS = ("talk", "bonus_cut", "quota_increase", "demotion", "appeal")
EVENT_DAYS = 210
# activity outside EARLY_HOUR–LATE_HOUR (07:00–20:00) counts as after hours: declared with
# the visits fact, whose prepared measure `after_hours_visits` counts it


@dataclass(frozen=True)
class ManagerRisk:
    frame: pd.DataFrame  # manager_id, as_of, risk, the signals (0–1), exposure columns
    method: str  # "model" (trained on leavers) or "rule" (weighted signals)
    signals: tuple[str, ...]  # the signals available on this dataset
    leavers: int  # managers who left within a training horizon


def weights(settings: Values) -> dict[str, float]:
    w = settings.group("retention.manager_weight")
    # the two coaching-type signals share the weight of the negative events and fading
    return {**w, "lacking_drive": w["fading"] / 2, "resentful": w["negative_events"] / 2}


def manager_signals(engine: Engine, as_of: Sequence[dt.date], settings: Values,
                    books: pd.DataFrame | None = None, source: Source | None = None
                    ) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """(manager_id, as_of, one column per signal), for managers employed at each date.

    `books` (manager_id, as_of, customers) is each manager's book size; without it the
    customers the manager sold to in the last complete month are counted instead.
    `source`: where the fact rows come from (default: the prepared layer for `settings`).
    """
    source = source or Source.of(engine, settings)
    missing = set(unavailable_tables(engine, source))
    dates = sorted(as_of)
    params = {"history_start": dates[0] - dt.timedelta(days=HISTORY_DAYS + 1),
              "history_end": dates[-1], "late_hour": LATE_HOUR, "early_hour": EARLY_HOUR}
    months = source.run(Q.MANAGER_MONTHS, params)
    events = run(engine, Q.MANAGER_EVENTS, None, params)
    people = run(engine, Q.MANAGER_ATTRIBUTES)
    short = int(settings["retention.manager_short_tenure_days"])
    rows = []
    for day in dates:
        at = pd.Timestamp(day)
        staff = people[(people["hire_date"] <= at) & ~(people["left_date"] <= at)]
        done = months[months["month"] + pd.offsets.MonthBegin(1) <= at + pd.Timedelta(days=1)]
        frame = _month_signals(staff[["manager_id"]].copy(), done)
        frame["as_of"] = at
        tenure = (at - staff.set_index("manager_id")["hire_date"]).dt.days
        frame["tenure_days"] = frame["manager_id"].map(tenure).to_numpy()
        book = _book(frame, done, books, at)
        small = book < 0.75 * np.nanmedian(book) if len(book) else book
        frame["book"] = book
        frame["short_tenure"] = np.where(frame["tenure_days"] < short,
                                         np.where(small, 1.0, 0.5), 0.0)
        recent = events[(events["event_date"] <= at)
                        & (events["event_date"] > at - pd.Timedelta(days=EVENT_DAYS))
                        & events["kind"].isin(WARNING_EVENTS)]
        count = recent.groupby("manager_id").size()
        frame["negative_events"] = (frame["manager_id"].map(count).fillna(0) / 2).clip(0, 1)
        frame["resentful"] = np.where(frame["negative_events"] > 0,
                                      frame.pop("_decline"), 0.0)
        rows.append(frame)
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    usable = tuple(s for s, needs in SIGNALS.items() if not set(needs) & missing)
    return out, usable


def _book(frame: pd.DataFrame, done: pd.DataFrame, books: pd.DataFrame | None,
          at: pd.Timestamp) -> np.ndarray:
    if books is not None and not books.empty:
        mine = books[books["as_of"] == at].set_index("manager_id")["customers"]
        return frame["manager_id"].map(mine).fillna(0).to_numpy(dtype=float)
    last = done[done["month"] == done["month"].max()].set_index("manager_id")["customers"]
    return frame["manager_id"].map(last).fillna(0).to_numpy(dtype=float)


def _month_signals(frame: pd.DataFrame, done: pd.DataFrame) -> pd.DataFrame:
    """Signals from the complete months before the date: target runs, trends, hours."""
    months = sorted(done["month"].unique())
    last3, prev3 = months[-3:], months[-6:-3]
    by = done.set_index(["manager_id", "month"]).sort_index()

    index = pd.Index(frame["manager_id"].unique())

    def total(col: str, window: list) -> pd.Series:
        part = done[done["month"].isin(window)]
        return part.groupby("manager_id")[col].sum(min_count=1).reindex(index)

    ids = frame["manager_id"]
    # consecutive complete months below target, counted back from the latest
    below = (by["units"] < by["sales_target"]).where(by["sales_target"].notna())
    run_len = pd.Series(0.0, index=index)
    alive = pd.Series(True, index=run_len.index)
    for month in reversed(months[-6:]):
        hit = below.xs(month, level="month").reindex(run_len.index).fillna(False).astype(bool)
        alive &= hit
        run_len += alive.astype(float)
    frame["below_target"] = ids.map(run_len / 3).clip(0, 1).fillna(0).to_numpy()
    attain_now = total("units", last3) / total("sales_target", last3)
    attain_before = total("units", prev3) / total("sales_target", prev3)
    quota_up = total("sales_target", last3) / total("sales_target", prev3) - 1
    squeeze = (quota_up / 0.2).clip(0, 1) * (attain_now <= attain_before + 0.02)
    frame["quota_squeeze"] = ids.map(squeeze).fillna(0).to_numpy()
    hours = total("after_hours", last3) / total("visits", last3)
    frame["after_hours"] = ids.map(((hours - 0.15) / 0.25).clip(0, 1)).fillna(0).to_numpy()
    # falling volume and visits, relative to the company's own change (seasons cancel out)
    vol = total("units", last3) / total("units", prev3)
    vis = total("visits", last3) / total("visits", prev3)
    vol_drop, vis_drop = _drop(vol), _drop(vis)
    fading = ((vol_drop.fillna(0).clip(0, 1) + vis_drop.reindex(vol_drop.index).fillna(0)
               .clip(0, 1)) / 0.3).clip(0, 1)
    frame["fading"] = ids.map(fading).fillna(0).to_numpy()
    frame["_decline"] = ids.map((vol_drop / 0.2).clip(0, 1)).fillna(0).to_numpy()
    plan = total("visits", last3) / total("visit_target", last3)
    frame["lacking_drive"] = ids.map(((0.9 - plan) / 0.3).clip(0, 1)).fillna(0).to_numpy()
    return frame


def _drop(ratio: pd.Series) -> pd.Series:
    """1 − ratio / the median ratio: how much more this manager fell than the others."""
    if ratio.notna().sum() == 0:
        return ratio.fillna(0.0)
    return 1 - ratio / np.nanmedian(ratio)


def rule_risk(signals: pd.DataFrame, usable: Sequence[str], settings: Values
              ) -> np.ndarray:
    """The weighted mean of the available signals (0–1)."""
    w = weights(settings)
    total = sum(w[s] for s in usable) or 1.0
    return sum(signals[s].to_numpy() * w[s] for s in usable) / total


def left_within(signals: pd.DataFrame, people: pd.DataFrame, horizon_days: int) -> np.ndarray:
    left = signals["manager_id"].map(people.set_index("manager_id")["left_date"])
    left = pd.to_datetime(left)
    ends = signals["as_of"] + pd.Timedelta(days=horizon_days)
    return (left.notna() & (left > signals["as_of"]) & (left <= ends)).to_numpy(dtype=int)


def manager_risk(engine: Engine, as_of: dt.date, train_dates: Sequence[dt.date],
                 settings: Values, horizon_days: int,
                 books: pd.DataFrame | None = None, source: Source | None = None
                 ) -> ManagerRisk:
    """Risk at `as_of`: a logistic model on the signals when at least
    `retention.manager_min_leavers` managers left within a horizon of the training dates,
    otherwise the weighted rule."""
    dates = sorted({*train_dates, as_of})
    signals, usable = manager_signals(engine, dates, settings, books, source)
    at = pd.Timestamp(as_of)
    now = signals[signals["as_of"] == at].copy()
    past = signals[signals["as_of"] < at]
    people = run(engine, Q.MANAGER_ATTRIBUTES)
    y = left_within(past, people, horizon_days) if len(past) else np.zeros(0, int)
    leavers = int(past.loc[y == 1, "manager_id"].nunique()) if len(past) else 0
    if leavers >= int(settings["retention.manager_min_leavers"]) and usable:
        logit = LogisticRegression(C=1.0, class_weight="balanced").fit(
            past[list(usable)].to_numpy(), y)
        now["risk"] = logit.predict_proba(now[list(usable)].to_numpy())[:, 1]
        method = "model"
        contrib = now[list(usable)].to_numpy() * np.clip(logit.coef_[0], 0, None)
    else:
        now["risk"] = rule_risk(now, usable, settings)
        method = "rule"
        w = weights(settings)
        contrib = now[list(usable)].to_numpy() * np.array([w[s] for s in usable])
    order = np.argsort(-contrib, axis=1)
    now["reason_keys"] = [
        tuple(usable[j] for j in row[:3] if c[j] > 0) for row, c in zip(order, contrib,
                                                                       strict=True)]
    return ManagerRisk(now.reset_index(drop=True), method, tuple(usable), leavers)


def rule_history(engine: Engine, dates: Sequence[dt.date], settings: Values,
                 books: pd.DataFrame | None = None, source: Source | None = None
                 ) -> pd.DataFrame:
    """manager_id, as_of, risk by the rule at each date: the owner-risk customer feature."""
    signals, usable = manager_signals(engine, dates, settings, books, source)
    signals["risk"] = rule_risk(signals, usable, settings) if len(signals) else []
    return signals[["manager_id", "as_of", "risk"]]
