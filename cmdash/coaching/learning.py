"""Learning from coaches: how often they agree with each type, and which single threshold
change would have matched their calls best.

A coach's verdict is on a flagged (manager, type): "confirmed" says the type fits, "wrong"
says it does not. For each type with verdicts we try every one-step move of its settings
(each test's threshold and its `min_pass`) on today's features and count the verdicts the
flags would then match. The best move is only a suggestion, offered as a What-if lever; it
is never applied by itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cmdash.coaching.classify import Peers, assess
from cmdash.coaching.types import BY_ID, CoachingType
from cmdash.settings import Values

PEER_STEPS = (-5.0, 5.0, -10.0, 10.0)  # percentile points tried for a peer test
VALUE_STEPS = (-0.25, 0.25, -0.5, 0.5)  # × the set value's magnitude for a value test


@dataclass(frozen=True)
class Suggestion:
    type: str
    setting: str
    current: float
    suggested: float
    matched_now: int  # verdicts the current settings match
    matched_after: int  # … and with the suggested value
    verdicts: int


def agreement(latest: pd.DataFrame) -> pd.DataFrame:
    """Per type: confirmed, wrong, verdicts and the share confirmed (coaches agreeing)."""
    if latest.empty:
        return pd.DataFrame(columns=["type", "confirmed", "wrong", "verdicts", "agree"])
    counts = pd.crosstab(latest["type"], latest["verdict"]).reindex(
        columns=["confirmed", "wrong"], fill_value=0)
    counts["verdicts"] = counts["confirmed"] + counts["wrong"]
    counts["agree"] = counts["confirmed"] / counts["verdicts"]
    return counts.reset_index()


def _candidates(t: CoachingType, settings: Values) -> list[tuple[str, float]]:
    key = f"coaching.{t.id}.min_pass"
    now = int(settings[key])
    out: list[tuple[str, float]] = [(key, v) for v in (now - 1, now + 1)
                                    if 0 <= v <= len(t.evidence)]
    for test in t.tests:
        key = f"coaching.{t.id}.{test.feature}"
        now = float(settings[key])
        steps = PEER_STEPS if test.kind == "peer" else tuple(
            s * max(abs(now), 1e-9) for s in VALUE_STEPS)
        spec = settings.DECLARED[key]
        for step in steps:
            value = round(now + step, 4)
            if spec.low is not None and not spec.low <= value <= spec.high:
                continue
            out.append((key, value))
    return out


def _matched(flagged: np.ndarray, rows: np.ndarray, confirmed: np.ndarray) -> int:
    return int((flagged[rows] == confirmed).sum())


def suggest(features: pd.DataFrame, settings: Values, latest: pd.DataFrame,
            not_assessable: dict | None = None) -> list[Suggestion]:
    """Per type with verdicts on reviewed managers, the one-setting move matching the most
    verdicts, when it matches strictly more than the current settings (ties: the first
    tried — `min_pass`, then each test's smaller moves before its larger ones)."""
    index = {m: i for i, m in enumerate(features.index)}
    peers = Peers(features, settings["coaching.peer_group"])
    out: list[Suggestion] = []
    for type_id, calls in latest.groupby("type"):
        t = BY_ID.get(str(type_id))
        if t is None or type_id in (not_assessable or {}):
            continue
        calls = calls[calls["manager_id"].isin(index)]
        if calls.empty:
            continue
        rows = calls["manager_id"].map(index).to_numpy()
        confirmed = (calls["verdict"] == "confirmed").to_numpy()
        now = _matched(assess(t, settings, peers)[1], rows, confirmed)
        best: tuple[int, str, float] | None = None
        for key, value in _candidates(t, settings):
            moved = settings.with_values({key: value})
            score = _matched(assess(t, moved, peers)[1], rows, confirmed)
            if score > now and (best is None or score > best[0]):
                best = (score, key, value)
        if best is not None:
            out.append(Suggestion(t.id, best[1], float(settings[best[1]]), best[2], now,
                                  best[0], len(calls)))
    return out
