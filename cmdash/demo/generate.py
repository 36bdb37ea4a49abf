"""The demo generator's entry point: build the world, then write every table month by month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa

from cmdash.contract import TABLES
from cmdash.demo import writer
from cmdash.demo.calendar import Calendar, default_end
from cmdash.demo.customers import FORMATS, build_customers, tier_labels
from cmdash.demo.effects import build_effects
from cmdash.demo.feedback import CHRONIC_SHARE, feedback_table, month_feedback
from cmdash.demo.ids import dates
from cmdash.demo.inventory import inventory_table
from cmdash.demo.lapses import REASONS, plant_lapses
from cmdash.demo.names import shop_names
from cmdash.demo.org import NEVER, Org, build_org, manager_grade, manager_people
from cmdash.demo.people import (
    events_table,
    inspections_table,
    month_book,
    month_checkins,
    plan_events,
    targets_table,
)
from cmdash.demo.products import build_products
from cmdash.demo.rng import stream
from cmdash.demo.sales import month_blocks
from cmdash.demo.sizes import SIZES, Size
from cmdash.demo.visits import month_visits
from cmdash.demo.world import World

Progress = Callable[[float, str], None]
HANDOVER_WITHIN_DAYS = 14
#: How managers get their behaviour: a planted type showing some of its signals, or
#: continuous traits with the type read off them afterwards (planting.py).
VARIANTS = ("planted", "traits")


def generate(
    out: Path,
    size: str = "small",
    seed: int = 0,
    end: dt.date | None = None,
    progress: Progress | None = None,
    months: int | None = None,
    variant: str = "planted",
    sales_block: int | None = None,
    chunk: bool = True,
) -> dict[str, int]:
    """Writes every contract table (optional tables included) as Parquet under `out`, plus
    out/_truth/. Returns row counts per table.

    Same (size, seed, end, months) → identical table contents. `months` shortens the window
    (tests); by default the size's 24 months ending with `end`'s month. `sales_block`:
    districts drawn together (default: the size's); `chunk`: write each block to its own
    file as soon as it is drawn (False: a month's blocks in one file, for tests: the rows
    are the same).
    """
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; choose one of {', '.join(SIZES)}")
    spec = SIZES[size]
    report = progress or (lambda _f, _m: None)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    writer.clear(out)
    report(0.0, "building the organisation")
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; choose one of {', '.join(VARIANTS)}")
    w = _build_world(spec, seed, end or default_end(), months or spec.months, variant)
    counts = _write_static(out, w)
    cal, n_mgr = w.cal, w.org.n
    units = np.zeros((n_mgr, cal.months))
    visits = np.zeros((n_mgr, cal.months))
    books = np.zeros((n_mgr, cal.months), dtype=np.int64)
    credited = np.zeros((n_mgr, cal.months))
    fb: list[dict[str, np.ndarray]] = []
    checkins = writer.RowGroupWriter(out, "checkins")
    counts["sales"] = counts["visits"] = 0
    for m in range(cal.months):
        y, mo = cal.month_label[m]
        report(0.05 + 0.85 * m / cal.months, f"{y}-{mo:02d}: orders")
        credited[:, m], rows = _write_sales(out, w, m, seed, spec.sales_block
                                            if sales_block is None else sales_block, chunk)
        counts["sales"] += rows
        report(0.05 + 0.85 * (m + 0.6) / cal.months, f"{y}-{mo:02d}: visits")
        vt = month_visits(w, m, stream(seed, "visits", m))
        if vt is not None:
            counts["visits"] += writer.write_partition(out, "visits", y, mo, vt)
        book = month_book(w, m)
        units[:, m], visits[:, m], books[:, m] = book.units, book.visits, book.count
        checkins.write(month_checkins(w, m, book, stream(seed, "checkins", m)))
        fb.append(month_feedback(w, m, stream(seed, "feedback", m)))
    counts["checkins"] = checkins.close()
    report(0.92, "targets, feedback, events, inspections")
    tables = {
        "targets": targets_table(w, units, visits, books, credited, stream(seed, "targets")),
        "feedback": feedback_table(w, fb),
        "events": events_table(w),
        "inspections": inspections_table(w, stream(seed, "inspections")),
        "inventory": inventory_table(out, cal.epoch + dt.timedelta(days=cal.days - 1),
                                     stream(seed, "inventory")),
        "calendar": _calendar_table(w),
    }
    for name, t in tables.items():
        counts[name] = writer.write_table(out, name, t)
    _write_truth(out, w)
    report(1.0, "done")
    return {name: counts[name] for name in TABLES if name in counts}  # optional ones written


def _write_sales(out: Path, w: World, m: int, seed: int, block: int,
                 chunk: bool) -> tuple[np.ndarray, int]:
    """The month's order lines, block by block: the units credited to each manager row,
    and the lines written."""
    y, mo = w.cal.month_label[m]
    credited, rows = np.zeros(w.org.n), 0
    held: list[pa.Table] = []
    for part, b in enumerate(month_blocks(w, m, seed, block)):
        credited += b.credited
        if chunk:
            rows += writer.write_partition(out, "sales", y, mo, b.table, part)
        else:
            held.append(b.table)
        del b
    if held:
        rows += writer.write_partition(out, "sales", y, mo, pa.concat_tables(held))
    return credited, rows


def _calendar_table(w: World) -> pa.Table:
    """The workdays the demo's people keep, where they differ from Monday–Friday."""
    days, workday = w.cal.exceptions()
    return pa.Table.from_arrays(
        [pa.array(days.astype("datetime64[D]"), pa.date32()), pa.array(workday, pa.bool_())],
        schema=TABLES["calendar"].arrow_schema())


def _build_world(spec: Size, seed: int, end: dt.date, months: int,
                 variant: str = "planted") -> World:
    cal = Calendar.build(end, months)
    org = build_org(spec, cal, stream(seed, "org"), variant)
    cust, moves = build_customers(spec, cal, org, stream(seed, "customers"))
    lap = plant_lapses(cal, org, cust, stream(seed, "lapses"))
    plan_events(cal, org, stream(seed, "events"))
    eff = build_effects(cal, org, stream(seed, "effects"))
    rng = stream(seed, "ids")
    # Employee numbers follow hire order; retailer licence numbers follow 片区 and opening.
    order = np.lexsort((rng.random(org.n), org.hire_day))
    mgr_ids = np.empty(org.n, dtype=object)
    mgr_ids[order] = [f"KM{i + 1:04d}" for i in range(org.n)]
    n_reg = len(org.region_names)
    cust_ids = np.empty(cust.n, dtype=object)
    for d in range(int(cust.district.max()) + 1):
        members = np.flatnonzero(cust.district == d)
        members = members[np.argsort(cust.opened[members], kind="stable")]
        cust_ids[members] = [
            f"43{d % n_reg + 1:02d}{d + 1:03d}{i + 1:05d}" for i in range(len(members))
        ]
    hv = np.array([(c, day) for c, _slot, day in moves], dtype=np.int64).reshape(-1, 2)
    hv[:, 1] = cal.next_workday(hv[:, 1] + rng.integers(0, HANDOVER_WITHIN_DAYS, len(hv)))
    hv = hv[hv[:, 1] < cal.days]
    return World(
        seed=seed,
        cal=cal,
        org=org,
        cust=cust,
        lap=lap,
        eff=eff,
        prod=build_products(),
        manager_ids=pa.array(list(mgr_ids), pa.string()),
        customer_ids=pa.array(list(cust_ids), pa.string()),
        handovers=hv[np.argsort(hv[:, 1], kind="stable")],
        chronic=rng.random(cust.n) < CHRONIC_SHARE,
    )


def _write_static(out: Path, w: World) -> dict[str, int]:
    cal, org, cust, lap = w.cal, w.org, w.cust, w.lap
    rng = stream(w.seed, "static")
    people = manager_people(org, cal, rng)
    left = org.left_day < NEVER
    mgr_order = np.argsort(np.array(w.manager_ids.to_pylist()))
    managers = pa.Table.from_pydict(
        {
            "manager_id": w.manager_ids,
            "name": org.name,
            "region": org.region,
            "district": org.district,
            "supervisor_id": w.manager_ids.take(
                pa.array(np.maximum(org.supervisor, 0), mask=org.supervisor < 0)
            ),
            "grade": manager_grade(org, cal.days, rng),
            "hire_date": dates(cal.epoch, org.hire_day),
            "birth_year": pa.array(people["birth_year"], pa.int16()),
            "education": people["education"],
            "prior_role": people["prior_role"],
            "status": np.where(left, "left", "active").tolist(),
            "left_date": pa.array(
                dates(cal.epoch, np.where(left, org.left_day, 0)).to_pylist(),
                pa.date32(),
                mask=~left,
            ),
        },
        schema=TABLES["managers"].arrow_schema(),
    ).take(pa.array(mgr_order))
    end_day = np.full(cust.n, cal.days - 1)
    owner = cust.owner(org, np.arange(cust.n), end_day)
    fmt = np.array(FORMATS, dtype=object)[cust.fmt]
    closed = lap.closed < NEVER
    customers = pa.Table.from_pydict(
        {
            "customer_id": w.customer_ids,
            "name": shop_names(rng, fmt),
            "manager_id": w.manager_ids.take(pa.array(owner)),
            "district": [org.district[_district_row(org, d)] for d in cust.district],
            "tier": tier_labels(cust.tier, w.seed),
            "format": fmt.tolist(),
            "area_type": np.where(cust.urban, "城镇", "乡村").tolist(),
            "opened_date": dates(cal.epoch, cust.opened),
            "closed_date": pa.array(
                dates(cal.epoch, np.where(closed, lap.closed, 0)).to_pylist(),
                pa.date32(),
                mask=~closed,
            ),
            "is_sample_store": cust.sample,
        },
        schema=TABLES["customers"].arrow_schema(),
    )
    customers = customers.take(pa.array(np.argsort(np.array(w.customer_ids.to_pylist()))))
    products = pa.Table.from_pydict(w.prod.table(), schema=TABLES["products"].arrow_schema())
    return {
        "managers": writer.write_table(out, "managers", managers),
        "customers": writer.write_table(out, "customers", customers),
        "products": writer.write_table(out, "products", products),
    }


def _district_row(org: Org, d: int) -> int:
    return int(np.flatnonzero(org.district_idx == d)[0])


def _write_truth(out: Path, w: World) -> None:
    org, lap = w.org, w.lap
    writer.write_truth(
        out,
        "managers",
        pa.table(
            {
                "manager_id": w.manager_ids,
                "planted_type": pa.array(org.ptype, pa.string()),
                # the type's signals this manager shows and their strength (planting.py)
                "signals": pa.array([";".join(f"{k}={v:.2f}" for k, v in sorted(sig.items()))
                                     for sig in org.signals], pa.string()),
                "is_supervisor": pa.array(org.is_supervisor, pa.bool_()),
            }
        ),
    )
    has = lap.day < NEVER
    writer.write_truth(
        out,
        "customers",
        pa.table(
            {
                "customer_id": w.customer_ids,
                "lapse_date": pa.array(
                    dates(w.cal.epoch, np.where(has, lap.day, 0)).to_pylist(),
                    pa.date32(),
                    mask=~has,
                ),
                "reason": pa.array(
                    [REASONS[r] if r >= 0 else None for r in lap.reason], pa.string()
                ),
            }
        ),
    )
