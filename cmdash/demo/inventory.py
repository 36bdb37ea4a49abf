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
    holding between none and 1.5 recent orders' worth (whole 条).

    Read a block of districts at a time (the sales files' `part-K`), so that only one
    block's recent lines are ever in memory (the xlarge size has ~18 M in the window)."""
    window = (ds.field("order_date") > pa.scalar(end - dt.timedelta(days=WINDOW_DAYS))) \
        & (ds.field("quantity") > 0)
    blocks: dict[str, list] = {}
    for fragment in ds.dataset(out / "sales", format="parquet",
                               partitioning="hive").get_fragments(filter=window):
        blocks.setdefault(Path(fragment.path).name, []).append(fragment)
    seen = [f.to_table(columns=["customer_id"], filter=window)["customer_id"].unique()
            for fs in blocks.values() for f in fs]
    customers = pc.unique(pa.chunked_array(seen, pa.string())).sort()
    reporting = customers.filter(pa.array(rng.random(len(customers)) < REPORTING_SHARE))
    lines = pa.concat_tables([_block_lines(fs, window, reporting) for fs in blocks.values()]) \
        if blocks else _block_lines([], window, reporting)
    lines = lines.sort_by([("customer_id", "ascending"), ("product_id", "ascending")])
    per_order = (lines["quantity_sum"].to_numpy(zero_copy_only=False)
                 / lines["order_date_count_distinct"].to_numpy(zero_copy_only=False))
    on_hand = np.round(per_order * rng.uniform(0, 1.5, len(per_order)))
    return pa.Table.from_pydict({
        "customer_id": lines["customer_id"], "product_id": lines["product_id"],
        "snapshot_date": pa.array([end] * lines.num_rows, pa.date32()),
        "on_hand": on_hand.astype("float64"),
    }, schema=TABLES["inventory"].arrow_schema())


def _block_lines(fragments: list, window: ds.Expression, reporting: pa.Array) -> pa.Table:
    """customer_id, product_id, quantity_sum, order_date_count_distinct of one block's
    window lines, reporting customers only. Per-month files add up exactly: their order
    days are disjoint, and a block's customers are in no other block."""
    keys = ["customer_id", "product_id"]
    parts = [f.to_table(columns=[*keys, "order_date", "quantity"], filter=window)
             .group_by(keys).aggregate([("quantity", "sum"), ("order_date", "count_distinct")])
             for f in fragments]
    if not parts:
        return pa.table({"customer_id": pa.array([], pa.string()),
                         "product_id": pa.array([], pa.string()),
                         "quantity_sum": pa.array([], pa.float64()),
                         "order_date_count_distinct": pa.array([], pa.int64())})
    whole = pa.concat_tables(parts).group_by(keys).aggregate(
        [("quantity_sum", "sum"), ("order_date_count_distinct", "sum")])
    whole = whole.filter(pc.is_in(whole["customer_id"], reporting))
    return pa.table({"customer_id": whole["customer_id"], "product_id": whole["product_id"],
                     "quantity_sum": whole["quantity_sum_sum"],
                     "order_date_count_distinct": whole["order_date_count_distinct_sum"]})
