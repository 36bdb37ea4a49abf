"""Each ladder rule on a hand fixture: skip-level, straight demotion, two-in-a-row transfer,
grace, one level at a time; the shipped ladders load; and the vectorised rule agrees with
the plain-Python reference on random histories under every combination of rules."""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from cmdash.errors import InputError
from cmdash.grades import ACTIONS, Ladder, decide, evaluate, parse, shipped
from tests.unit import ladder_reference as reference

LADDERS = shipped()


def test_shipped_ladders() -> None:
    assert set(LADDERS) == {"bancassurance", "brokerage", "oil_wholesale", "bank",
                            "tobacco_demo"}
    banca = LADDERS["bancassurance"]
    # keep lines 1P, 1.8P, 2.8P, 3.5P, 4.5P; promote-into P, 2P, 3P, 4P, 5P (P = 100 000)
    assert [g.keep.get("premium") for g in banca.grades[1:]] == [1e5, 1.8e5, 2.8e5, 3.5e5,
                                                                 4.5e5]
    assert [g.promote.get("premium") for g in banca.grades[1:]] == [1e5, 2e5, 3e5, 4e5, 5e5]


def test_bank_promotion_skips_levels() -> None:
    bank = LADDERS["bank"]  # D = 10M: promote at 1D/60, 3D/70, 6D/80
    v = decide(bank, "助理客户经理", [{"deposits": 7e7, "score": 85}])
    assert (v.action, v.new_grade) == ("promote", "高级客户经理")


def test_one_level_at_a_time_without_skipping() -> None:
    banca = LADDERS["bancassurance"]
    strong = {"premium": 6e5, "outlet_activity": 90, "regular_premium": 1e5,
              "renewal_rate": 95, "quality": 90}
    v = decide(banca, "初级", [strong])
    assert (v.action, v.new_grade) == ("promote", "中级")


def test_bank_demotion_goes_straight_to_the_supported_grade() -> None:
    bank = LADDERS["bank"]  # keep lines 0.8D/55, 2.5D/65, 5D/75
    v = decide(bank, "高级客户经理", [{"deposits": 0.9e7, "score": 70}])
    assert (v.action, v.supported, v.new_grade) == ("demote", "助理客户经理", "助理客户经理")
    tobacco = LADDERS["tobacco_demo"]  # one grade at a time
    v = decide(tobacco, "资深", [{"attainment": 81, "score": 51, "coverage": 70}])
    assert (v.action, v.supported, v.new_grade) == ("demote", "初级", "高级")


def test_two_reviews_in_a_row_below_the_bottom_grade_transfer() -> None:
    oil = LADDERS["oil_wholesale"]  # 初级 keep line: 1V = 5000 t
    once = decide(oil, "初级", [{"volume": 6000}, {"volume": 4000}])
    twice = decide(oil, "初级", [{"volume": 4500}, {"volume": 4000}])
    recovered = decide(oil, "初级", [{"volume": 4500}, {"volume": 5200}])
    assert (once.action, once.streak) == ("below", 1)
    assert (twice.action, twice.streak) == ("transfer", 2)
    assert recovered.action == "keep"


def test_bancassurance_assistant_gets_one_grace_period() -> None:
    banca = LADDERS["bancassurance"]
    weak = {"premium": 5e4, "quality": 70}
    assert decide(banca, "助理", [weak]).action == "grace"
    assert decide(banca, "助理", [weak, weak]).action == "transfer"
    ok = {"premium": 1.2e5, "quality": 82}
    assert decide(banca, "助理", [weak, ok]).action == "promote"


def test_margins_name_the_binding_indicator() -> None:
    tobacco = LADDERS["tobacco_demo"]
    keep = tobacco.grades[2].keep  # 中级
    assert tobacco.grades[3].promote["attainment"] == 100  # 高级's promotion line
    v = decide(tobacco, "中级", [{"attainment": 97, "score": 76, "coverage": 90}])
    assert v.action == "keep"
    assert v.to_next_binding == "attainment"
    assert v.to_next == pytest.approx((97 - 100) / 100)
    assert v.to_keep == pytest.approx(min((97 - keep["attainment"]) / keep["attainment"],
                                          (76 - keep["score"]) / keep["score"]))


def test_evaluate_table_and_grades_off_the_ladder() -> None:
    tobacco = LADDERS["tobacco_demo"]
    frame = pd.DataFrame({
        "manager": ["a", "a", "b", "c"],
        "period": pd.to_datetime(["2026-04-01", "2026-07-01", "2026-07-01", "2026-07-01"]),
        "attainment": [70, 75, 110, 99], "score": [45, 48, 85, 70], "coverage": [60, 60, 95, 88],
    })
    out = evaluate(tobacco, frame, {"a": "初级", "b": "高级", "c": "市场经理"}).set_index(
        "manager")
    assert out.loc["a", "action"] == "transfer"  # two quarters below 初级's keep line
    assert (out.loc["b", "action"], out.loc["b", "new_grade"]) == ("promote", "资深")
    assert out.loc["c", "action"] == "not_on_ladder"


