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

import numpy as np
import pandas as pd

from cmdash.coaching.types import TYPES, CoachingType, Test
from cmdash.settings import Settings

NONE = "none"  # the type of a manager with no flagged type


@dataclass(frozen=True)
class Classification:
    flags: pd.DataFrame  # manager, type, strength (0–1), primary (bool), style (bool)
    evidence: pd.DataFrame  # manager, type, feature, value, peer_median, threshold, side,
    #                         kind, passed, depth — every test of every assessed type
    primary: pd.Series  # manager -> primary type id, or "none"
    not_assessable: dict[str, tuple[str, ...]] = field(default_factory=dict)  # type -> tables


class _Peers:
    """Percentiles and spreads of each feature among the manager's peers, computed once."""

    def __init__(self, features: pd.DataFrame, group: str) -> None:
        self.f = features
        if group == "all" or group not in features:
            self.keys = pd.Series("all", index=features.index)
        else:
            self.keys = features[group].astype("object").fillna("?")
        self._cache: dict[tuple[str, float], pd.Series] = {}

    def quantile(self, feature: str, q: float) -> pd.Series:
        hit = self._cache.get((feature, q))
        if hit is None:
            values = self.f[feature].astype("float64")
            if self.keys.nunique() <= 1:
                level = values.quantile(q)
                hit = pd.Series(level, index=values.index)
            else:
                levels = values.groupby(self.keys).quantile(q)
                hit = pd.Series(self.keys.map(levels).to_numpy(dtype="float64"),
                                index=values.index)
            self._cache[(feature, q)] = hit
        return hit

    def spread(self, feature: str) -> pd.Series:
        iqr = (self.quantile(feature, 0.75) - self.quantile(feature, 0.25)) / 1.35
        floor = self.f[feature].abs().median() * 0.05 + 1e-9
        return iqr.where(iqr > floor, floor)


def test_frame(features: pd.DataFrame, t: CoachingType, test: Test, settings: Settings,
               peers: _Peers) -> pd.DataFrame:
    """One test for every manager: value, cut, peer median, passed, depth."""
    value = features[test.feature].astype("float64")
    setting = float(settings[f"coaching.{t.id}.{test.feature}"])
    if test.kind == "peer":
        cut = peers.quantile(test.feature, setting / 100)
    else:
        cut = pd.Series(setting, index=features.index)
    beyond = (cut - value) if test.side == "low" else (value - cut)
    passed = beyond > 0
    depth = (0.25 + 0.375 * beyond / peers.spread(test.feature)).clip(0.25, 1.0)
    depth = depth.where(passed, 0.0).where(value.notna())
    return pd.DataFrame({
        "manager": features.index, "type": t.id, "feature": test.feature,
        "value": value.to_numpy(), "peer_median": peers.quantile(test.feature, 0.5).to_numpy(),
        "threshold": cut.to_numpy(), "setting": setting, "side": test.side,
        "kind": test.kind, "key": test.key, "passed": passed.to_numpy() & value.notna(
        ).to_numpy(), "depth": depth.to_numpy(),
    })


def classify(features: pd.DataFrame, settings: Settings | None = None,
             tables: frozenset[str] | None = None) -> Classification:
    """Flags, strengths, evidence and primary type for every manager in `features`.

    `tables`: the tables holding rows; a type that needs an absent one is not assessable.
    """
    settings = settings or Settings()
    peers = _Peers(features, settings["coaching.peer_group"])
    missing = {t.id: tuple(n for n in t.needs if tables is not None and n not in tables)
               for t in TYPES}
    not_assessable = {k: v for k, v in missing.items() if v}
    parts: list[pd.DataFrame] = []
    flag_parts: list[pd.DataFrame] = []
    for t in TYPES:
        if t.id in not_assessable:
            continue
        tests = [test_frame(features, t, test, settings, peers) for test in t.tests]
        passed = np.column_stack([x["passed"].to_numpy() for x in tests])
        depth = np.column_stack([x["depth"].to_numpy() for x in tests])
        keys = np.array([test.key for test in t.tests])
        key_ok = passed[:, keys].all(axis=1) if keys.any() else np.ones(len(features), bool)
        enough = passed.sum(axis=1) >= settings[f"coaching.{t.id}.min_pass"]
        measured = (~np.isnan(depth)).sum(axis=1)
        strength = np.nansum(depth, axis=1) / np.where(measured > 0, measured, 1)
        flagged = key_ok & enough
        flag_parts.append(pd.DataFrame({
            "manager": features.index[flagged], "type": t.id,
            "strength": strength[flagged].round(3), "style": t.style}))
        parts.extend(tests)
    flags = pd.concat(flag_parts, ignore_index=True) if flag_parts else pd.DataFrame(
        columns=["manager", "type", "strength", "style"])
    main = flags[~flags["style"]].sort_values(["manager", "strength"], ascending=[True, False])
    top = main.drop_duplicates("manager").set_index("manager")["type"]
    primary = top.reindex(features.index).fillna(NONE).rename("primary")
    flags["primary"] = flags["type"].to_numpy() == flags["manager"].map(primary).to_numpy()
    flags = flags.sort_values(["manager", "strength"], ascending=[True, False],
                              ignore_index=True)
    evidence = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return Classification(flags, evidence, primary, not_assessable)
