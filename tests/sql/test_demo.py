"""The demo generator: contract shape, integrity, determinism, and that planted truths show.

The signal checks are sanity checks of the generator (simple queries over its output), not
of any classifier: each compares a planted group with the plain `steady` managers.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from cmdash.contract import NEGATIVE_EVENTS, TABLES
from cmdash.dataset import TRUTH_DIR, Dataset
from cmdash.demo import SIZES, generate
from cmdash.demo.behaviours import PROFILES, STEADY, TYPES
from cmdash.demo.lapses import REASONS

END = dt.date(2025, 10, 31)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int], list]:
    """One full small dataset (24 months) shared by the module's read-only tests."""
    out = tmp_path_factory.mktemp("small")
    calls: list[tuple[float, str]] = []
    counts = generate(out, "small", seed=7, end=END, progress=lambda f, m: calls.append((f, m)))
    return out, counts, calls


@pytest.fixture(scope="module")
def db(small) -> duckdb.DuckDBPyConnection:
    out = small[0]
    con = duckdb.connect()
    ds = Dataset.open(out)
    for name, src in ds.sources().items():
        src_sql = f"read_parquet('{src.glob}', hive_partitioning = false)"
        con.execute(f"create view {name} as select * from {src_sql}")
    for name in ("managers", "customers"):
        path = out / TRUTH_DIR / f"{name}.parquet"
        con.execute(f"create view truth_{name} as select * from read_parquet('{path}')")
    con.execute(f"create macro end_day() as date '{END}'")
    return con


def one(con: duckdb.DuckDBPyConnection, sql: str):
    return con.execute(sql).fetchall()[0][0]


def by_type(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, float]:
    """Mean of a per-manager metric (`sql` yields manager_id, v) per planted type, active only."""
    rows = con.execute(
        f"""
        with x as ({sql})
        select t.planted_type, avg(x.v)
        from x join truth_managers t using (manager_id) join managers m using (manager_id)
        where m.status = 'active' and t.planted_type is not null
        group by 1
        """
    ).fetchall()
    return dict(rows)


def by_signal(con: duckdb.DuckDBPyConnection, sql: str, signal: str) -> tuple[float, float]:
    """Mean of a per-manager metric among active managers showing `signal` ("type:id" in
    planting.SIGNALS), and among the steady managers who show no signal at all."""
    rows = dict(con.execute(
        f"""
        with x as ({sql})
        select t.signals like $pattern, avg(x.v)
        from x join truth_managers t using (manager_id) join managers m using (manager_id)
        where m.status = 'active' and (t.signals like $pattern
          or (t.planted_type = 'steady' and t.signals = ''))
        group by 1
        """, {"pattern": f"%{signal}=%"}).fetchall())
    assert True in rows, f"nobody in the demo shows {signal}"
    return rows[True], rows[False]


def read_all(out: Path) -> dict[str, object]:
    ds = Dataset.open(out)
    return {n: [pq.read_table(f) for f in s.files()] for n, s in sorted(ds.sources().items())}


# --- shape and determinism ---------------------------------------------------------------


def test_sizes_are_declared() -> None:
    assert set(SIZES) == {"small", "medium", "large", "xlarge"}
    managers = {k: s.districts * s.managers_per_district for k, s in SIZES.items()}
    assert managers == {"small": 40, "medium": 200, "large": 1000, "xlarge": 4000}


def test_same_seed_same_tables_other_seed_differs(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate(a, "small", seed=1, end=END, months=3)
    generate(b, "small", seed=1, end=END, months=3)
    generate(c, "small", seed=2, end=END, months=3)
    files = sorted(p.relative_to(a) for p in a.rglob("*.parquet"))
    assert files == sorted(p.relative_to(b) for p in b.rglob("*.parquet"))
    for f in files:
        assert (a / f).read_bytes() == (b / f).read_bytes(), f
    ta, tc = read_all(a), read_all(c)
    assert not ta["sales"][0].equals(tc["sales"][0])
    assert not ta["customers"][0].equals(tc["customers"][0])


def test_every_table_has_the_contract_schema_and_layout(small) -> None:
    out, counts, _ = small
    assert set(counts) == set(TABLES)
    sources = Dataset.open(out).sources()
    assert set(sources) == set(TABLES)
    for name, src in sources.items():
        for f in src.files():
            assert pq.read_schema(f).remove_metadata().equals(TABLES[name].arrow_schema()), f
        assert sum(pq.read_metadata(f).num_rows for f in src.files()) == counts[name]
        assert counts[name] > 0, name
    assert (out / "sales" / "year=2025" / "month=10" / "part-0.parquet").is_file()
    assert len(list((out / "sales").glob("year=*/month=*/part-0.parquet"))) == 24
    assert list((out / "visits" / "year=2024").glob("part-*.parquet"))
    assert not sources["sales"].path.joinpath("year=2025", "month=10").is_file()


def test_progress_is_reported_from_zero_to_one(small) -> None:
    fractions = [f for f, _ in small[2]]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions) and len(fractions) > 24


