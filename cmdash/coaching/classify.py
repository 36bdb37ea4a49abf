"""The rules applied: every manager against every type, with strength and evidence.

Pure pandas on the feature table, so moving a threshold re-classifies in milliseconds
without touching the engine or the scan.

Per test: the cut is the peers' percentile (peer tests) or the set value (value tests); a
test passes when the manager is past the cut on the behaviour's side. Its depth is 0 when
it fails and 0.25–1 when it passes, growing with the distance past the cut in the peers'
robust spread (IQR / 1.35), full at two spreads. A test on a value that is missing is "not
measured": it neither passes nor fails.

A type is flagged when all its required tests (the type's preconditions) pass, at least
`min_pass` (k) of its evidence tests pass, counted among those measured for the manager, and
its strength (below) reaches `coaching.min_strength`: enough signals, shown clearly enough.
A manager with fewer than k measurable evidence tests is not assessed for that type. A type is
not assessable on a dataset (with the reason) when a table it needs has no rows, a required
feature is measured for nobody, or fewer than k of its evidence features are measured for
anybody. Strength: the mean depth of the type's strongest (required + k) tests, blended with
its mean depth over all measured tests (0.8 : 0.2), so a clear showing of enough signals
counts more than many faint ones. The primary type is the flagged one (work-style flags
excluded) with the highest strength.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from cmdash.coaching.types import TYPES, CoachingType, Test
from cmdash.settings import Values

NONE = "none"  # the type of a manager with no flagged type


_EVIDENCE = ("manager", "type", "feature", "value", "peer_median", "threshold", "setting",
             "side", "kind", "required", "passed", "depth", "status", "why")
#: Where a feature comes from: without rows in these tables it cannot be measured.
FEATURE_TABLES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("complaints_per_100", "mean_rating", "repeat_share", "resolution_days",
                     "praise_per_100"), ("feedback",)),
    **dict.fromkeys(("plan_execution", "forecast_bias", "attainment_base", "attainment_recent",
                     "quarter_decay", "attainment_history"),
                    ("targets",)),
    "end_hour": ("checkins",),
    **dict.fromkeys(("event_months", "post_event_trend", "post_event_visits",
                     "post_event_decline"), ("events",)),
}
STRONGEST_SHARE = 0.8  # strength: weight of the strongest (required + k) tests' mean depth


@dataclass(frozen=True)
class Classification:
    flags: pd.DataFrame  # manager, type, strength (0–1), primary (bool), style (bool)
    primary: pd.Series  # manager -> primary type id, or "none"
    #: type -> why it cannot be assessed: table names, "feature:<id>" (a required feature
    #: measured for nobody) or "few:<n>/<k>" (only n evidence features measurable, k needed)
    not_assessable: dict[str, tuple[str, ...]] = field(default_factory=dict)
    not_measured: dict[str, str] = field(default_factory=dict)  # feature -> why (unmeasured)
    managers: np.ndarray = field(default_factory=lambda: np.array([]))
    results: tuple = ()  # (type id, Test, setting, {column: array}) per test run

    @cached_property
    def evidence(self) -> pd.DataFrame:
        """Every test of every assessed type for every manager: manager, type, feature,
        value, peer_median, threshold, setting, side, kind, required, passed, depth, status
        ("passed", "failed" or "not_measured") and why (for not measured: see
        `unmeasured_reason`; "manager" when only this manager lacks the data).

        Built on first use, so re-classifying for a new threshold stays cheap."""
        n = len(self.managers)
        cols: dict[str, list] = {c: [] for c in _EVIDENCE}
        for type_id, test, setting, r in self.results:
            why = self.not_measured.get(test.feature, "manager")
            status = np.where(np.isnan(r["value"]), "not_measured",
                              np.where(r["passed"], "passed", "failed"))
            fixed = {"type": type_id, "feature": test.feature, "setting": setting,
                     "side": test.side, "kind": test.kind, "required": test.required,
                     "status": status, "why": np.where(np.isnan(r["value"]), why, "")}
            cols["manager"].append(self.managers)
            for c in _EVIDENCE[1:]:
                v = r[c] if c in r else fixed[c]
                cols[c].append(v if isinstance(v, np.ndarray) else np.full(n, v, dtype=object))
        frame = pd.DataFrame({c: np.concatenate(v) if v else [] for c, v in cols.items()})
        for c in ("type", "feature", "side", "kind", "status"):
            frame[c] = frame[c].astype("category")
        return frame


class Peers:
    """Percentiles and spreads of each feature among the manager's peers, computed once.

    numpy throughout: a re-classification after a threshold change must stay well under
    100 ms for thousands of managers.
    """

    def __init__(self, features: pd.DataFrame, group: str) -> None:
        self.f = features
        if group == "all" or group not in features:
            self.codes = np.zeros(len(features), dtype=np.int64)
        else:
            self.codes = pd.factorize(features[group].astype("object").fillna("?"))[0]
        self.groups = [np.flatnonzero(self.codes == g) for g in np.unique(self.codes)]
        self._values: dict[str, np.ndarray] = {}
        self._cache: dict[tuple[str, float], np.ndarray] = {}
        self._sorted_cache: dict[str, list[np.ndarray]] = {}

    def values(self, feature: str) -> np.ndarray:
        hit = self._values.get(feature)
        if hit is None:
            hit = (self.f[feature].to_numpy(dtype="float64", na_value=np.nan)
                   if feature in self.f else np.full(len(self.f), np.nan))  # not measured
            self._values[feature] = hit
        return hit

    def _sorted(self, feature: str) -> list[np.ndarray]:
        """Per peer group, the finite values sorted (once per feature)."""
        hit = self._sorted_cache.get(feature)
        if hit is None:
            v = self.values(feature)
            hit = [np.sort(part[np.isfinite(part)]) for part in (v[r] for r in self.groups)]
            self._sorted_cache[feature] = hit
        return hit

    def quantile(self, feature: str, q: float) -> np.ndarray:
        """numpy's default (linear) quantile per peer group, broadcast to the managers."""
        hit = self._cache.get((feature, q))
        if hit is None:
            hit = np.full(len(self.codes), np.nan)
            for rows, ordered in zip(self.groups, self._sorted(feature), strict=True):
                if len(ordered):
                    pos = q * (len(ordered) - 1)
                    lo = int(np.floor(pos))
                    hi = min(lo + 1, len(ordered) - 1)
                    hit[rows] = ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)
            self._cache[(feature, q)] = hit
        return hit

    def spread(self, feature: str) -> np.ndarray:
        iqr = (self.quantile(feature, 0.75) - self.quantile(feature, 0.25)) / 1.35
        v = self.values(feature)
        floor = (np.nanmedian(np.abs(v)) if np.isfinite(v).any() else 0.0) * 0.05 + 1e-9
        return np.where(iqr > floor, iqr, floor)