def test_bad_ladder_files_are_named() -> None:
    with pytest.raises(InputError, match="undeclared indicator"):
        parse({"id": "x", "indicators": {"a": {}}, "grades": [{"id": "g", "keep": {"b": 1}}]})
    with pytest.raises(InputError, match="Unknown parameter"):
        parse({"id": "x", "indicators": {"a": {}}, "grades": [{"id": "g", "keep": {"a": "2*Z"}}]})


@pytest.mark.parametrize("ladder_id", sorted(LADDERS))
def test_evaluate_agrees_with_decide_on_random_histories(ladder_id: str) -> None:
    import numpy as np

    ladder = LADDERS[ladder_id]
    rng = np.random.default_rng(7)
    rows, grades = [], {}
    for i in range(60):
        grades[f"m{i}"] = ladder.grades[rng.integers(len(ladder.grades))].id
        for q in range(int(rng.integers(1, 5))):
            row = {"manager": f"m{i}", "period": pd.Timestamp(2025, 1 + 3 * q, 1)}
            for name in ladder.indicators:
                lines = [g.keep.get(name, 0) for g in ladder.grades] + [
                    g.promote.get(name, 0) for g in ladder.grades]
                row[name] = float(rng.uniform(0, max(lines) * 1.3 + 1))
                if rng.random() < 0.05:
                    row[name] = float("nan")
            rows.append(row)
    frame = pd.DataFrame(rows)
    fast = evaluate(ladder, frame, grades).set_index("manager")
    cols = list(ladder.indicators)
    for m, hist in frame.groupby("manager"):
        v = decide(ladder, grades[m], hist[cols].to_dict("records"), m)
        got = fast.loc[m]
        supported = None if pd.isna(got["supported"]) else got["supported"]
        assert (got["action"], got["new_grade"], supported, got["streak"]) == (
            v.action, v.new_grade, v.supported, v.streak), (m, got.to_dict(), v)


#: skip_levels, straight_demotion, transfer_after, grace_reviews: every combination
RULES = list(itertools.product((False, True), (False, True), (None, 1, 2), (0, 1, 2)))


def _histories(ladder: Ladder, rng: np.random.Generator, n: int, drop: str | None
               ) -> tuple[pd.DataFrame, dict[str, str], dict[str, list[dict[str, float]]]]:
    """n managers, 1–5 quarters each (the table's rows shuffled; each history oldest first).
    A manager's indicators move together, so several grades are passed or failed at once;
    some values sit exactly on a line, some are missing (or a whole indicator, `drop`);
    some grades are off the ladder or unknown."""
    lines = {k: sorted({t[k] for g in ladder.grades for t in (g.keep, g.promote) if k in t}
                       or {1.0}) for k in ladder.indicators if k != drop}
    rows, grades, histories = [], {}, {}
    for i in range(n):
        m, pick = f"m{i:03}", rng.integers(len(ladder.grades) + 2)
        if pick < len(ladder.grades):
            grades[m] = ladder.grades[pick].id
        elif pick == len(ladder.grades):
            grades[m] = "off-ladder"
        level, history = rng.uniform(0, 1.3), histories.setdefault(m, [])
        for q in range(int(rng.integers(1, 6))):
            step, values = rng.uniform(-0.25, 0.25), {}
            for k, ks in lines.items():
                values[k] = float(rng.choice(ks)) if rng.random() < 0.15 else float(
                    max(ks) * (level + step) * rng.uniform(0.95, 1.05))
                if rng.random() < 0.04:
                    values[k] = float("nan")
            history.append(values)
            rows.append({"manager": m, "period": QUARTERS[q], **values})
    frame = pd.DataFrame(rows).sample(frac=1, random_state=int(rng.integers(1 << 30)))
    return frame, grades, histories


QUARTERS = pd.date_range("2024-01-01", periods=5, freq="QS")


@pytest.mark.parametrize("ladder_id", sorted(LADDERS))
def test_vectorised_rule_equals_the_slow_reference(ladder_id: str) -> None:
    """`evaluate` (all rows at once) and `decide` (one history) against the plain-Python
    rule, field by field and exactly, margins included."""
    rng = np.random.default_rng(2024)
    seen: Counter[str] = Counter()
    for n, (skip, straight, transfer, grace) in enumerate(RULES):
        ladder = dataclasses.replace(LADDERS[ladder_id], skip_levels=skip,
                                     straight_demotion=straight, transfer_after=transfer,
                                     grace_reviews=grace)
        drop = list(ladder.indicators)[-1] if n % 5 == 4 else None
        frame, grades, histories = _histories(ladder, rng, 30, drop)
        fast = evaluate(ladder, frame, grades).set_index("manager").to_dict("index")
        for m, history in histories.items():
            want = reference.decide(ladder, grades.get(m, ""), history)
            got = {k: None if pd.isna(v) else v for k, v in fast[m].items()}
            assert {k: got[k] for k in want} == want, (ladder_id, n, m)
            assert decide(ladder, grades.get(m, ""), history, m).__dict__ == {
                "manager": m, **want}, (ladder_id, n, m)
            cur, new = ladder.index(want["grade"]), ladder.index(want["new_grade"])
            seen[want["action"]] += 1
            if want["action"] == "promote" and new - cur > 1:
                seen["skip-level"] += 1
            if want["action"] == "demote" and cur - new > 1:
                seen["straight demotion"] += 1
    assert set(seen) == {*ACTIONS, "skip-level", "straight demotion"}, seen