def test_keys_unique_and_foreign_keys_resolve(db) -> None:
    for t in TABLES.values():
        if t.primary_key:
            dup = one(db, f"select count(*) - count(distinct {t.primary_key}) from {t.name}")
            nulls = one(db, f"select count(*) from {t.name} where {t.primary_key} is null")
            assert dup == 0 and nulls == 0, t.name
        for fk in t.foreign_keys:
            pk = TABLES[fk.table].primary_key
            orphans = one(
                db,
                f"""select count(*) from {t.name} x left join {fk.table} y
                    on x.{fk.column} = y.{pk}
                    where x.{fk.column} is not null and y.{pk} is null""",
            )
            assert orphans == 0, (t.name, fk.column)
    for table, column in (("inspections", "inspector_id"), ("managers", "supervisor_id")):
        orphans = one(
            db,
            f"select count(*) from {table} x anti join managers m on x.{column} = m.manager_id "
            f"where x.{column} is not null",
        )
        assert orphans == 0, column


def test_values_are_within_the_contract(db) -> None:
    start = dt.date(2023, 11, 1)
    for sql in (
        "select min(order_date), max(order_date) from sales",
        "select min(visit_start)::date, max(visit_start)::date from visits",
        "select min(feedback_date), max(greatest(feedback_date, resolved_date)) from feedback",
        "select min(month), max(month) from targets",
        "select min(checkin_at)::date, max(checkin_at)::date from checkins",
        "select min(event_date), max(event_date) from events",
        "select min(inspection_date), max(inspection_date) from inspections",
    ):
        lo, hi = db.execute(sql).fetchall()[0]
        assert start <= lo and hi <= END, sql
    assert one(db, "select max(log_submitted_at)::date from visits") <= END
    for sql in (
        "select max(hire_date) from managers",
        "select max(left_date) from managers",
        "select max(opened_date) from customers",
        "select max(closed_date) from customers",
    ):
        assert one(db, sql) <= END, sql
    bad = {
        "nan amounts": "select count(*) from sales where isnan(amount) or isnan(quantity) "
        "or amount is null or quantity is null",
        "sign mismatch": "select count(*) from sales where sign(amount) <> sign(quantity)",
        "zero lines": "select count(*) from sales where quantity = 0",
        "score": "select count(*) from feedback where score < 1 or score > 5 "
        "or (kind = 'rating') <> (score is not null)",
        "issues": "select count(*) from visits where issues_resolved > issues_raised",
        "left": "select count(*) from managers where (status = 'left') <> (left_date is not null) "
        "or left_date < hire_date",
        "closed": "select count(*) from customers where closed_date < opened_date",
        "resolved": "select count(*) from feedback where resolved_date < feedback_date "
        "or (resolved_date is not null and kind <> 'complaint')",
        "log": "select count(*) from visits where log_submitted_at < visit_start",
        "month": "select count(*) from targets where day(month) <> 1",
        "checkin kind": "select count(*) from checkins where kind not in ('start', 'end')",
    }
    for what, sql in bad.items():
        assert one(db, sql) == 0, what
    for t in TABLES.values():
        for c in t.columns:
            if c.choices:
                allowed = ", ".join(f"'{x}'" for x in c.choices)
                sql = f"select count(*) from {t.name} where {c.name} not in ({allowed})"
                assert one(db, sql) == 0, (t.name, c.name)
    assert 0.0005 < one(db, "select avg((quantity < 0)::int) from sales") < 0.01  # returns