def run_test(t: CoachingType, test: Test, settings: Values, peers: Peers
             ) -> dict[str, np.ndarray]:
    """One test for every manager: value, cut, peer median, passed, depth (numpy columns)."""
    value = peers.values(test.feature)
    setting = float(settings[f"coaching.{t.id}.{test.feature}"])
    if test.kind == "peer":
        cut = peers.quantile(test.feature, setting / 100)
    else:
        cut = np.full(len(value), setting)
    beyond = (cut - value) if test.side == "low" else (value - cut)
    with np.errstate(invalid="ignore"):
        passed = beyond > 0
        depth = np.clip(0.25 + 0.375 * beyond / peers.spread(test.feature), 0.25, 1.0)
    depth = np.where(passed, depth, 0.0)
    depth[np.isnan(value)] = np.nan
    return {"value": value, "peer_median": peers.quantile(test.feature, 0.5),
            "threshold": cut, "passed": passed, "depth": depth}


def unmeasured_reason(features: pd.DataFrame, feature: str,
                      tables: frozenset[str] | None, peers: Peers | None = None) -> str | None:
    """Why a feature is measured for no manager (None when some have a value): a table
    without rows ("table:<name>"), tiers whose order was not recognised ("tiers"), or no
    values in the data ("empty")."""
    if feature in features:
        values = peers.values(feature) if peers is not None else features[feature].to_numpy(
            dtype="float64", na_value=np.nan)
        if np.isfinite(values).any():
            return None
    missing = [x for x in FEATURE_TABLES.get(feature, ()) if tables is not None
               and x not in tables]
    if missing:
        return f"table:{missing[0]}"
    if feature == "big_visit_ratio" and "tier_ranked" in features and len(features) \
            and not bool(features["tier_ranked"].iloc[0]):
        return "tiers"
    return "empty"


