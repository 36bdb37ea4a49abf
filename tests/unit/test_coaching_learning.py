"""Learning from coaches (issue 11): agreement per type from the stored verdicts, and the
one threshold move that would have matched their calls best, offered but never applied."""

from __future__ import annotations

import pandas as pd
import pytest

from cmdash.all_settings import Settings
from cmdash.coaching.classify import classify
from cmdash.coaching.learning import agreement, suggest
from tests.unit.test_coaching_rules import CASES, _table

TABLES = frozenset({"events"})
UC = CASES["under_confident"]


def _calls(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["manager_id", "type", "verdict"])


def _with_mild_cases() -> pd.DataFrame:
    """Three managers showing exactly three under-confident signals, and the clear case."""
    frame = _table()
    for i, three in enumerate((("end_hour", "order_rate", "forecast_bias"),
                               ("tenure_years", "cultivation_share", "big_visit_ratio"),
                               ("issue_resolution_change", "end_hour", "order_rate"))):
        frame.loc[f"M{i}"] = frame.loc["P00"]
        for f in three:
            frame.loc[f"M{i}", f] = UC[f]
    return frame


def test_agreement_counts_each_type() -> None:
    calls = _calls([("A", "complacent", "confirmed"), ("B", "complacent", "wrong"),
                    ("C", "complacent", "confirmed"), ("D", "excellent", "wrong")])
    table = agreement(calls).set_index("type")
    assert table.loc["complacent", ["confirmed", "wrong", "verdicts"]].tolist() == [2, 1, 3]
    assert table.loc["complacent", "agree"] == pytest.approx(2 / 3)
    assert table.loc["excellent", "agree"] == 0.0
    assert agreement(_calls([])).empty


def test_the_suggested_move_reproduces_the_coaches_calls() -> None:
    """Coaches reject the three three-signal managers and confirm the clear case: some one
    move must separate them, and applying it makes the flags match every call."""
    frame = _with_mild_cases()
    before = classify(frame, Settings(), TABLES)
    flagged = set(before.flags.loc[before.flags["type"] == "under_confident", "manager"])
    assert {"M0", "M1", "M2", "UNDER_CONFIDENT"} <= flagged
    calls = _calls([("M0", "under_confident", "wrong"), ("M1", "under_confident", "wrong"),
                    ("M2", "under_confident", "wrong"),
                    ("UNDER_CONFIDENT", "under_confident", "confirmed")])
    [s] = suggest(frame, Settings(), calls)
    assert (s.type, s.verdicts, s.matched_now, s.matched_after) == (
        "under_confident", 4, 1, 4)
    moved = Settings().with_values({s.setting: s.suggested})
    after = classify(frame, moved, TABLES)
    now = set(after.flags.loc[after.flags["type"] == "under_confident", "manager"])
    assert "UNDER_CONFIDENT" in now and not now & {"M0", "M1", "M2"}


def test_no_suggestion_when_the_rules_already_agree() -> None:
    frame = _with_mild_cases()
    calls = _calls([("M0", "under_confident", "confirmed"),
                    ("UNDER_CONFIDENT", "under_confident", "confirmed")])
    assert suggest(frame, Settings(), calls) == []


def test_suggesting_never_changes_the_settings() -> None:
    frame = _with_mild_cases()
    settings = Settings()
    calls = _calls([("M0", "under_confident", "wrong")])
    suggest(frame, settings, calls)
    assert settings.diff() == {}
    assert classify(frame, settings, TABLES).primary["M0"] == "under_confident"
