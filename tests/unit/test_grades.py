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
from cmdash.grades.ladder import Indicator
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


def test_bancassurance_assistant_may_skip_the_first_review_then_one_grace_period() -> None:
    banca = LADDERS["bancassurance"]  # seed 003: 助理可以不参加第一个考核期的考核
    weak = {"premium": 5e4, "quality": 70}
    assert decide(banca, "助理", [weak]).action == "keep"  # the first period does not count
    assert decide(banca, "助理", [weak, weak]).action == "grace"  # the second: one grace
    assert decide(banca, "助理", [weak, weak, weak]).action == "transfer"  # then 解约
    ok = {"premium": 1.2e5, "quality": 82}
    assert decide(banca, "助理", [ok]).action == "promote"  # passing the first promotes
    assert decide(banca, "助理", [weak, ok]).action == "promote"


def test_bancassurance_junior_missing_keep_is_demoted_to_assistant() -> None:
    banca = LADDERS["bancassurance"]  # 初级 keep: premium 1P = 100 000, quality 80
    v = decide(banca, "初级", [{"premium": 9e4, "quality": 85}])
    assert (v.action, v.new_grade) == ("demote", "助理")  # not grace, not transfer
    strong = {"premium": 5.5e5, "outlet_activity": 90, "regular_premium": 4e4,
              "renewal_rate": 95, "quality": 90}
    # one level at a time: a 资深 who holds only the 中级 keep lines goes to 特级
    v = decide(banca, "资深", [{**strong, "premium": 2e5, "lecturer": 1}])
    assert (v.action, v.new_grade) == ("demote", "特级")


def test_bancassurance_senior_grades_need_the_trainer_qualification() -> None:
    banca = LADDERS["bancassurance"]  # 高级: 3P, 85 %, 1.2q, 85 %, 85 分 and 兼职讲师
    strong = {"premium": 3.2e5, "outlet_activity": 90, "regular_premium": 2.5e4,
              "renewal_rate": 88, "quality": 90}
    assert decide(banca, "中级", [{**strong, "lecturer": 0}]).action == "keep"
    assert decide(banca, "中级", [strong]).action == "keep"  # not known: not met
    v = decide(banca, "中级", [{**strong, "lecturer": 1}])
    assert (v.action, v.new_grade) == ("promote", "高级")
    v = decide(banca, "高级", [{**strong, "lecturer": 0}])
    assert (v.action, v.new_grade, v.to_keep_binding) == ("demote", "中级", "lecturer")


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


#: skip_levels, straight_demotion, transfer_after, grace_reviews, demote_to_entry,
#: first_review_optional: every combination (and a probation in every third)
RULES = list(itertools.product((False, True), (False, True), (None, 1, 2), (0, 1, 2),
                               (False, True), (False, True)))


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
    for n, (skip, straight, transfer, grace, to_entry, first) in enumerate(RULES):
        ladder = dataclasses.replace(LADDERS[ladder_id], skip_levels=skip,
                                     straight_demotion=straight, transfer_after=transfer,
                                     grace_reviews=grace, demote_to_entry=to_entry,
                                     first_review_optional=first)
        if n % 3 == 1:  # an entry grade lasts a month of tenure (values span 0–1.3)
            tenure = Indicator("tenure_months", "司龄", "Tenure", unit="months")
            ladder = dataclasses.replace(ladder, probation_months=1, indicators={
                **ladder.indicators, "tenure_months": tenure})
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


def test_oil_trainee_becomes_junior_after_three_months_then_by_volume() -> None:
    oil = LADDERS["oil_wholesale"]  # seed 002: 见习 3 个月; V = 5000 t, 中级 2V, 高级 3V
    early = decide(oil, "见习", [{"volume": 20_000, "tenure_months": 2}])
    assert (early.action, early.new_grade) == ("keep", "见习")  # not graded on probation
    low = decide(oil, "见习", [{"volume": 1_000, "tenure_months": 3}])
    assert (low.action, low.new_grade) == ("promote", "初级")  # time served: 初级
    high = decide(oil, "见习", [{"volume": 11_000, "tenure_months": 4}])
    assert (high.action, high.new_grade) == ("promote", "中级")  # then graded by volume
    unknown = decide(oil, "见习", [{"volume": 11_000}])
    assert unknown.action == "keep"  # no hire date: not known to have served


def test_oil_senior_below_the_junior_line_is_regraded_junior() -> None:
    oil = LADDERS["oil_wholesale"]
    v = decide(oil, "高级", [{"volume": 4_000, "tenure_months": 60}])
    assert (v.action, v.supported, v.new_grade) == ("demote", None, "初级")
    # and a second review below the junior line in a row → 转岗
    v = decide(oil, "初级", [{"volume": 4_000, "tenure_months": 60},
                            {"volume": 4_500, "tenure_months": 72}])
    assert (v.action, v.streak) == ("transfer", 2)


def test_tenure_months_from_hire_dates() -> None:
    from cmdash.grades.indicators import tenure
    from cmdash.kpi import Scan

    scan = Scan("month", pd.Timestamp("2025-01-01"), pd.Timestamp("2025-12-31"), {},
                managers=pd.DataFrame({"manager": ["a", "b"], "hire_date": pd.to_datetime(
                    ["2025-10-15", "2020-01-01"])}))
    t = tenure(scan, "year")
    # to 2025-12-31: a hired 15 October → 2 whole months; b hired 2020-01-01 → 71
    assert t[("a", pd.Timestamp("2025-01-01"))] == 2
    assert t[("b", pd.Timestamp("2025-01-01"))] == 71


def test_every_verdict_has_words_in_both_languages() -> None:
    from cmdash.grades.evaluate import action_label

    zh = [action_label(a, "zh") for a in ACTIONS]
    en = [action_label(a, "en") for a in ACTIONS]
    assert len(set(zh)) == len(set(en)) == len(ACTIONS)
    assert action_label("demote", "zh") == "降级" and action_label("grace", "en") == \
        "Grace period"
    assert action_label("unknown", "zh") == "unknown"


def test_formal_contract_grades_cost_social_insurance() -> None:
    from cmdash.all_settings import Settings
    from cmdash.grades.pay import base_pay

    brokerage = LADDERS["brokerage"]  # seed 004: 120 万起签正式合同、底薪 1200、缴纳五险一金
    cost = base_pay(brokerage, Settings().replace(pay__social_insurance=800))
    assert cost["底薪档"] == 900  # no formal contract yet
    assert cost["正式"] == 1200 + 800
    assert base_pay(brokerage)["正式"] == 1200  # without settings: base pay alone
    assert [g.illustrative for g in brokerage.grades] == [False] * 3 + [True] * 3


def test_each_shipped_ladder_is_a_bulletin_choice_under_its_file_name() -> None:
    """The bulletin's ladder setting lists the files; a ladder's id must be its file's."""
    from cmdash.grades.ladder import LADDER_DIR, load
    from cmdash.report.params import LADDERS

    assert set(LADDERS) == set(shipped()) == {p.stem for p in LADDER_DIR.glob("*.toml")}
    assert all(load(LADDER_DIR / f"{name}.toml").id == name for name in LADDERS)
