"""Who is ranked and against whom (issue 16): partial months, managers who left, peer
groups, pooled new-customer attainment and the forecast mapping, each worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cmdash.all_settings import Settings
from cmdash.assessment import score
from cmdash.assessment.roster import Roster, is_partial

JAN, FEB, MAR = (pd.Timestamp(f"2025-0{m}-01") for m in (1, 2, 3))


def _roster(end: str, **left: str) -> Roster:
    managers = pd.DataFrame({
        "manager_id": ["a", "b", "c", "d", "e", "f"],
        "district": ["东", "东", "东", "西", "西", "西"],
        "region": ["市"] * 6,
        "left_date": [pd.Timestamp(left[m]) if m in left else pd.NaT for m in "abcdef"],
    })
    return Roster.of(managers, end)


def test_partial_month_by_the_issue_definition() -> None:
    periods = pd.Series([JAN, FEB, MAR])
    # data to 2025-02-28: Jan and Feb complete; data to 2025-02-27: Feb is to-date
    assert list(is_partial(periods, "month", "2025-02-28")) == [False, False, True]
    assert list(is_partial(periods, "month", "2025-02-27")) == [False, True, True]
    assert list(is_partial(pd.Series([JAN]), "quarter", "2025-03-31")) == [False]
    assert list(is_partial(pd.Series([JAN]), "quarter", "2025-03-30")) == [True]


def test_partial_month_and_leavers_are_not_ranked() -> None:
    kpis = pd.DataFrame({
        "manager": ["a", "b", "c"] * 3,
        "period": [JAN] * 3 + [FEB] * 3 + [MAR] * 3,
        "log_timeliness": [98.0, 79.0, 60.0] * 3,  # ⑥ on the 60→98 line: 100, 50, 0
    })
    s = score(kpis, Settings(), roster=_roster("2025-03-01", c="2025-01-20"))
    jan, feb, mar = (s[s["period"] == p].set_index("manager") for p in (JAN, FEB, MAR))
    # January: c left on the 20th and is still ranked for the month
    assert list(jan["rank"]) == [1, 2, 3] and (jan["status"] == "").all()
    assert jan.loc["b", "total"] == pytest.approx(50)
    # February: c had left; only a and b are ranked
    assert feb.loc["c", "status"] == "left" and pd.isna(feb.loc["c", "rank"])
    assert pd.isna(feb.loc["c", "total"])
    assert list(feb.loc[["a", "b"], "rank"]) == [1, 2]
    # March has one day of data: nobody is scored or ranked (not 50 and rank 1 for all)
    assert (mar["status"] == "partial").all()
    assert mar["total"].isna().all() and mar["rank"].isna().all()


def _six(value_per_case: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"manager": list("abcdef"), "period": [JAN] * 6,
                         "value_per_case": value_per_case})


def test_value_per_case_is_ranked_within_the_district() -> None:
    # 东 (a, b, c) is a rich district, 西 (d, e, f) a poor one
    kpis = _six([40_000, 38_000, 36_000, 30_000, 28_000, 26_000])
    s = score(kpis, Settings(), roster=_roster("2025-12-31")).set_index("manager")
    # within each district: top 3/3 → 100, 2/3 → 66.7, 1/3 → 33.3 (① holds only this)
    assert list(s["results"].round(1)) == [100, 66.7, 33.3, 100, 66.7, 33.3]
    company = score(kpis, Settings().replace(assessment__peer_group="company"),
                    _roster("2025-12-31")).set_index("manager")
    # company-wide: d (30 000) is 3rd of 6 → 50
    assert company.loc["d", "results"] == pytest.approx(50)


def test_small_peer_group_falls_back_to_the_company() -> None:
    kpis = _six([40_000, 38_000, 36_000, 30_000, 28_000, 26_000])
    s = score(kpis, Settings().replace(assessment__peer_min_size=4),
              _roster("2025-12-31")).set_index("manager")
    assert s.loc["d", "results"] == pytest.approx(50)  # 3rd of 6


def test_leavers_are_not_peers() -> None:
    kpis = _six([40_000, 38_000, 36_000, 30_000, 28_000, 26_000]).assign(
        period=FEB)
    s = score(kpis, Settings().replace(assessment__peer_group="company"),
              _roster("2025-12-31", a="2025-01-10")).set_index("manager")
    # a left in January: b is now top of the five → 100; f is 1/5 → 20
    assert s.loc["b", "results"] == pytest.approx(100)
    assert s.loc["f", "results"] == pytest.approx(20)
    assert pd.isna(s.loc["a", "results"])


def test_new_customer_attainment_is_pooled_and_not_applicable_without_target() -> None:
    # one manager, target 1 a month; one new customer in February, none in Jan/Mar;
    # April has no target
    apr = pd.Timestamp("2025-04-01")
    kpis = pd.DataFrame({
        "manager": ["a"] * 4, "period": [JAN, FEB, MAR, apr],
        "new_customer_attainment": [0.0, 100.0, 0.0, np.nan],
        "new_active_customers": [0.0, 1.0, 0.0, 0.0],
        "new_customer_target": [1.0, 1.0, 1.0, np.nan],
        "coverage": [95.0, 95.0, 95.0, 95.0],  # ③'s other component: 100 on its line
    })
    s = score(kpis, Settings()).set_index("period")
    # ③ = mean(coverage 100, pooled attainment): Jan 0/1 → 0; Feb 1/2 → 50; Mar 1/3 → 33.3
    assert s.loc[JAN, "customers"] == pytest.approx((100 + 0) / 2)
    assert s.loc[FEB, "customers"] == pytest.approx((100 + 50) / 2)
    assert s.loc[MAR, "customers"] == pytest.approx((100 + 100 / 3) / 2)
    # April: no target → the component is not applicable, ③ is coverage alone (not a 0)
    assert s.loc[apr, "customers"] == pytest.approx(100)
    one_month = score(kpis, Settings().replace(assessment__count_window_months=1))
    assert list(one_month["customers"].iloc[:3]) == pytest.approx([50, 100, 50])


def test_part_without_any_target_is_left_out_not_zero() -> None:
    kpis = pd.DataFrame({"manager": ["a"], "period": [JAN], "target_attainment": [np.nan],
                         "log_timeliness": [98.0]})
    row = score(kpis, Settings()).iloc[0]
    assert pd.isna(row["results"]) and row["total"] == pytest.approx(100)
    assert row["parts_scored"] == 1


def test_forecast_mapping_separates_managers() -> None:
    kpis = pd.DataFrame({"manager": list("abcd"), "period": [JAN] * 4,
                         "forecast_accuracy": [100.0, 96.0, 90.0, 75.0]})
    s = score(kpis, Settings()).set_index("manager")
    # 100 at an exact forecast, 0 at 20 % error: 4 % off → 80, 10 % → 50, 25 % → 0
    assert list(s["forecast"]) == pytest.approx([100, 80, 50, 0])
