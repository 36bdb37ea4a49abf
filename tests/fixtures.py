"""A tiny, contract-valid dataset written from readable lists, reused across test layers.

Story (Jan–Jun 2025, validated with today = FIXTURE_TODAY):
- 2 regions (苏州, 无锡), 3 districts (姑苏片区, 吴中片区 in 苏州; 梁溪片区 in 无锡).
- 4 managers; KM-0003 left on 2025-04-15.
- 8 customers; 3205005 was KM-0003's and now belongs to KM-0002 (its Feb/Mar sales lines still
  credit KM-0003); 3205004 closed on 2025-03-31.
- 4 products; P02 is the cultivation brand; units_per_case 250 (1 标准箱 = 250 条); P04 leaves
  it null, so its volume is counted in 条 only, never as 箱.
- 30 sales lines, 2 of them returns (negative quantity and amount).
- visits (one accompanied by the supervisor), feedback (ratings, a resolved complaint),
  targets Apr–Jun, and the optional checkins, inspections, events, inventory and calendar.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from cmdash.contract import TABLES

FIXTURE_TODAY = date(2025, 7, 1)

D = date
T = datetime

MANAGERS = (
    ("manager_id", "name", "region", "district", "supervisor_id", "grade", "hire_date",
     "birth_year", "education", "prior_role", "status", "left_date"),
    ("KM-0001", "张伟", "苏州", "姑苏片区", None, "高级", D(2012, 3, 1), 1985, "本科", "访销",
     "active", None),
    ("KM-0002", "李娜", "苏州", "姑苏片区", "KM-0001", "中级", D(2018, 7, 16), 1992, "大专", "送货",
     "active", None),
    ("KM-0003", "王强", "苏州", "吴中片区", "KM-0001", "初级", D(2021, 9, 1), 1996, "本科", "市管",
     "left", D(2025, 4, 15)),
    ("KM-0004", "刘洋", "无锡", "梁溪片区", None, "资深", D(2008, 5, 20), 1978, "硕士", "访销",
     "active", None),
)

CUSTOMERS = (
    ("customer_id", "name", "manager_id", "district", "tier", "format", "area_type",
     "opened_date", "closed_date", "is_sample_store"),
    ("3205001", "姑苏便利店", "KM-0001", "姑苏片区", "A", "便利店", "城镇", D(2010, 5, 1), None,
     True),
    ("3205002", "平江烟酒行", "KM-0001", "姑苏片区", "B", "烟酒店", "城镇", D(2015, 3, 12), None,
     False),
    ("3205003", "观前超市", "KM-0002", "姑苏片区", "A", "超市", "城镇", D(2016, 8, 20), None,
     None),
    ("3205004", "山塘食杂店", "KM-0002", "姑苏片区", "C", "食杂店", "城镇", D(2019, 1, 5),
     D(2025, 3, 31), False),
    ("3205005", "木渎便利店", "KM-0002", "吴中片区", "B", "便利店", "乡村", D(2020, 6, 1), None,
     False),  # KM-0003's until he left
    ("3205006", "东山烟酒店", "KM-0002", "吴中片区", "C", "烟酒店", "乡村", D(2025, 2, 1), None,
     False),
    ("3205007", "梁溪超市", "KM-0004", "梁溪片区", "A", "超市", "城镇", D(1996, 4, 1), None,
     True),
    ("3205008", "惠山食杂店", "KM-0004", "梁溪片区", "D", "食杂店", "乡村", D(2022, 11, 11), None,
     False),
)

PRODUCTS = (
    ("product_id", "name", "brand", "price_tier", "unit_price", "is_cultivation_brand",
     "units_per_case"),
    ("P01", "中华(硬)", "中华", "一类", 450.0, False, 250.0),
    ("P02", "利群(新版)", "利群", "二类", 190.0, True, 250.0),
    ("P03", "南京(红)", "南京", "三类", 120.0, False, 250.0),
    ("P04", "红塔山(经典)", "红塔山", "四类", 75.0, False, None),
)
PRICE = {row[0]: row[4] for row in PRODUCTS[1:]}

# order_id, order_date, customer_id, manager_id, product_id, quantity; amount = quantity × price
SALES_LINES = (
    ("O-2501-01", D(2025, 1, 6), "3205001", "KM-0001", "P01", 10.0),
    ("O-2501-01", D(2025, 1, 6), "3205001", "KM-0001", "P02", 20.0),
    ("O-2501-02", D(2025, 1, 8), "3205003", "KM-0002", "P03", 15.0),
    ("O-2501-03", D(2025, 1, 9), "3205005", "KM-0003", "P02", 8.0),
    ("O-2501-04", D(2025, 1, 14), "3205007", "KM-0004", "P01", 12.0),
    ("O-2501-05", D(2025, 1, 20), "3205004", "KM-0002", "P04", 30.0),
    ("O-2502-01", D(2025, 2, 3), "3205002", "KM-0001", "P02", 25.0),
    ("O-2502-02", D(2025, 2, 5), "3205005", "KM-0003", "P03", 10.0),
    ("O-2502-03", D(2025, 2, 10), "3205008", "KM-0004", "P04", 40.0),
    ("O-2502-04", D(2025, 2, 12), "3205006", "KM-0003", "P02", 5.0),
    ("O-2502-05", D(2025, 2, 17), "3205003", "KM-0002", "P01", 6.0),
    ("O-2503-01", D(2025, 3, 3), "3205001", "KM-0001", "P01", 9.0),
    ("O-2503-02", D(2025, 3, 4), "3205005", "KM-0003", "P02", 12.0),
    ("O-2503-03", D(2025, 3, 11), "3205004", "KM-0002", "P04", 18.0),
    ("O-2503-04", D(2025, 3, 13), "3205007", "KM-0004", "P03", 20.0),
    ("O-2503-05", D(2025, 3, 18), "3205004", "KM-0002", "P04", -6.0),  # return
    ("O-2504-01", D(2025, 4, 2), "3205002", "KM-0001", "P02", 22.0),
    ("O-2504-02", D(2025, 4, 7), "3205003", "KM-0002", "P03", 14.0),
    ("O-2504-03", D(2025, 4, 21), "3205005", "KM-0002", "P02", 10.0),  # now KM-0002's
    ("O-2504-04", D(2025, 4, 22), "3205008", "KM-0004", "P04", 35.0),
    ("O-2505-01", D(2025, 5, 6), "3205001", "KM-0001", "P01", 11.0),
    ("O-2505-01", D(2025, 5, 6), "3205001", "KM-0001", "P02", 18.0),
    ("O-2505-02", D(2025, 5, 9), "3205006", "KM-0002", "P02", 7.0),
    ("O-2505-03", D(2025, 5, 15), "3205007", "KM-0004", "P01", 14.0),
    ("O-2505-04", D(2025, 5, 20), "3205007", "KM-0004", "P01", -2.0),  # return
    ("O-2506-01", D(2025, 6, 3), "3205002", "KM-0001", "P02", 24.0),
    ("O-2506-02", D(2025, 6, 5), "3205005", "KM-0002", "P03", 9.0),
    ("O-2506-03", D(2025, 6, 10), "3205003", "KM-0002", "P01", 5.0),
    ("O-2506-04", D(2025, 6, 16), "3205008", "KM-0004", "P04", 38.0),
    ("O-2506-05", D(2025, 6, 24), "3205006", "KM-0002", "P03", 6.0),
)
# (order_id, product_id) -> 条 the retailer asked for (订单需求), where recorded
ORDERED = {("O-2504-02", "P03"): 20.0, ("O-2504-03", "P02"): 10.0, ("O-2506-02", "P03"): 12.0,
           ("O-2506-03", "P01"): 5.0, ("O-2506-05", "P03"): 6.0}
SALES = (
    ("order_id", "order_date", "customer_id", "manager_id", "product_id", "quantity", "amount",
     "ordered_quantity"),
    *((*line, line[5] * PRICE[line[4]], ORDERED.get((line[0], line[4])))
      for line in SALES_LINES),
)

VISITS = (
    ("visit_id", "manager_id", "customer_id", "visit_start", "duration_min", "channel",
     "planned", "accompanied_by", "order_taken", "price_tags_ok", "display_ok", "stock_ok",
     "info_collected", "issues_raised", "issues_resolved", "log_submitted_at"),
    ("V001", "KM-0001", "3205001", T(2025, 1, 6, 9, 30), 25.0, "on_site", True, None, True,
     True, True, True, True, 1, 1, T(2025, 1, 6, 18, 0)),
    ("V002", "KM-0002", "3205003", T(2025, 1, 8, 10, 0), 30.0, "on_site", True, "KM-0001",
     True, True, False, True, True, 2, 1, T(2025, 1, 8, 17, 30)),
    ("V003", "KM-0003", "3205005", T(2025, 2, 5, 14, 0), 10.0, "phone", False, None, True,
     None, None, None, False, 0, 0, T(2025, 2, 6, 9, 0)),
    ("V004", "KM-0004", "3205007", T(2025, 3, 13, 9, 0), 40.0, "on_site", True, None, True,
     True, True, False, True, 3, 2, T(2025, 3, 13, 20, 0)),
    ("V005", "KM-0004", "3205008", T(2025, 4, 22, 15, 0), 5.0, "online", False, None, True,
     None, None, None, True, 0, 0, None),
    ("V006", "KM-0002", "3205005", T(2025, 4, 21, 11, 0), 35.0, "on_site", True, None, True,
     False, True, True, True, 1, 1, T(2025, 4, 21, 18, 0)),
    ("V007", "KM-0001", "3205002", T(2025, 6, 3, 9, 15), 20.0, "on_site", True, None, True,
     True, True, True, False, 0, 0, T(2025, 6, 3, 17, 0)),
    ("V008", "KM-0002", "3205006", T(2025, 6, 24, 16, 0), 15.0, "phone", True, None, True,
     None, None, None, True, None, None, T(2025, 6, 25, 8, 30)),
)

FEEDBACK = (
    ("feedback_id", "feedback_date", "customer_id", "manager_id", "kind", "score", "category",
     "resolved_date"),
    ("F001", D(2025, 1, 31), "3205001", "KM-0001", "rating", 5.0, "服务", None),
    ("F002", D(2025, 1, 31), "3205003", "KM-0002", "rating", 4.0, "服务", None),
    ("F003", D(2025, 2, 14), "3205005", "KM-0003", "complaint", None, "货源", D(2025, 2, 20)),
    ("F004", D(2025, 3, 31), "3205007", "KM-0004", "rating", 3.0, "价格", None),
    ("F005", D(2025, 5, 8), "3205006", "KM-0002", "inquiry", None, "货源", None),
    ("F006", D(2025, 6, 12), "3205002", "KM-0001", "praise", None, "服务", None),
)

TARGETS = (
    ("manager_id", "month", "sales_target", "forecast", "visit_target", "new_customer_target"),
    ("KM-0001", D(2025, 4, 1), 40.0, 38.0, 20, 1),
    ("KM-0002", D(2025, 4, 1), 30.0, 30.0, 22, 1),
    ("KM-0003", D(2025, 4, 1), 20.0, None, 10, 0),
    ("KM-0004", D(2025, 4, 1), 45.0, 50.0, 18, 2),
    ("KM-0001", D(2025, 5, 1), 42.0, 40.0, 20, 1),
    ("KM-0002", D(2025, 5, 1), 35.0, 33.0, 24, 1),
    ("KM-0004", D(2025, 5, 1), 45.0, 44.0, 18, 1),
    ("KM-0001", D(2025, 6, 1), 42.0, 45.0, 20, 0),
    ("KM-0002", D(2025, 6, 1), 38.0, 36.0, 24, 1),
    ("KM-0004", D(2025, 6, 1), 48.0, 47.0, 18, 1),
)

CHECKINS = (
    ("manager_id", "checkin_at", "kind", "customer_id"),
    ("KM-0001", T(2025, 6, 3, 8, 55), "start", "3205002"),
    ("KM-0001", T(2025, 6, 3, 17, 20), "end", None),
    ("KM-0002", T(2025, 6, 24, 8, 40), "start", "3205006"),
    ("KM-0002", T(2025, 6, 24, 17, 45), "end", None),
)

INSPECTIONS = (
    ("inspection_id", "inspection_date", "manager_id", "inspector_id", "kind", "passed", "note"),
    ("I001", D(2025, 2, 10), "KM-0003", "KM-0001", "phone_spot", False, "电话抽查未接通客户"),
    ("I002", D(2025, 3, 20), "KM-0002", "KM-0001", "record_check", True, None),
    ("I003", D(2025, 5, 12), "KM-0004", "S-0009", "site", True, "陈列规范"),
)

EVENTS = (
    ("manager_id", "event_date", "kind", "detail"),
    ("KM-0003", D(2025, 2, 15), "bonus_cut", "2月考核扣分"),
    ("KM-0003", D(2025, 3, 1), "talk", "市场经理谈话"),
    ("KM-0002", D(2025, 4, 16), "territory_change", "接管 3205005"),
    ("KM-0001", D(2025, 5, 1), "promotion", None),
)

# stock counts: 3205002's P02 counted twice (the later count is the one used), and once after
# the 30 June window end; 3205007's P03 counted empty
INVENTORY = (
    ("customer_id", "product_id", "snapshot_date", "on_hand"),
    ("3205002", "P02", D(2025, 5, 2), 50.0),
    ("3205002", "P02", D(2025, 6, 20), 8.0),
    ("3205002", "P02", D(2025, 7, 1), 99.0),
    ("3205007", "P03", D(2025, 6, 27), 0.0),
)

# the company's own calendar: a day off on Monday 9 June 2025, and 2 January 2026 (an
# official holiday) worked; a calendar may be set ahead of today
CALENDAR = (
    ("date", "is_workday"),
    (D(2025, 6, 9), False),
    (D(2026, 1, 2), True),
)

DATA: dict[str, tuple[tuple[Any, ...], ...]] = {
    "managers": MANAGERS,
    "customers": CUSTOMERS,
    "products": PRODUCTS,
    "sales": SALES,
    "visits": VISITS,
    "feedback": FEEDBACK,
    "targets": TARGETS,
    "checkins": CHECKINS,
    "inspections": INSPECTIONS,
    "events": EVENTS,
    "inventory": INVENTORY,
    "calendar": CALENDAR,
}


def arrow_table(name: str) -> pa.Table:
    """One fixture table with its contract schema (header row first, then rows)."""
    header, *rows = DATA[name]
    schema = TABLES[name].arrow_schema()
    assert list(header) == schema.names, f"fixture {name} columns differ from the contract"
    columns = {col: [row[i] for row in rows] for i, col in enumerate(header)}
    return pa.table(columns, schema=schema)


def write_tiny_dataset(root: Path, *, partition_sales: bool = False) -> Path:
    """Write the fixture as NAME.parquet files; sales as year=/month= folders if asked."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    for name in DATA:
        table = arrow_table(name)
        if name == "sales" and partition_sales:
            dates = table.column("order_date").to_pylist()
            for month in sorted({(d.year, d.month) for d in dates}):
                keep = pa.array([(d.year, d.month) == month for d in dates])
                part = root / "sales" / f"year={month[0]}" / f"month={month[1]:02d}"
                part.mkdir(parents=True, exist_ok=True)
                pq.write_table(table.filter(keep), part / "part-0.parquet")
        else:
            pq.write_table(table, root / f"{name}.parquet")
    return root


