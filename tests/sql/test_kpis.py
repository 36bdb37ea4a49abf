"""Every KPI in the catalog against a value worked out by hand from tests/fixtures.py.

The worked example is 李娜 (KM-0002) in Q2 2025 (April–June), whose lines are:
  O-2504-02 3205003 P03 14条  O-2504-03 3205005 P02 10条 (taken over from KM-0003)
  O-2505-02 3205006 P02  7条  O-2506-02 3205005 P03  9条
  O-2506-03 3205003 P01  5条  O-2506-05 3205006 P03  6条
prices P01 450, P02 190 (cultivation), P03 120 元/条; 250 条 per 箱 (P04 has no case size).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.kpi import KPIS, compute
from cmdash.kpi.compare import COMPARISONS
from cmdash.query import Filters
from tests.fixtures import write_tiny_dataset

AMOUNT_Q2 = 14 * 120 + 10 * 190 + 7 * 190 + 9 * 120 + 5 * 450 + 6 * 120  # 8 960 元
UNITS_Q2 = 14 + 10 + 7 + 9 + 5 + 6  # 51 条
CASES_Q2 = UNITS_Q2 / 250
BY_CUSTOMER_Q2 = {"3205003": 14 * 120 + 5 * 450, "3205005": 10 * 190 + 9 * 120,
                  "3205006": 7 * 190 + 6 * 120}

# KM-0002, Q2 2025: kpi -> value worked by hand (None = no value: nothing to divide by)
EXPECTED_KM2_Q2 = {
    "sales_cases": CASES_Q2,
    "sales_units": UNITS_Q2,
    "uncased_units": 0,  # no P04 line in Q2
    "sales_amount": AMOUNT_Q2 / 10_000,
    "value_per_case": AMOUNT_Q2 / CASES_Q2,
    "cultivation_cases": (10 + 7) / 250,
    "cultivation_share": 100 * (10 + 7) / UNITS_Q2,
    "cultivation_customers": 2,  # 3205005, 3205006
    "cultivation_stockists": 2,  # the same two carry P02 (supplied February–June)
    "target_attainment": 100 * UNITS_Q2 / (30 + 35 + 38),
    "target_units_sold": UNITS_Q2,  # targets in all three months
    "sales_target": 30 + 35 + 38,
    # monthly units 24 / 7 / 20 against forecasts 30 / 33 / 36
    "forecast_accuracy": 100 * (1 - (6 + 26 + 16) / (30 + 33 + 36)),
    "active_customers": 3,
    "new_customers": 0,  # 3205006 opened in February
    "new_active_customers": 0,
    "new_customer_attainment": 0.0,  # 0 of 1 + 1 + 1
    # lost = 90 days without an order: 3205004's last order, 11 March, is 90 days old on
    # 9 June (KM-0002 had the order, so KM-0002 has the loss)
    "lost_customers": 1,
    # active on 1 April with KM-0002's order at most 90 days before: 3205003 (17 February)
    # and 3205004 (11 March; 3205005's March order was KM-0003's); 3205003 kept
    "retention_rate": 50.0,
    "top5_share": 100.0,
    "hhi": sum((100 * v / AMOUNT_Q2) ** 2 for v in BY_CUSTOMER_Q2.values()),
    # per retailer, SKUs supplied in Q2 ÷ SKUs supplied from February (60 days before 1
    # April, by month) to June: 3205003 2/2 (P01, P03), 3205004 0/1 (P04 in March),
    # 3205005 2/2 and 3205006 2/2 (P02, P03; their later lines are KM-0002's)
    "sell_through_rate": 100 * 6 / 7,
    "return_rate": 0.0,
    # carried February–June; core ranges (≥ half the tier's retailers): A {P01, P03}
    # (3205001, 3205003, 3205007), B {P02, P03}, C {P02, P03, P04}: 3205003 2/2, 3205004
    # 1/3 (P04), 3205005 2/2, 3205006 2/3
    "range_listing_rate": 100 * (2 + 1 + 2 + 2) / (2 + 3 + 2 + 3),
    # supplied ÷ ordered over the lines with an order quantity (O-2505-02 has none)
    "order_fill_rate": 100 * (14 + 10 + 9 + 5 + 6) / (20 + 10 + 12 + 5 + 6),
    "stockout_rate": 0.0,  # V006 stock OK; V008 (phone) not checked
    "visits": 2,  # V006, V008
    "visits_per_customer": 2 / 3,  # book: 3205003, 3205005, 3205006 (3205004 closed)
    "coverage": 100 * 2 / 3,
    "on_site_share": 50.0,
    "phone_share": 50.0,
    "online_share": 0.0,
    "plan_execution": 100 * 2 / (22 + 24 + 24),
    "order_rate": 100.0,
    "price_tag_pass": 0.0,  # V006 failed; V008 was a phone call, not checked
    "display_pass": 100.0,
    "stock_pass": 100.0,
    "info_rate": 100.0,
    "issue_resolution": 100.0,  # 1 of 1
    "log_timeliness": 100.0,  # 7 h and 16.5 h after the visit
    "accompanied_visits": 0,
    # one day with both check-ins; 61 weekdays from 1 April to the last sale, 24 June, less
    # the official holidays 4 April (清明), 1, 2, 5 May (劳动节) and 2 June (端午), plus the
    # 调休 make-up Sunday 27 April, less 9 June, a day off in the company's calendar: 56
    "checkin_compliance": 100 * 1 / 56,
    "early_end_share": 0.0,  # ended 17:45, after 16:00
    "inspection_pass_rate": None,  # no inspection in Q2
    "mean_rating": None,  # only an inquiry in Q2
    "complaints_per_100": 0.0,
    "complaint_resolution_days": None,
    "repeat_complainers": 0,
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_dataset(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="module")
def quarterly(tiny: Path):
    return compute(open_engine(Dataset.open(tiny)), list(KPIS), ("manager",), "quarter")


def _cell(frame: pd.DataFrame, kpi: str, **keys: object) -> float:
    row = frame
    for col, value in keys.items():
        row = row[row[col] == value]
    assert len(row) == 1, keys
    return row.iloc[0][kpi]


def test_every_kpi_has_a_worked_value() -> None:
    assert set(EXPECTED_KM2_Q2) == set(KPIS)


@pytest.mark.parametrize("kpi", sorted(EXPECTED_KM2_Q2))
def test_kpi_by_hand(quarterly, kpi: str) -> None:
    got = _cell(quarterly.values, kpi, manager="KM-0002", period=pd.Timestamp("2025-04-01"))
    want = EXPECTED_KM2_Q2[kpi]
    if want is None:
        assert pd.isna(got), f"{kpi}: expected no value, got {got}"
    else:
        assert got == pytest.approx(want, rel=1e-9), kpi


def test_returns_reassignment_and_a_manager_who_left(quarterly) -> None:
    v = quarterly.values
    q1, q2 = pd.Timestamp("2025-01-01"), pd.Timestamp("2025-04-01")
    # KM-0002's Q1: 15 条 P03, 6 条 P01 and 30 + 18 − 6 条 of P04, which has no
    # units_per_case: its 42 条 are never shown as 箱 (nor its return as a returned 箱)
    assert _cell(v, "sales_cases", manager="KM-0002", period=q1) == pytest.approx(
        (15 + 6) / 250)
    assert _cell(v, "uncased_units", manager="KM-0002", period=q1) == 30 + 18 - 6
    assert _cell(v, "sales_units", manager="KM-0002", period=q1) == 15 + 6 + 30 + 18 - 6
    assert _cell(v, "return_rate", manager="KM-0002", period=q1) == 0.0
    # KM-0004's Q2: P04 35 + 38 条, P01 14 − 2 条 (a return): cases and 单箱值 over P01 only
    assert _cell(v, "return_rate", manager="KM-0004", period=q2) == pytest.approx(100 * 2 / 14)
    assert _cell(v, "sales_cases", manager="KM-0004", period=q2) == pytest.approx(12 / 250)
    assert _cell(v, "value_per_case", manager="KM-0004", period=q2) == pytest.approx(
        450 * 250)
    assert _cell(v, "uncased_units", manager="KM-0004", period=q2) == 35 + 38
    # 3205005's Q1 lines stay with KM-0003, who left on 15 April
    assert _cell(v, "sales_cases", manager="KM-0003", period=q1) == pytest.approx(35 / 250)
    assert _cell(v, "target_attainment", manager="KM-0003", period=q2) == 0.0
    assert _cell(v, "complaint_resolution_days", manager="KM-0003", period=q1) == 6


def test_regions_sum_to_the_company(tiny: Path) -> None:
    eng = open_engine(Dataset.open(tiny))
    regions = compute(eng, ["sales_cases", "visits"], ("region",), "year").values
    company = compute(eng, ["sales_cases", "visits"], (), "year").values
    assert regions["sales_cases"].sum() == pytest.approx(company["sales_cases"].sum())
    assert regions["visits"].sum() == company["visits"].sum() == 8


def test_missing_or_empty_tables_make_kpis_unavailable_not_zero(tiny: Path,
                                                                tmp_path: Path) -> None:
    copy = tmp_path / "lean"
    shutil.copytree(tiny, copy)
    for name in ("checkins", "inspections", "events"):
        (copy / f"{name}.parquet").unlink()
    import pyarrow.parquet as pq

    visits = pq.read_table(copy / "visits.parquet")
    pq.write_table(visits.slice(0, 0), copy / "visits.parquet")
    result = compute(open_engine(Dataset.open(copy)), list(KPIS), ("manager",), "month")
    assert result.unavailable["checkin_compliance"].reason == "no_data"
    assert result.unavailable["checkin_compliance"].tables == ("checkins",)
    assert result.unavailable["coverage"].tables == ("visits",)
    assert "checkin_compliance" not in result.values
    assert result.values["sales_cases"].notna().all()


def test_grain_limits(tiny: Path) -> None:
    eng = open_engine(Dataset.open(tiny))
    by_brand = compute(eng, ["sales_cases", "visits", "sell_through_rate"], ("brand",), "year")
    assert by_brand.unavailable["visits"].reason == "grain"
    v = by_brand.values.set_index("brand")
    assert v.loc["利群", "sales_cases"] == pytest.approx(
        (20 + 8 + 25 + 5 + 12 + 22 + 10 + 18 + 7 + 24) / 250)  # every P02 line
    # the year's look-back (60 days before 1 January) precedes the data: not measured
    assert pd.isna(v.loc["红塔山", "sell_through_rate"])
    q2 = compute(eng, ["sell_through_rate", "range_listing_rate"], ("brand",), "quarter")
    assert q2.unavailable["range_listing_rate"].reason == "grain"  # a tier's core, not a brand's
    v = q2.values[q2.values["period"] == pd.Timestamp("2025-04-01")].set_index("brand")
    # 红塔山 (P04) carried February–June by 3205004 (11 March) and 3205008; Q2 supply: 3205008
    assert v.loc["红塔山", "sell_through_rate"] == 50.0
    weekly = compute(eng, ["target_attainment", "visits"], ("manager",), "week")
    assert weekly.unavailable["target_attainment"].reason == "grain"  # targets are monthly


def test_prior_and_last_year_comparisons(tiny: Path) -> None:
    eng = open_engine(Dataset.open(tiny))
    import datetime as dt

    res = compute(eng, ["sales_cases"], ("manager",), "month",
                  Filters(start=dt.date(2025, 6, 1)), comparisons=COMPARISONS)
    v = res.values
    assert set(v["period"]) == {pd.Timestamp("2025-06-01")}
    km4 = v[v["manager"] == "KM-0004"].iloc[0]
    assert km4["sales_cases__prior"] == pytest.approx((14 - 2) / 250)  # May
    assert pd.isna(km4["sales_cases__yoy"])  # no 2024 data
    ranks = v.set_index("manager")["sales_cases__rank"]
    # June: KM-0001 24 条 of P02, KM-0002 9 + 5 + 6 条; KM-0004's 38 条 of P04 are no 箱
    assert (ranks["KM-0001"], ranks["KM-0002"], ranks["KM-0004"]) == (1, 2, 3)


def test_one_scan_serves_every_grouping(tiny: Path) -> None:
    from cmdash.kpi import kpi_table, scan_for

    eng = open_engine(Dataset.open(tiny))
    queries = []
    original = eng.query
    eng.query = lambda sql, params, **kw: queries.append(sql) or original(sql, params, **kw)
    s = scan_for(eng, list(KPIS), "month", None, None)
    scanned = len(queries)
    whole = kpi_table(s, list(KPIS), ("district",), "all").values.set_index("district")
    company = kpi_table(s, list(KPIS), (), "quarter").values
    regions = kpi_table(s, list(KPIS), ("region",), "quarter").values
    assert len(queries) == scanned, "roll-ups must not query the engine"
    assert whole.loc["吴中片区", "sales_cases"] == pytest.approx(35 / 250)  # all of KM-0003's
    # distinct customers are counted once at every level, not summed over managers
    assert company["active_customers"].iloc[0] == 8  # every customer ordered in Q1
    # 3205005 and 3205006 ordered from KM-0003 and then from KM-0002: once each company-wide
    total = kpi_table(s, ["active_customers"], (), "all").values["active_customers"].iloc[0]
    managers = kpi_table(s, ["active_customers"], ("manager",), "all").values
    assert (total, managers["active_customers"].sum()) == (8, 10)
    assert regions.groupby("period")["sales_cases"].sum().to_numpy() == pytest.approx(
        company["sales_cases"].to_numpy())


def test_without_any_case_size_volume_is_in_units_and_cases_are_not_measured(
        tiny: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    copy = tmp_path / "no_cases"
    shutil.copytree(tiny, copy)
    products = pq.read_table(copy / "products.parquet")
    pq.write_table(products.drop_columns(["units_per_case"]), copy / "products.parquet")
    result = compute(open_engine(Dataset.open(copy)),
                     ["sales_cases", "value_per_case", "sales_units", "uncased_units"],
                     ("manager",), "quarter")
    for kpi in ("sales_cases", "value_per_case"):
        assert result.unavailable[kpi].tables == ("products.units_per_case",)
    v = result.values
    q2 = pd.Timestamp("2025-04-01")
    assert _cell(v, "sales_units", manager="KM-0002", period=q2) == UNITS_Q2
    assert _cell(v, "uncased_units", manager="KM-0002", period=q2) == UNITS_Q2


def test_stockouts_and_fill_rate_by_hand_and_not_measured_without_their_columns(
        tiny: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    eng = open_engine(Dataset.open(tiny))
    company = compute(eng, ["stockout_rate", "order_fill_rate"], (), "quarter").values
    q1 = company[company["period"] == pd.Timestamp("2025-01-01")].iloc[0]
    # Q1 stock checks: V001 ok, V002 ok, V004 below safety stock (V003 a phone call, no check)
    assert q1["stockout_rate"] == pytest.approx(100 / 3)
    assert pd.isna(q1["order_fill_rate"])  # no order quantity recorded in Q1: nothing to divide

    copy = tmp_path / "lean"
    shutil.copytree(tiny, copy)
    sales = pq.read_table(copy / "sales.parquet")
    pq.write_table(sales.drop_columns(["ordered_quantity"]), copy / "sales.parquet")
    visits = pq.read_table(copy / "visits.parquet")
    pq.write_table(visits.drop_columns(["stock_ok"]), copy / "visits.parquet")
    lean = compute(open_engine(Dataset.open(copy)), ["stockout_rate", "order_fill_rate",
                                                     "visits"], ("manager",), "quarter")
    assert lean.unavailable["stockout_rate"].tables == ("visits.stock_ok",)
    assert lean.unavailable["order_fill_rate"].tables == ("sales.ordered_quantity",)
    assert "visits" not in lean.unavailable


def test_lost_after_n_days_without_an_order_at_weekly_grain(tiny: Path) -> None:
    eng = open_engine(Dataset.open(tiny))
    weekly = compute(eng, ["lost_customers", "retention_rate"], (), "week").values
    lost = weekly[weekly["lost_customers"] > 0]
    # every other customer's longest silence is under 90 days (3205006: 86, 12 Feb–9 May)
    assert list(lost["period"]) == [pd.Timestamp("2025-06-09")]
    assert lost["lost_customers"].tolist() == [1]
    # active on 9 June: all eight (3205004's last order is exactly 90 days old); one lost
    june9 = weekly[weekly["period"] == pd.Timestamp("2025-06-09")].iloc[0]
    assert june9["retention_rate"] == pytest.approx(100 * 7 / 8)
    assert weekly["period"].max() <= pd.Timestamp("2025-06-24")  # no week after the data
    # 60 days: gaps over 60 days after 3 March (3205001), 2 April (3205002), 7 April
    # (3205003), 11 March (3205004), 12 February (3205006), 13 March (3205007), 10 February
    # (3205008)
    short = compute(eng, ["lost_customers"], (), "week", measure_params={"lost_days": 60})
    assert short.values["lost_customers"].sum() == 7
    by_week = short.values.set_index("period")["lost_customers"]
    assert by_week[pd.Timestamp("2025-04-07")] == 2  # 3205008 on 11 April, 3205006 on 13 April


def test_stocking_a_cultivation_brand_is_not_ordering_it(tiny: Path) -> None:
    monthly = compute(open_engine(Dataset.open(tiny)),
                      ["cultivation_customers", "cultivation_stockists"], ("manager",),
                      "month").values
    june = monthly[(monthly["manager"] == "KM-0002")
                   & (monthly["period"] == pd.Timestamp("2025-06-01"))].iloc[0]
    # June's lines are P03 and P01: nobody ordered P02; 3205006, supplied P02 on 9 May
    # (within 60 days, by month: May and June), still carries it
    assert (june["cultivation_customers"], june["cultivation_stockists"]) == (0, 1)


def test_comparisons_of_an_empty_scope_are_empty_not_an_error() -> None:
    """A scope with no rows of its own (a 市场经理 without a book) still gets the columns."""
    import pandas as pd

    from cmdash.kpi.compare import compare

    empty = pd.DataFrame({"manager": pd.Series(dtype=object), "period": pd.Series(dtype=object),
                          "sales_cases": pd.Series(dtype="float64")})
    out = compare(empty, ["manager"], "month", ["sales_cases"])
    assert out.empty and {"sales_cases__prior", "sales_cases__yoy"} <= set(out.columns)


def test_lapses_over_the_whole_history_with_many_managers() -> None:
    """Over the whole history in one period nobody is active at its start (an empty count);
    with more than 127 managers the other counts' manager level has wider codes, which
    pandas could not align with the empty one (the managers page, no date filter, on a
    dataset read without a prepared layer)."""
    import numpy as np

    from cmdash.kpi.derived import lapses

    managers = [f"KM{i:04d}" for i in range(200)]
    rows = pd.DataFrame({
        "manager": pd.Categorical(["KM0001", "KM0001", "KM0150"], categories=managers),
        "customer": pd.Categorical(["C1", "C1", "C2"]),
        "active_lines": [3, 2, 1],
        # days since 1970: C1 orders on day 20000 and 20010, C2 on day 20000 only
        "first_order_day": [20000.0, 20010.0, 20000.0],
        "last_order_day": [20000.0, 20010.0, 20000.0],
    })
    starts = np.array(["2024-01-01"], "datetime64[D]")  # day 19723
    ends = np.array(["2025-06-30"], "datetime64[D]")  # day 20269
    out = lapses(rows, ["manager"], starts, ends, ends[0], 90).set_index("manager")
    # C1 lost 90 days after its last order (day 20100), credited to KM0001; C2 on 20090
    assert out.loc["KM0001", "lost_customers"] == 1 and out.loc["KM0150", "lost_customers"] == 1
    assert (out["prior_active_customers"] == 0).all()  # nobody ordered before the history
    assert (out["retained_customers"] == 0).all()
