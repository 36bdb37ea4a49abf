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
    lines = _recent_lines(out, end)
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


def _recent_lines(out: Path, end: dt.date) -> pa.Table:
    """customer_id, product_id, quantity_sum, order_date_count_distinct over the window's
    ordered lines, aggregated file by file and then combined, so that only one file's lines
    are ever in memory (the xlarge size has ~18 M lines in the window). Exact: the
    generator's files split the lines by month (disjoint dates) and, within a month, by
    district (disjoint customers), so per-file distinct order days add up."""
    window = (ds.field("order_date") > pa.scalar(end - dt.timedelta(days=WINDOW_DAYS))) \
        & (ds.field("quantity") > 0)
    keys = ["customer_id", "product_id"]
    parts = []
    for fragment in ds.dataset(out / "sales", format="parquet",
                               partitioning="hive").get_fragments(filter=window):
        t = fragment.to_table(columns=[*keys, "order_date", "quantity"], filter=window)
        parts.append(t.group_by(keys).aggregate([("quantity", "sum"),
                                                 ("order_date", "count_distinct")]))
    if not parts:
        return pa.table({"customer_id": pa.array([], pa.string()),
                         "product_id": pa.array([], pa.string()),
                         "quantity_sum": pa.array([], pa.float64()),
                         "order_date_count_distinct": pa.array([], pa.int64())})
    whole = pa.concat_tables(parts).group_by(keys).aggregate(
        [("quantity_sum", "sum"), ("order_date_count_distinct", "sum")])
    return pa.table({"customer_id": whole["customer_id"], "product_id": whole["product_id"],
                     "quantity_sum": whole["quantity_sum_sum"],
                     "order_date_count_distinct": whole["order_date_count_distinct_sum"]})