def test_sales_credit_the_manager_of_the_day(db) -> None:
    """Lines go to the manager of the day: some differ from today's owner, none fall outside
    the credited manager's employment."""
    moved = one(
        db,
        "select count(*) from sales s join customers c using (customer_id) "
        "where s.manager_id <> c.manager_id",
    )
    assert moved > 0
    for table, day in (
        ("sales", "order_date"),
        ("visits", "visit_start::date"),
        ("feedback", "feedback_date"),
        ("checkins", "checkin_at::date"),
    ):
        outside = one(
            db,
            f"select count(*) from {table} x join managers m using (manager_id) "
            f"where x.{day} > m.left_date or x.{day} < m.hire_date",
        )
        assert outside == 0, table


# --- truth ---------------------------------------------------------------------------


def test_truth_files_cover_every_type_and_reason(db) -> None:
    types = dict(
        db.execute(
            "select planted_type, count(*) from truth_managers t join managers m "
            "using (manager_id) where m.status = 'active' and planted_type is not null group by 1"
        ).fetchall()
    )
    assert set(types) == set(TYPES) | {STEADY}
    assert min(types.values()) >= 2
    assert 0.4 <= types[STEADY] / sum(types.values()) <= 0.6
    reasons = dict(db.execute("select reason, count(*) from truth_customers group by 1").fetchall())
    assert set(reasons) - {None} == set(REASONS)
    share = one(db, "select avg((lapse_date is not null)::int) from truth_customers")
    assert 0.08 <= share <= 0.16
    spread = one(db, "select count(distinct date_trunc('month', lapse_date)) from truth_customers")
    assert spread >= 20  # lapses spread over the window: any as-of date has positives
    assert one(db, "select count(*) from truth_managers anti join managers using (manager_id)") == 0


def test_truth_stays_out_of_the_tables(small) -> None:
    out = small[0]
    words = set(TYPES) | set(REASONS) | {STEADY, "planted", "truth"}
    for name, parts in read_all(out).items():
        for t in parts:
            assert not words & set(t.column_names), name
            for col in t.columns:
                if str(col.type) == "string":
                    assert not words & set(col.unique().to_pylist()), (name, col)


# --- planted manager signals ---------------------------------------------------------------


def test_under_confident_end_the_day_early_and_forecast_low(db) -> None:
    shown, plain = by_signal(
        db,
        "select manager_id, avg(hour(checkin_at) + minute(checkin_at) / 60) v "
        "from checkins where kind = 'end' group by 1", "under_confident:early_end",
    )
    assert shown < plain - 1.0
    shown, plain = by_signal(
        db,
        "select t.manager_id, sum(forecast) / sum(a.q) v from targets t join "
        "(select manager_id, date_trunc('month', order_date) mo, sum(quantity) q "
        " from sales group by all) a on a.manager_id = t.manager_id and a.mo = t.month "
        "group by 1", "under_confident:under_forecast",
    )
    assert shown < plain - 0.1
    shown, plain = by_signal(db, "select manager_id, avg(order_taken::int) v from visits "
                             "group by 1", "under_confident:low_order_rate")
    assert shown < 0.85 * plain
    # seed 7 writes 档位 as letters (customers.TIER_ENCODINGS): A and B are the large ones
    shown, plain = by_signal(
        db,
        "select v.manager_id, avg((c.tier in ('A', 'B'))::int) v "
        "from visits v join customers c using (customer_id) group by 1",
        "under_confident:small_customers",
    )
    assert shown < plain - 0.05


def test_tiers_are_written_in_the_seeds_encoding(db) -> None:
    assert {r[0] for r in db.execute("select distinct tier from customers").fetchall()} <= set(
        "ABCD")


def test_a_planted_manager_shows_three_signals_or_more_and_tenure_is_free(db) -> None:
    rows = db.execute(
        """select t.planted_type, t.signals from truth_managers t
           where t.planted_type is not null""").fetchall()
    for ptype, signals in rows:
        shown = [s for s in signals.split(";") if s]
        if ptype == STEADY:
            assert len(shown) <= 1 and all(s.endswith("=0.50") for s in shown)
        else:
            assert len(shown) >= 3 and all(s.startswith(f"{ptype}:") for s in shown)
    assert {len([s for s in sig.split(";") if s]) for p, sig in rows if p != STEADY} != {3}
    # tenure is drawn alike for every type; only under-confident's short-tenure signal sets it
    assert {PROFILES[t].tenure_years for t in TYPES} == {PROFILES[STEADY].tenure_years}


