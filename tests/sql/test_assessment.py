"""The 100-point assessment on the tiny fixture, worked by hand for 张伟 (KM-0001), Q1 2025."""

from __future__ import annotations

import pandas as pd
import pytest

from cmdash.all_settings import Settings
from cmdash.assessment import elimination_review, score
from cmdash.assessment.compute import assess
from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from tests.fixtures import write_tiny_dataset

Q1 = pd.Timestamp("2025-01-01")


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    return open_engine(Dataset.open(write_tiny_dataset(tmp_path_factory.mktemp("tiny"))))


def _km1(scores: pd.DataFrame) -> pd.Series:
    return scores[(scores["manager"] == "KM-0001") & (scores["period"] == Q1)].iloc[0]


def test_parts_and_total_by_hand(engine) -> None:
    row = _km1(assess(engine, Settings(), "quarter"))
    # ① every district has under 3 managers, so peers are the whole company. Cases count only
    #   products with a case size (P04 has none): volume 0.256 箱 ranks 4th of 4 (0.084,
    #   0.128, 0.140, 0.256) → 100; value per case 17 100 / 0.256 = 66 797 元/箱 ranks 4th of 4
    #   (53 571, 60 938, 42 500) → 100; cultivation share 0.18 / 0.256 = 70.3 % is 3rd of 4 (two
    #   managers tie at 0 and share rank 1.5) → 75; no Q1 target → attainment out
    assert row["results"] == pytest.approx((100 + 100 + 75) / 3)
    assert pd.isna(row["forecast"])  # no forecasts in Q1
    # ③ coverage 1 of 2 customers = 50 % on the 40→95 line; no prior quarter, no target
    assert row["customers"] == pytest.approx((50 - 40) / 55 * 100)
    assert row["service"] == pytest.approx(100)  # every check passed, rating 5, no complaint
    assert row["compliance"] == pytest.approx(0)  # no check-ins in Q1
    assert row["records"] == pytest.approx(100)
    parts = {"results": 275 / 3, "customers": 1000 / 55, "service": 100, "compliance": 0,
             "records": 100}
    weights = {"results": 20, "customers": 25, "service": 25, "compliance": 10, "records": 10}
    total = sum(parts[k] * weights[k] for k in parts) / sum(weights.values())
    assert row["total"] == pytest.approx(total)
    assert row["parts_scored"] == 5
    assert row["status"] == ""


def test_partial_period_is_not_scored(engine) -> None:
    # the fixture's sales end on 2025-06-24: June (and Q2) are to-date, not a whole period
    scores = assess(engine, Settings(), "month")
    june = scores[scores["period"] == pd.Timestamp("2025-06-01")]
    assert len(june) and (june["status"] == "partial").all()
    assert june["total"].isna().all() and june["rank"].isna().all()
    may = scores[scores["period"] == pd.Timestamp("2025-05-01")]
    # KM-0003 left on 2025-04-15: May still lists that manager (workdays are owed in the
    # range) but as left, unranked; everyone else is ranked
    left = may["manager"] == "KM-0003"
    assert (may.loc[left, "status"] == "left").all() and may.loc[left, "rank"].isna().all()
    assert (may.loc[~left, "status"] == "").all() and may.loc[~left, "rank"].notna().all()


def test_weights_are_settings(engine) -> None:
    heavy = Settings().replace(assessment__weight__service=100, assessment__weight__results=0,
                               assessment__weight__customers=0,
                               assessment__weight__compliance=0,
                               assessment__weight__records=0, assessment__weight__forecast=0)
    assert _km1(assess(engine, heavy, "quarter"))["total"] == pytest.approx(100)


def test_rank_and_matrix() -> None:
    kpis = pd.DataFrame({
        "manager": ["a", "b", "c", "d"], "period": [Q1] * 4,
        "target_attainment": [100, 100, 60, 60], "log_timeliness": [98, 60, 98, 60],
    })
    s = score(kpis, Settings())
    assert list(s["rank"]) == [1, 2, 3, 4]
    assert list(s["matrix"]) == ["rely", "do_not_use", "steady_use", "develop"]


def test_elimination_flags_the_bottom_share() -> None:
    months = pd.date_range("2025-01-01", periods=6, freq="MS")
    rows = [{"manager": f"m{i}", "period": m, "total": float(i)} for i in range(20)
            for m in months]
    rows += [{"manager": "short", "period": months[0], "total": -1.0}]  # one month only
    review = elimination_review(pd.DataFrame(rows), Settings())
    flagged = set(review.loc[review["flagged"], "manager"])
    assert flagged == {"m0", "m1"}  # 10 % of 20 ranked managers
    assert "short" not in set(review["manager"])


def test_a_demo_ending_on_the_first_does_not_rank_that_month(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    import datetime as dt

    from cmdash.demo import generate

    root = tmp_path_factory.mktemp("first") / "demo"
    generate(root, size="small", seed=7, end=dt.date(2026, 12, 1))
    scores = assess(open_engine(Dataset.open(root)), Settings(), "month")
    december = scores[scores["period"] == pd.Timestamp("2026-12-01")]
    november = scores[scores["period"] == pd.Timestamp("2026-11-01")]
    # before: every manager scored about 50 in December and ranked 1
    assert len(december) and (december["status"] == "partial").all()
    assert december["rank"].isna().all() and december["total"].isna().all()
    ranked = november.dropna(subset=["rank"])
    assert len(ranked) > 20 and ranked["rank"].min() == 1
    assert ranked["rank"].nunique() > len(ranked) // 2  # spread out, not all tied
    assert (scores["period"] > pd.Timestamp("2026-12-01")).sum() == 0 or (
        scores.loc[scores["period"] > pd.Timestamp("2026-12-01"), "status"] == "partial").all()