def cut_copy(root: Path, into: Path, as_of: date) -> Path:
    """A copy of the dataset as it was known on `as_of`: later sales gone (one
    sales.parquet), later closings and departures not yet known. For leak-guard tests."""
    import shutil

    shutil.copytree(root, into)
    sales_dir = into / "sales"
    source = sales_dir if sales_dir.is_dir() else into / "sales.parquet"
    names = TABLES["sales"].arrow_schema().names
    sales = pq.read_table(source).select(names).to_pandas()
    if sales_dir.is_dir():
        shutil.rmtree(sales_dir)
    kept = sales[pd.to_datetime(sales["order_date"]).dt.date <= as_of]
    pq.write_table(pa.Table.from_pandas(kept, schema=TABLES["sales"].arrow_schema(),
                                        preserve_index=False), into / "sales.parquet")
    for name, col in (("customers", "closed_date"), ("managers", "left_date")):
        table = pq.read_table(into / f"{name}.parquet")
        frame = table.to_pandas()
        later = pd.to_datetime(frame[col]).dt.date > as_of
        frame[col] = frame[col].where(~later, None)
        if name == "managers":
            frame.loc[later, "status"] = "active"
        pq.write_table(pa.Table.from_pandas(frame, schema=table.schema, preserve_index=False),
                       into / f"{name}.parquet")
    return into
