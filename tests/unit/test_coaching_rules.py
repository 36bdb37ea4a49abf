"""Each coaching rule on a hand-built feature table: one clear case per type among plain
peers, so the expected flags can be read off the table; then the rules of issue 11 — only
the three preconditions required, any three signals of under-confident enough, and a
feature the data cannot measure shown as not measured, never as a failed test."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from cmdash.all_settings import SETTINGS, Settings
from cmdash.coaching.classify import NONE, classify
from cmdash.coaching.features import FEATURES
from cmdash.coaching.types import BY_ID, TYPE_IDS, TYPES

#: A plain manager: every feature at an ordinary level.
PLAIN = {
    "big_visit_ratio": 1.2, "new_visit_ratio": 0.7, "order_rate": 0.5,
    "cultivation_share": 0.17, "forecast_bias": 0.0, "end_hour": 17.5,
    "issue_resolution": 0.85, "issue_resolution_change": 0.0, "tenure_years": 8.0,
    "plan_execution": 0.97, "coverage": 0.94, "long_gap_share": 0.013, "volume_trend": 0.0,
    "check_change": 0.0, "info_change": 0.0, "praise_per_100": 1.4, "log_timeliness": 0.99,
    "on_site_share": 0.78, "check_pass": 0.88, "info_rate": 0.75, "complaints_per_100": 6.5,
    "mean_rating": 4.15, "repeat_share": 0.2, "resolution_days": 4.5, "front_share": 0.5,
    "quarter_decay": 0.0, "event_months": np.nan, "post_event_trend": np.nan,
    "post_event_visits": np.nan, "post_event_decline": np.nan, "log_change": 0.0,
    "attainment_base": 0.98, "attainment_history": 1.0,
    "volume_vs_history": 0.0, "attainment_recent": 0.98, "new_customer_share": 0.05,
    "visits_per_customer": 2.7, "retention": 0.97, "results_pct": 0.5, "process_pct": 0.5,
    "top_both_share": 0.0,
}

#: What makes each planted case: the features that differ from PLAIN.
CASES = {
    "under_confident": {"big_visit_ratio": 0.6, "new_visit_ratio": 0.3, "order_rate": 0.28,
                        "cultivation_share": 0.07,
                        "forecast_bias": -0.2, "end_hour": 15.0,
                        "issue_resolution_change": -0.13, "tenure_years": 0.6},
    "lacking_drive": {"coverage": 0.6, "plan_execution": 0.54, "log_timeliness": 0.57,
                      "long_gap_share": 0.03, "volume_trend": -0.05},
    "complained_about": {"complaints_per_100": 32.0, "mean_rating": 3.3, "repeat_share": 0.5,
                         "resolution_days": 14.0},
    "strong_start_weak_finish": {"front_share": 0.72, "quarter_decay": 0.27,
                                 "plan_execution": 0.8},
    "resentful": {"event_months": 4.4, "post_event_trend": -0.15, "post_event_visits": -0.25,
                  "post_event_decline": -0.25, "issue_resolution_change": -0.14,
                  "check_change": -0.11, "info_change": -0.19, "log_change": -0.2},
    "complacent": {"tenure_years": 1.5, "attainment_history": 1.23, "volume_vs_history": -0.22,
                   "new_customer_share": 0.01, "process_pct": 0.15, "visits_per_customer": 2.0,
                   "info_rate": 0.55},  # a young complacent manager: tenure is not required
    "excellent": {"results_pct": 0.9, "process_pct": 0.88, "top_both_share": 0.6,
                  "attainment_recent": 1.22, "attainment_base": 1.2, "praise_per_100": 6.3,
                  "mean_rating": 4.37},
}
#: The preconditions (docs/coaching.md): the only required tests among the seven types.
PRECONDITIONS = {"resentful": {"event_months", "post_event_decline"},
                 "complacent": {"attainment_history"},
                 "excellent": {"results_pct", "process_pct"}}


def _table(n_plain: int = 30, seed: int = 0) -> pd.DataFrame:
    """Plain managers with a little noise, then one case per type."""
    rng = np.random.default_rng(seed)
    rows = {}
    for i in range(n_plain):
        rows[f"P{i:02d}"] = {k: (v * (1 + rng.normal(0, 0.03)) if isinstance(v, float)
                                 and not np.isnan(v) else v) for k, v in PLAIN.items()}
    for type_id, changes in CASES.items():
        rows[type_id.upper()] = PLAIN | changes
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "manager"
    frame["region"] = "R"
    frame["district"] = "D"
    return frame


def test_every_test_reads_a_declared_feature_and_setting() -> None:
    settings = Settings()
    for t in TYPES:
        for test in t.tests:
            assert test.feature in FEATURES, test.feature
            assert settings[f"coaching.{t.id}.{test.feature}"] == test.default
        if not t.style:
            assert {x.feature for x in t.required} == PRECONDITIONS.get(t.id, set()), t.id
        spec = SETTINGS[f"coaching.{t.id}.min_pass"]
        assert spec.low <= t.min_pass <= spec.high and spec.low < spec.high  # a usable slider
        assert t.advice_zh and len(t.advice_zh) == len(t.advice_en)
    assert TYPE_IDS == ("under_confident", "lacking_drive", "complained_about",
                        "strong_start_weak_finish", "resentful", "complacent", "excellent")


@pytest.mark.parametrize("type_id", list(CASES))
def test_each_case_gets_its_type_as_primary(type_id: str) -> None:
    c = classify(_table(), Settings(), frozenset({"events"}))
    assert c.primary[type_id.upper()] == type_id
    flag = c.flags[(c.flags["manager"] == type_id.upper()) & (c.flags["type"] == type_id)]
    assert 0 < flag["strength"].iloc[0] <= 1
    ev = c.evidence[(c.evidence["manager"] == type_id.upper()) & (c.evidence["type"] == type_id)]
    assert set(ev["feature"]) == {test.feature for test in BY_ID[type_id].tests}
    evidence = ev[~ev["required"].astype(bool)]
    assert evidence["passed"].sum() >= Settings()[f"coaching.{type_id}.min_pass"]
    assert ev.loc[ev["required"].astype(bool), "passed"].all()


def test_plain_managers_get_no_type() -> None:
    c = classify(_table(), Settings(), frozenset({"events"}))
    plain = c.primary[c.primary.index.str.startswith("P")]
    assert (plain == NONE).mean() >= 0.9


@pytest.mark.parametrize(("type_id", "feature", "plain"), [
    ("complacent", "attainment_history", 1.0),
    ("excellent", "process_pct", 0.5),
    ("resentful", "post_event_decline", 0.02),  # an event, but no decline after it
    ("resentful", "event_months", np.nan),  # a decline, but no negative event before it
])
def test_a_precondition_must_pass(type_id: str, feature: str, plain: float) -> None:
    frame = _table()
    frame.loc[type_id.upper(), feature] = plain
    c = classify(frame, Settings(), frozenset({"events"}))
    assert type_id not in set(c.flags.loc[c.flags["manager"] == type_id.upper(), "type"])


def test_no_other_signal_is_required() -> None:
    """Each non-precondition signal taken away in turn: the type is still found."""
    for type_id, changes in CASES.items():
        for feature in set(changes) - PRECONDITIONS.get(type_id, set()):
            frame = _table()
            frame.loc[type_id.upper(), feature] = PLAIN[feature]
            c = classify(frame, Settings(), frozenset({"events"}))
            assert c.primary[type_id.upper()] == type_id, (type_id, feature)


@pytest.mark.parametrize("three", list(itertools.combinations(CASES["under_confident"], 3)))
def test_any_three_under_confident_signals_are_found(three: tuple[str, ...]) -> None:
    frame = _table()
    frame.loc["X"] = frame.loc["P00"]
    for feature in three:
        frame.loc["X", feature] = CASES["under_confident"][feature]
    c = classify(frame, Settings(), frozenset({"events"}))
    assert c.primary["X"] == "under_confident", three


def test_two_signals_are_not_enough_for_under_confident() -> None:
    frame = _table()
    frame.loc["X"] = frame.loc["P00"]
    frame.loc["X", ["end_hour", "order_rate"]] = [15.0, 0.28]
    assert classify(frame, Settings(), frozenset({"events"})).primary["X"] == NONE


def test_the_s2_case_is_under_confident() -> None:
    """seeds/002 (S2): a manager under two years in the job who checks in to end the day in
    the early afternoon, with unsolved problems piling up, and nothing else unusual."""
    frame = _table()
    frame.loc["S2"] = frame.loc["P00"]
    frame.loc["S2", ["tenure_years", "end_hour", "issue_resolution_change"]] = [1.4, 14.5, -0.2]
    c = classify(frame, Settings(), frozenset({"events"}))
    assert c.primary["S2"] == "under_confident"
    ev = c.evidence[(c.evidence["manager"] == "S2") & (c.evidence["type"] == "under_confident")]
    assert set(ev.loc[ev["passed"].astype(bool), "feature"]) == {
        "tenure_years", "end_hour", "issue_resolution_change"}


def test_an_unmeasurable_feature_is_not_measured_never_failed() -> None:
    """Tiers the order cannot place leave big_visit_ratio empty for everybody: the test is
    "not measured" with its reason, and under-confident is still found from the rest."""
    frame = _table()
    frame["big_visit_ratio"] = np.nan
    frame["tier_ranked"] = False
    c = classify(frame, Settings(), frozenset({"events"}))
    assert c.not_measured["big_visit_ratio"] == "tiers"
    ev = c.evidence[c.evidence["feature"] == "big_visit_ratio"]
    assert (ev["status"] == "not_measured").all() and not ev["passed"].any()
    assert set(ev["why"]) == {"tiers"}
    assert c.primary["UNDER_CONFIDENT"] == "under_confident"


def test_a_missing_table_makes_its_features_not_measured() -> None:
    frame = _table()
    for f in ("complaints_per_100", "mean_rating", "repeat_share", "resolution_days",
              "praise_per_100"):
        frame[f] = np.nan
    c = classify(frame, Settings(), frozenset({"events", "visits"}))
    assert c.not_measured["complaints_per_100"] == "table:feedback"
    assert c.not_assessable["complained_about"] == ("few:0/2",)
    assert c.primary["EXCELLENT"] == "excellent"  # its other evidence still counts


def test_a_type_whose_precondition_cannot_be_measured_cannot_be_assessed() -> None:
    frame = _table()
    frame["attainment_history"] = np.nan
    c = classify(frame, Settings(), frozenset({"events"}))
    assert c.not_assessable["complacent"] == ("feature:attainment_history",)
    assert "complacent" not in set(c.flags["type"])


def test_threshold_is_a_setting() -> None:
    frame = _table()
    loose = Settings().with_values({"coaching.complained_about.min_pass": 1})
    frame.loc["P00", "complaints_per_100"] = 30.0  # complaints alone, ratings fine
    assert classify(frame, Settings(), frozenset({"events"})).primary["P00"] == NONE
    assert classify(frame, loose, frozenset({"events"})).primary["P00"] == "complained_about"


def test_resentful_not_assessable_without_events() -> None:
    c = classify(_table(), Settings(), frozenset({"visits", "sales"}))
    assert c.not_assessable == {"resentful": ("events",)}
    assert "resentful" not in set(c.flags["type"])
    assert c.primary["RESENTFUL"] != "resentful"


def test_evidence_has_value_peer_reference_and_threshold() -> None:
    c = classify(_table(), Settings(), frozenset({"events"}))
    ev = c.evidence[(c.evidence["manager"] == "COMPLAINED_ABOUT")
                    & (c.evidence["feature"] == "complaints_per_100")].iloc[0]
    assert ev["value"] == 32.0
    assert ev["peer_median"] == pytest.approx(6.5, rel=0.1)
    assert 6.5 < ev["threshold"] < 32.0 and ev["passed"]


def test_peer_groups_are_compared_within_themselves() -> None:
    frame = _table()
    frame.loc[frame.index[:15], "region"] = "A"  # half the plain managers elsewhere
    frame.loc[frame.index[15:], "region"] = "B"
    by_region = Settings().with_values({"coaching.peer_group": "region"})
    c = classify(frame, by_region, frozenset({"events"}))
    assert c.primary["COMPLAINED_ABOUT"] == "complained_about"


def test_a_feature_column_absent_altogether_is_not_measured() -> None:
    frame = _table().drop(columns=["end_hour", "forecast_bias"])
    c = classify(frame, Settings(), frozenset({"events", "checkins", "targets"}))
    assert c.not_measured["end_hour"] == "empty"
    assert classify(frame, Settings(), frozenset({"events"})).not_measured[
        "end_hour"] == "table:checkins"
    assert c.primary["UNDER_CONFIDENT"] == "under_confident"