def _why_not(t: CoachingType, k: int, not_measured: dict[str, str],
             tables: frozenset[str] | None) -> tuple[str, ...]:
    """Why a type cannot be assessed on this dataset (empty: it can)."""
    gone = tuple(x for x in t.needs if tables is not None and x not in tables)
    if gone:
        return gone
    req = tuple(f"feature:{x.feature}" for x in t.required if x.feature in not_measured)
    if req:
        return req
    usable = sum(x.feature not in not_measured for x in t.evidence)
    return (f"few:{usable}/{k}",) if usable < k else ()


def _strength(depth: np.ndarray, top: int) -> np.ndarray:
    """Mean depth of the `top` strongest tests, blended with the mean over measured tests."""
    d = np.nan_to_num(depth, nan=0.0)
    top = min(max(top, 1), d.shape[1])
    strongest = -np.partition(-d, top - 1, axis=1)[:, :top].mean(axis=1)
    measured = np.maximum((~np.isnan(depth)).sum(axis=1), 1)
    return STRONGEST_SHARE * strongest + (1 - STRONGEST_SHARE) * d.sum(axis=1) / measured


def assess(t: CoachingType, settings: Values, peers: Peers
           ) -> tuple[list[dict[str, np.ndarray]], np.ndarray, np.ndarray]:
    """One type for every manager: its tests' results, flagged (bool) and strength."""
    k = int(settings[f"coaching.{t.id}.min_pass"])
    results = [run_test(t, test, settings, peers) for test in t.tests]
    passed = np.column_stack([r["passed"] for r in results])
    depth = np.column_stack([r["depth"] for r in results])
    req = np.array([test.required for test in t.tests])
    required_ok = passed[:, req].all(axis=1)
    evidence_passed = passed[:, ~req].sum(axis=1)
    evidence_measured = (~np.isnan(depth[:, ~req])).sum(axis=1)
    strength = _strength(depth, int(req.sum()) + k)
    flagged = required_ok & (evidence_passed >= k) & (evidence_measured >= k) & (
        strength >= float(settings["coaching.min_strength"]))
    return results, flagged, strength


def classify(features: pd.DataFrame, settings: Values,
             tables: frozenset[str] | None = None) -> Classification:
    """Flags, strengths, evidence and primary type for every manager in `features`.

    `tables`: the tables holding rows; a type that needs an absent one is not assessable.
    """
    peers = Peers(features, settings["coaching.peer_group"])
    managers = features.index.to_numpy()
    used = {x.feature for t in TYPES for x in t.tests}
    not_measured = {f: why for f in sorted(used)
                    if (why := unmeasured_reason(features, f, tables, peers)) is not None}
    not_assessable: dict[str, tuple[str, ...]] = {}
    runs: list[tuple] = []
    flag_rows: list[tuple[np.ndarray, str, np.ndarray, bool]] = []
    for t in TYPES:
        k = int(settings[f"coaching.{t.id}.min_pass"])
        why = _why_not(t, k, not_measured, tables)
        if why:
            not_assessable[t.id] = why
            continue
        results, flagged, strength = assess(t, settings, peers)
        flag_rows.append((managers[flagged], t.id, strength[flagged], t.style))
        runs.extend((t.id, test, float(settings[f"coaching.{t.id}.{test.feature}"]), r)
                    for test, r in zip(t.tests, results, strict=True))
    flags = pd.DataFrame({
        "manager": np.concatenate([m for m, *_ in flag_rows]) if flag_rows else [],
        "type": np.concatenate([np.full(len(m), ty, dtype=object)
                                for m, ty, *_ in flag_rows]) if flag_rows else [],
        "strength": np.round(np.concatenate([s for _, _, s, _ in flag_rows]), 3)
        if flag_rows else [],
        "style": np.concatenate([np.full(len(m), st) for m, _, _, st in flag_rows])
        if flag_rows else [],
    })
    main = flags[~flags["style"].astype(bool)].sort_values(
        ["manager", "strength"], ascending=[True, False])
    top = main.drop_duplicates("manager").set_index("manager")["type"]
    primary = top.reindex(features.index).fillna(NONE).rename("primary")
    flags["primary"] = flags["type"].to_numpy() == flags["manager"].map(primary).to_numpy()
    flags = flags.sort_values(["manager", "strength"], ascending=[True, False],
                              ignore_index=True)
    return Classification(flags, primary, not_assessable, not_measured, managers, tuple(runs))
