"""The demo's optional stock-on-hand snapshot (the `inventory` table): some retailers report
what they hold of each line they buy on the data's last day, so safety stock can suggest the
order net of stock for them and "order up to" for the others."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from cmdash.contract import TABLES

REPORTING_SHARE = 0.4  # retailers with a snapshot
WINDOW_DAYS = 84  # recent orders the holding is drawn around


def inventory_table(out: Path, end: dt.date, rng: np.random.Generator) -> pa.Table:
    """One snapshot at `end`: for a share of retailers, each line they ordered recently,
    holding between none and 1.5 recent orders' worth (whole 条)."""
    sales = ds.dataset(out / "sales", format="parquet", partitioning="hive").to_table(
        columns=["customer_id", "product_id", "order_date", "quantity"],
        filter=(ds.field("order_date") > pa.scalar(end - dt.timedelta(days=WINDOW_DAYS)))
        & (ds.field("quantity") > 0))
    lines = sales.group_by(["customer_id", "product_id"]).aggregate(
        [("quantity", "sum"), ("order_date", "count_distinct")])
    lines = lines.sort_by([("customer_id", "ascending"), ("product_id", "ascending")])
    customers = pc.unique(lines["customer_id"]).sort()
    reporting = customers.filter(pa.array(rng.random(len(customers)) < REPORTING_SHARE))
    lines = lines.filter(pc.is_in(lines["customer_id"], reporting))
    per_order = (lines["quantity_sum"].to_numpy(zero_copy_only=False)
                 / lines["order_date_count_distinct"].to_numpy(zero_copy_only=False))
    on_hand = np.round(per_order * rng.uniform(0, 1.5, len(per_order)))
    return pa.Table.from_pydict({
        "customer_id": lines["customer_id"], "product_id": lines["product_id"],
        "snapshot_date": pa.array([end] * lines.num_rows, pa.date32()),
        "on_hand": on_hand.astype("float64"),
    }, schema=TABLES["inventory"].arrow_schema())