def test_complained_about_get_more_complaints_and_lower_ratings(db) -> None:
    shown, plain = by_signal(
        db,
        "select f.manager_id, count(*) filter (where kind = 'complaint') * 100.0 / any_value(n) v "
        "from feedback f join (select manager_id, count(*) n from customers group by 1) c "
        "using (manager_id) group by 1", "complained_about:complaints",
    )
    assert shown > 2 * plain
    shown, plain = by_signal(db, "select manager_id, avg(score) v from feedback group by 1",
                             "complained_about:low_ratings")
    assert shown < plain - 0.3


def test_resentful_have_a_negative_event_then_fall(db) -> None:
    kinds = ", ".join(f"'{k}'" for k in NEGATIVE_EVENTS)
    missing = one(
        db,
        f"""select count(*) from truth_managers t join managers m using (manager_id)
            where t.planted_type = 'resentful' and m.status = 'active' and not exists (
              select 1 from events e where e.manager_id = t.manager_id and e.kind in ({kinds})
              and e.event_date between end_day() - 190 and end_day() - 85)""",
    )
    assert missing == 0
    trend = by_type(
        db,
        "select manager_id, "
        "  count(*) filter (where visit_start > end_day() - interval 3 month) * 2.0 / "
        "  count(*) filter (where visit_start <= end_day() - interval 3 month "
        "                   and visit_start > end_day() - interval 9 month) v "
        "from visits group by 1",
    )
    assert trend["resentful"] < trend[STEADY] - 0.05


def test_strong_start_weak_finish_front_load_each_month(db) -> None:
    first_half = by_type(
        db, "select manager_id, avg((day(visit_start) <= 15)::int) v from visits group by 1"
    )
    assert first_half["strong_start_weak_finish"] > 0.58 > 0.55 > first_half[STEADY]


def test_complacent_and_excellent_results(db) -> None:
    att = """
        select t.manager_id, sum(a.q) filter (where t.month > end_day() - interval 3 month)
          / sum(t.sales_target) filter (where t.month > end_day() - interval 3 month) v
        from targets t join (select manager_id, date_trunc('month', order_date) mo,
          sum(quantity) q from sales group by all) a
          on a.manager_id = t.manager_id and a.mo = t.month group by 1
    """
    recent = by_type(db, att)
    earlier = by_type(db, att.replace("> end_day() - interval 3", "< end_day() - interval 12"))
    assert recent["excellent"] > recent[STEADY] + 0.08
    assert earlier["complacent"] > earlier[STEADY] + 0.05
    shown, _ = by_signal(db, att.replace("> end_day() - interval 3", "< end_day() - interval 12"),
                         "complacent:plateau")
    now, _ = by_signal(db, att, "complacent:plateau")
    assert now < shown - 0.05
    shown, plain = by_signal(
        db,
        "select manager_id, avg((opened_date > end_day() - interval 24 month)::int) v "
        "from customers group by 1", "complacent:few_new_customers",
    )
    assert shown < plain * 0.75


def test_lacking_drive_miss_the_plan_and_file_late(db) -> None:
    shown, plain = by_signal(
        db,
        "select manager_id, count(*) filter (where planned) / any_value(t.vt) v "
        "from visits join (select manager_id, sum(visit_target) vt from targets group by 1) t "
        "using (manager_id) group by 1", "lacking_drive:below_plan",
    )
    assert shown < plain - 0.1
    shown, plain = by_signal(
        db,
        "select manager_id, avg((log_submitted_at - visit_start > interval 24 hour)::int) v "
        "from visits group by 1", "lacking_drive:late_logs",
    )
    assert shown > plain + 0.15


def test_leavers_fall_below_target_before_leaving(db) -> None:
    rows = db.execute(
        """
        with a as (select manager_id, date_trunc('month', order_date) mo, sum(quantity) q
                   from sales group by all)
        select m.manager_id,
          sum(a.q) filter (where t.month between m.left_date - interval 4 month
                           and m.left_date - interval 1 month)
          / sum(t.sales_target) filter (where t.month between m.left_date - interval 4 month
                           and m.left_date - interval 1 month) late,
          sum(a.q) filter (where t.month < m.left_date - interval 7 month)
          / sum(t.sales_target) filter (where t.month < m.left_date - interval 7 month) early
        from managers m join targets t using (manager_id)
          join a on a.manager_id = t.manager_id and a.mo = t.month
        where m.status = 'left' group by 1
        """
    ).fetchall()
    assert rows
    compared = [(late, early) for _, late, early in rows if early is not None]
    assert sum(late < early for late, early in compared) >= 0.8 * len(compared)


