"""The demo's order lines written a block of districts at a time (the xlarge size): the
same seed gives the same rows whether each block goes to its own file as soon as it is
drawn or a month's blocks are written together."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow.dataset as pads
import pyarrow.parquet as pq

from cmdash.demo import SIZES, generate

END = dt.date(2025, 6, 30)


def _sales(root: Path):
    t = pads.dataset(root / "sales", format="parquet", partitioning="hive").to_table(
        columns=[f.name for f in pq.read_schema(next((root / "sales").rglob("*.parquet")))])
    return t.sort_by([(c, "ascending") for c in ("order_id", "product_id", "quantity")])


def test_blocks_written_one_by_one_give_the_rows_written_together(tmp_path: Path) -> None:
    a, b = tmp_path / "chunked", tmp_path / "whole"
    ca = generate(a, "small", seed=5, end=END, months=3, sales_block=1, chunk=True)
    cb = generate(b, "small", seed=5, end=END, months=3, sales_block=1, chunk=False)
    assert ca == cb
    month = sorted((a / "sales").glob("year=*/month=*"))[0]
    assert len(list(month.glob("part-*.parquet"))) == 4  # small: 4 districts, one file each
    assert len(list((b / month.relative_to(a)).glob("part-*.parquet"))) == 1
    sa, sb = _sales(a), _sales(b)
    assert sa.num_rows == ca["sales"] > 0
    assert sa.equals(sb)
    # everything computed from the lines (targets from the units credited) is the same
    for name in ("targets", "inventory", "managers", "customers"):
        assert (a / f"{name}.parquet").read_bytes() == (b / f"{name}.parquet").read_bytes()


def test_order_numbers_continue_across_blocks(tmp_path: Path) -> None:
    """No two orders share a number, whichever block of the month drew them."""
    generate(tmp_path, "small", seed=5, end=END, months=3, sales_block=1)
    t = _sales(tmp_path)
    orders = t.group_by("order_id").aggregate([("customer_id", "count_distinct"),
                                               ("order_date", "count_distinct")])
    assert max(orders.column("customer_id_count_distinct").to_pylist()) == 1
    assert max(orders.column("order_date_count_distinct").to_pylist()) == 1


def test_the_xlarge_size_is_about_150_million_lines_in_blocks() -> None:
    s = SIZES["xlarge"]
    # medium (20 districts) writes 7.8 M lines: about 0.39 M per district
    assert 140e6 <= s.districts * 7.8e6 / SIZES["medium"].districts <= 170e6
    assert 0 < s.sales_block < s.districts
    assert all(SIZES[k].sales_block == 0 for k in ("small", "medium", "large"))


def test_the_xlarge_organisation_builds_with_unique_names_and_ids() -> None:
    """Its 400 片区 fit the demo's region names, and every 片区 gets its own name."""
    from cmdash.demo.calendar import Calendar
    from cmdash.demo.org import build_org
    from cmdash.demo.rng import stream

    spec = SIZES["xlarge"]
    org = build_org(spec, Calendar.build(END, 24), stream(0, "org"))
    names = {org.district[i] for i in range(org.n)}
    assert len(names) == spec.districts
    assert org.n >= spec.districts * spec.managers_per_district
    assert org.n < 10_000  # employee numbers KM0001…KM9999
