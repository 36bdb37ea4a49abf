"""The rules applied: every manager against every type, with strength and evidence.

Pure pandas on the feature table, so moving a threshold re-classifies in milliseconds
without touching the engine or the scan.

Per test: the cut is the peers' percentile (peer tests) or the set value (value tests); a
test passes when the manager is past the cut on the behaviour's side. Its depth is 0 when
it fails and 0.25–1 when it passes, growing with the distance past the cut in the peers'
robust spread (IQR / 1.35), full at two spreads. A type's strength is the mean depth over
its tests that could be measured; it is flagged when all key tests and at least `min_pass`
tests pass. The primary type is the flagged one (work-style flags excluded) with the
highest strength.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from cmdash.coaching.types import TYPES, CoachingType, Test
from cmdash.settings import Settings

NONE = "none"  # the type of a manager with no flagged type


_EVIDENCE = ("manager", "type", "feature", "value", "peer_median", "threshold", "setting",
             "side", "kind", "key", "passed", "depth")


@dataclass(frozen=True)
class Classification:
    flags: pd.DataFrame  # manager, type, strength (0–1), primary (bool), style (bool)
    primary: pd.Series  # manager -> primary type id, or "none"
    not_assessable: dict[str, tuple[str, ...]] = field(default_factory=dict)  # type -> tables
    managers: np.ndarray = field(default_factory=lambda: np.array([]))
    results: tuple = ()  # (type id, Test, setting, {column: array}) per test run

    @cached_property
    def evidence(self) -> pd.DataFrame:
        """Every test of every assessed type for every manager: manager, type, feature,
        value, peer_median, threshold, setting, side, kind, key, passed, depth.

        Built on first use, so re-classifying for a new threshold stays cheap."""
        n = len(self.managers)
        cols: dict[str, list] = {c: [] for c in _EVIDENCE}
        for type_id, test, setting, r in self.results:
            fixed = {"type": type_id, "feature": test.feature, "setting": setting,
                     "side": test.side, "kind": test.kind, "key": test.key}
            cols["manager"].append(self.managers)
            for c in _EVIDENCE[1:]:
                cols[c].append(r[c] if c in r else np.full(n, fixed[c], dtype=object))
        frame = pd.DataFrame({c: np.concatenate(v) if v else [] for c, v in cols.items()})
        for c in ("type", "feature", "side", "kind"):
            frame[c] = frame[c].astype("category")
        return frame


class _Peers:
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
            hit = self.f[feature].to_numpy(dtype="float64", na_value=np.nan)
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


def run_test(t: CoachingType, test: Test, settings: Settings, peers: _Peers
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


def classify(features: pd.DataFrame, settings: Settings | None = None,
             tables: frozenset[str] | None = None) -> Classification:
    """Flags, strengths, evidence and primary type for every manager in `features`.

    `tables`: the tables holding rows; a type that needs an absent one is not assessable.
    """
    settings = settings or Settings()
    peers = _Peers(features, settings["coaching.peer_group"])
    managers = features.index.to_numpy()
    missing = {t.id: tuple(x for x in t.needs if tables is not None and x not in tables)
               for t in TYPES}
    not_assessable = {k: v for k, v in missing.items() if v}
    runs: list[tuple] = []
    flag_rows: list[tuple[np.ndarray, str, np.ndarray, bool]] = []
    for t in TYPES:
        if t.id in not_assessable:
            continue
        results = [run_test(t, test, settings, peers) for test in t.tests]
        passed = np.column_stack([r["passed"] for r in results])
        depth = np.column_stack([r["depth"] for r in results])
        keys = np.array([test.key for test in t.tests])
        key_ok = passed[:, keys].all(axis=1)
        enough = passed.sum(axis=1) >= settings[f"coaching.{t.id}.min_pass"]
        measured = (~np.isnan(depth)).sum(axis=1)
        strength = np.nansum(depth, axis=1) / np.maximum(measured, 1)
        flagged = key_ok & enough
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
    return Classification(flags, primary, not_assessable, managers, tuple(runs))
