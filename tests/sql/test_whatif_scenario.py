"""The what-if scenario on arrays: the same outcome and movers as the frame-based reference
(score, group, merge, evaluate, pay table) on a random baseline, exactly; the types kept
while no coaching setting moves; and no engine query once the baseline is built."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cmdash.all_settings import SETTINGS, Settings
from cmdash.assessment import ASSESSMENT_KPIS, score
from cmdash.assessment.score import components
from cmdash.grades import evaluate
from cmdash.grades.indicators import ASSESSMENT_TOTAL, complete_periods
from cmdash.grades.pay import pay_table
from cmdash.grades.settings import apply, default_ladder
from cmdash.kpi.rollup import regroup
from cmdash.whatif.scenario import Baseline, Outcome, movers, outcome

START, END = pd.Timestamp("2024-11-01"), pd.Timestamp("2026-10-31")
MONTHS = pd.date_range(START, END, freq="MS")
THRESHOLD = next(k for k in SETTINGS if k.startswith("coaching.") and isinstance(
    SETTINGS[k].default, float))

SCENARIOS = {
    "default": {},
    "weights": {"assessment.weight.results": 30, "assessment.weight.forecast": 5,
                "assessment.weight.customers": 30, "assessment.weight.service": 20,
                "assessment.weight.records": 5},
    "no weight on four parts": {f"assessment.weight.{p}": 0 for p in (
        "results", "forecast", "customers", "service")},
    "no weight at all": {f"assessment.weight.{p}": 0 for p in (
        "results", "forecast", "customers", "service", "compliance", "records")},
    "ladder lines": {"ladder.senior.keep.score": 60.0, "ladder.junior.keep.attainment": 95.0,
                     "ladder.principal.promote.score": 55.0},
    "elimination": {"assessment.elimination_pct": 25, "assessment.elimination_min_months": 1},
    "pay": {"pay.bonus_per_point": 100.0, "pay.bonus_bar": 30.0, "pay.margin_rate": 0.2},
    "a step mapping": {"assessment.results.target_attainment.zero": 100.0,
                       "assessment.results.target_attainment.full": 100.0},
    "coaching": {THRESHOLD: (SETTINGS[THRESHOLD].default + SETTINGS[THRESHOLD].high) / 2},
}


def _baseline(seed: int, n: int = 400) -> Baseline:
    """Managers over different spans of months (some too short for a complete quarter),
    some months unscored, ladder KPIs for most (and for a few with no monthly rows), grades
    on and off the ladder, sales for most, a few no longer active; and a types hook that
    reads one coaching threshold."""
    rng = np.random.default_rng(seed)
    ladder = default_ladder()
    names = [f"KM{i:04}" for i in rng.permutation(n)]
    rows = []
    for m in names:
        first = int(rng.integers(0, len(MONTHS)))
        last = int(rng.integers(first, len(MONTHS)))
        for p in MONTHS[first:last + 1]:
            row = {"manager": m, "period": p}
            blank = rng.random() < 0.03  # a month with nothing to score
            for k in ASSESSMENT_KPIS:
                row[k] = np.nan if blank or rng.random() < 0.05 else float(
                    rng.uniform(0, 120))
            rows.append(row)
    rows += [{"manager": "KZ0001", "period": MONTHS[-1]},  # only an incomplete quarter
             {"manager": "KZ0002", "period": MONTHS[0]}]  # nothing scored
    kpis = pd.DataFrame(rows).astype({"manager": object})
    quarters = pd.date_range("2024-10-01", END, freq="QS")
    ladder_rows = [{"manager": m, "period": q, "attainment": float(rng.uniform(60, 125)),
                    "coverage": np.nan if rng.random() < 0.05 else float(rng.uniform(50, 100))}
                   for m in [*names[: int(n * 0.9)], "KX0001", "KX0002"]
                   for q in quarters if rng.random() < 0.8]
    ladder_kpis = complete_periods(pd.DataFrame(ladder_rows).astype({"manager": "str"}),
                                   ladder.review, END)
    options = [g.id for g in ladder.grades] + ["市场经理"]
    grades = {m: options[int(rng.integers(len(options)))] for m in names
              if rng.random() < 0.97}
    amounts = pd.Series(rng.uniform(1e5, 1e7, n), index=names).sample(frac=0.9,
                                                                       random_state=seed)
    active = frozenset(m for m in names if rng.random() < 0.9)
    drive = pd.Series(rng.uniform(0, 100, n), index=names).sample(frac=0.95,
                                                                  random_state=seed)

    def classify(s: Settings) -> pd.Series:
        cut = s[THRESHOLD]
        return pd.Series(np.where(drive > cut, "excellent", "none"), index=drive.index,
                         dtype="str")

    return Baseline(components(kpis, Settings()), ladder, ladder_kpis, grades, amounts, len(MONTHS),
                    START, END, active, classify=classify)


def _reference(base: Baseline, settings: Settings) -> Outcome:
    """The frame-based scenario the array path replaced (kept as the specification)."""
    scores = score(base.monthly_kpis, settings)
    mean = scores.groupby("manager", observed=True)["total"].mean()
    months = scores.dropna(subset=["total"]).groupby("manager", observed=True).size()
    frame = pd.DataFrame({"total": mean}).reindex(sorted(set(mean.index)))
    frame["rank"] = frame["total"].rank(ascending=False, method="min").astype("Int64")
    eligible = frame.index.isin(list(base.active)) & (
        months.reindex(frame.index).fillna(0) >= settings["assessment.elimination_min_months"])
    ranked = frame["total"].where(eligible).rank(method="first")
    n = int(np.ceil(eligible.sum() * settings["assessment.elimination_pct"] / 100))
    frame["eliminate"] = (ranked <= n).fillna(False).astype(bool)
    ladder = apply(base.ladder, settings)
    indicators = base.ladder_kpis
    for ind in ladder.indicators.values():
        if ind.kpi == ASSESSMENT_TOTAL:
            s = scores.assign(period=regroup(scores["period"], ladder.review, base.start))
            per = s.groupby(["manager", "period"], observed=True)["total"].mean().rename(
                ind.id).reset_index().astype({"manager": str})
            per = complete_periods(per, ladder.review, base.end)
            indicators = per if indicators.empty else indicators.merge(
                per, on=["manager", "period"], how="outer")
    verdicts = evaluate(ladder, indicators, base.grades).set_index("manager")
    frame["grade_action"] = verdicts["action"].reindex(frame.index)
    frame["new_grade"] = verdicts["new_grade"].reindex(frame.index)
    pay = pay_table(verdicts.reset_index(), ladder, mean, base.amounts, base.months,
                    settings).set_index("manager")
    frame["pay_cost"] = pay["cost_after"].reindex(frame.index)
    frame["revenue"] = pay["revenue"].reindex(frame.index)
    frame["type"] = base.classify(settings).reindex(frame.index)
    totals = {
        "pay_cost": float(frame["pay_cost"].sum()),
        "revenue": float(frame["revenue"].sum()),
        "eliminate": int(frame["eliminate"].sum()),
        "promote": int((frame["grade_action"] == "promote").sum()),
        "demote": int((frame["grade_action"] == "demote").sum()),
        "transfer": int((frame["grade_action"] == "transfer").sum()),
    } | {f"type:{t}": int(n) for t, n in frame["type"].value_counts().items()}
    return Outcome(frame.rename_axis("manager").reset_index(), totals)


def _reference_movers(before: Outcome, after: Outcome) -> pd.DataFrame:
    b = before.managers.set_index("manager")
    a = after.managers.set_index("manager").reindex(b.index)
    changed = pd.Series(False, index=b.index)
    out = pd.DataFrame(index=b.index)
    for f in ("rank", "eliminate", "type", "grade_action", "new_grade", "pay_cost"):
        old, new = b[f], a[f]
        diff = (old.astype("object") != new.astype("object")) & ~(old.isna() & new.isna())
        if f == "pay_cost":
            diff = (old - new).abs() >= 100.0
        changed |= diff.fillna(False)
        out[f"{f}_before"], out[f"{f}_after"] = old, new
    out["total_before"], out["total_after"] = b["total"], a["total"]
    out = out[changed]
    flips = sum((out[f"{f}_before"].astype("object") != out[f"{f}_after"].astype("object"))
                .astype(int) for f in ("eliminate", "type", "grade_action"))
    jump = (out["rank_before"].astype("float64") - out["rank_after"].astype("float64")).abs()
    order = pd.DataFrame({"flips": flips, "jump": jump}).sort_values(
        ["flips", "jump"], ascending=False).index
    return out.loc[order].reset_index()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_outcome_and_movers_equal_the_frame_reference(seed: int) -> None:
    base = _baseline(seed)
    before, ref_before = outcome(base, Settings()), _reference(base, Settings())
    seen = set()
    for name, values in SCENARIOS.items():
        settings = Settings().with_values(values)
        after, ref = outcome(base, settings), _reference(base, settings)
        pd.testing.assert_frame_equal(after.managers, ref.managers, check_exact=True,
                                      obj=name)
        assert after.totals == ref.totals, name
        moved = movers(before, after)
        pd.testing.assert_frame_equal(moved, _reference_movers(ref_before, ref),
                                      check_exact=True, obj=name)
        # outcomes of another baseline, rows in another order: aligned by manager
        shuffled = Outcome(after.managers.sample(frac=1, random_state=seed), after.totals)
        pd.testing.assert_frame_equal(movers(before, shuffled), moved, check_exact=True)
        seen |= set(after.managers["grade_action"].dropna())
    assert seen >= {"promote", "keep", "demote", "below", "transfer", "not_on_ladder"}
    assert before.managers["grade_action"].isna().any()  # no complete review: no verdict
    assert before.managers["total"].isna().any()  # never scored


def test_types_are_kept_until_a_coaching_setting_moves() -> None:
    base = _baseline(4, n=60)
    calls = []
    hook = base.classify

    def counting(s: Settings) -> pd.Series:
        calls.append(s)
        return hook(s)

    base = dataclasses.replace(base, classify=counting)
    first = outcome(base, Settings())
    for values in (SCENARIOS["weights"], SCENARIOS["ladder lines"], SCENARIOS["pay"]):
        assert outcome(base, Settings().with_values(values)).managers["type"].equals(
            first.managers["type"])
    assert len(calls) == 1
    moved = outcome(base, Settings().with_values(SCENARIOS["coaching"]))
    assert len(calls) == 2
    assert moved.managers["type"].equals(_reference(base, calls[-1]).managers["type"])
    assert not moved.managers["type"].equals(first.managers["type"])


def test_a_scenario_runs_no_engine_query(demo_root: Path) -> None:
    """Built once from the engine; every slider move after that (weights, a ladder line,
    a coaching threshold: types, ranks, grades and pay) reads only the cached frames."""
    from cmdash.bench.workload import CountingEngine, Workload

    w = Workload(demo_root)
    counting = w.engine = CountingEngine(w.engine)
    try:
        base = w.whatif_baseline
        assert counting.statements  # the baseline did read the data
        built = len(counting.statements)
        before = outcome(base, Settings())
        for values in SCENARIOS.values():
            after = outcome(base, Settings().with_values(values))
            movers(before, after)
        assert len(counting.statements) == built, counting.statements[built:]
        assert set(after.managers["type"].dropna()) - {"none"}  # types were classified
    finally:
        w.close()