# --- planted customer lapses ---------------------------------------------------------------


def test_lapsed_customers_stop_ordering_and_show_their_reason(db) -> None:
    after = one(
        db,
        "select count(*) from sales s join truth_customers t using (customer_id) "
        "where s.order_date >= t.lapse_date",
    )
    assert after == 0
    closed = one(
        db,
        "select count(*) from truth_customers t join customers c using (customer_id) "
        "where (t.reason = 'closed') <> (c.closed_date is not null) "
        "or c.closed_date <> t.lapse_date",
    )
    assert closed == 0
    stats = dict(
        (r[0], r[1:])
        for r in db.execute(
            """
            select t.reason,
              avg((select coalesce(sum(quantity), 0) from sales s
                   where s.customer_id = t.customer_id
                   and s.order_date between t.lapse_date - 60 and t.lapse_date - 1)) recent,
              avg((select coalesce(sum(quantity), 0) from sales s
                   where s.customer_id = t.customer_id
                   and s.order_date between t.lapse_date - 180 and t.lapse_date - 121)) before,
              avg((select count(*) from visits v where v.customer_id = t.customer_id
                   and v.visit_start::date between t.lapse_date - 45 and t.lapse_date - 1)) visits,
              avg((select count(*) from feedback f where f.customer_id = t.customer_id
                   and f.kind = 'complaint'
                   and f.feedback_date between t.lapse_date - 120 and t.lapse_date)) complaints
            from truth_customers t join customers c using (customer_id)
            where t.lapse_date > date '2023-11-01' + 200 and c.opened_date < t.lapse_date - 200
            group by 1
            """
        ).fetchall()
    )
    assert stats["declining"][0] < 0.7 * stats["declining"][1]
    assert stats["complaints"][0] > 0.7 * stats["complaints"][1]
    assert stats["neglected"][2] == 0
    assert stats["closed"][2] > 1
    assert stats["complaints"][3] > 1 > 0.2 > stats["declining"][3]


def test_manager_left_lapses_had_no_hand_over_visit(db) -> None:
    """After the departed manager's last day, nobody visited the customer before it lapsed."""
    rows = db.execute(
        """
        select count(*), count(*) filter (where exists (
          select 1 from visits v join managers m using (manager_id)
          where v.customer_id = t.customer_id and m.status = 'active'
            and v.visit_start::date < t.lapse_date
            and v.visit_start::date > t.lapse_date - 20))
        from truth_customers t where t.reason = 'manager_left'
        """
    ).fetchall()[0]
    assert rows[0] > 0 and rows[1] <= 0.02 * rows[0]


def test_steady_managers_check_in_as_well_in_holiday_months(small) -> None:
    """Workdays follow China's official calendar (春节, 国庆 and their 调休 weekends), in the
    demo's check-ins and in the KPI: holiday months are not months of missed check-ins."""
    from cmdash.engine import open_engine
    from cmdash.kpi import compute

    out = small[0]
    truth = pd.read_parquet(out / TRUTH_DIR / "managers.parquet")
    steady = set(truth.loc[truth["planted_type"] == "steady", "manager_id"])
    v = compute(open_engine(Dataset.open(out)), ["checkin_compliance"], ("manager",),
                "month").values
    v = v[v["manager"].isin(steady)]
    monthly = v.groupby("period")["checkin_compliance"].mean()
    month = pd.DatetimeIndex(monthly.index).month
    holiday = monthly[np.isin(month, (1, 2, 4, 5, 6, 9, 10))]  # 春节, 清明, 劳动节, 端午, 国庆
    usual = monthly[~np.isin(month, (1, 2, 4, 5, 6, 9, 10))]
    assert len(holiday) >= 12 and len(usual) >= 6
    assert (holiday - usual.mean()).abs().max() < 5, monthly.round(1).to_dict()
    assert monthly.between(80, 100).all()
