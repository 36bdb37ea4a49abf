"""Order lines for one month, vectorised: scheduled order days → orders → lines → returns."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from cmdash.contract import TABLES
from cmdash.demo.ids import dates, seq_ids
from cmdash.demo.rng import stream
from cmdash.demo.world import World

BASE_ORDER_PROB = 0.94  # a retailer skips few of its scheduled order days
ORDER_NOISE = 0.25  # log-sd of an order's size
MAX_LINES = 20
CULTIVATION_LINE_SHARE = 0.16  # of lines, for a plain manager
RETURN_SHARE = 0.004  # of lines, returned a few days later
RATIONED_SHARE = 0.25  # of 一类/二类 lines, supplied below what was ordered (货源紧张)
RATIONED_FILL = (0.6, 0.95)  # the share of such an order that is supplied


@dataclass(frozen=True)
class Block:
    """One block of a month's order lines: its lines, the units credited to each manager
    row, and how many order and return numbers it used (the next block continues them)."""

    table: pa.Table
    credited: np.ndarray
    orders: int
    returns: int


def month_blocks(w: World, m: int, seed: int, block: int) -> Iterator[Block]:
    """The month's order lines, `block` districts at a time (0: all at once), each block
    drawn from its own stream, so writing blocks one by one or together gives the same
    rows. With a single block the stream is the month's own (as before blocks existed)."""
    n = int(w.cust.district.max()) + 1 if w.cust.n else 1
    size = block or n
    orders = returns = 0
    for k, lo in enumerate(range(0, n, size)):
        rng = stream(seed, "sales", m) if k == 0 else stream(seed, "sales", m, k)
        keep = (w.cust.district >= lo) & (w.cust.district < lo + size)
        b = month_sales(w, m, rng, keep, orders, returns)
        orders, returns = orders + b.orders, returns + b.returns
        yield b


def month_sales(w: World, m: int, rng: np.random.Generator,
                customers: np.ndarray | None = None, orders_before: int = 0,
                returns_before: int = 0) -> Block:
    """The month's order lines (of `customers`, a mask; default all) and the units
    credited to each manager row; order and return numbers continue from the counts
    given."""
    cal, cust, lap, eff = w.cal, w.cust, w.lap, w.eff
    first, last = int(cal.month_first[m]), int(cal.month_last[m])
    live = (cust.opened <= last) & (lap.closed > first) & (lap.day > first)
    ci = np.flatnonzero(live if customers is None else live & customers)
    off = (cust.weekday[ci] - cal.weekday[first]) % 7
    day = first + off[:, None] + 7 * np.arange(5)[None, :]
    c = np.broadcast_to(ci[:, None], day.shape)
    ok = day <= last
    dayc = np.minimum(day, last)
    week = (dayc + cal.weekday[0]) // 7
    ok &= (cust.cycle[c] == 1) | (week % 2 == cust.parity[c])
    ok &= ~cal.holiday[dayc] & (dayc >= cust.opened[c]) & (dayc < lap.day[c])
    c, d = c[ok], dayc[ok]
    owner = cust.owner(w.org, c, d)
    lift = np.where(cal.day_of_month[d] <= 15, 1 + eff.front_load[owner], 1 - eff.front_load[owner])
    p = BASE_ORDER_PROB * lap.ordp[c, m] * eff.order_prob[owner] * np.sqrt(lift)
    keep = rng.random(len(c)) < p
    c, d, owner, lift = c[keep], d[keep], owner[keep], lift[keep]
    size = (
        cust.base_weekly[c]
        * cust.cycle[c]
        * cal.season[d]
        * lap.vol[c, m]
        * eff.vol[owner, m]
        * lift
        * w.ramp(c, d)
        * rng.lognormal(0, ORDER_NOISE, len(c))
    )
    total = np.maximum(1, np.round(size))
    order = np.lexsort((c, d))
    c, d, owner, total = c[order], d[order], owner[order], total[order]
    n_lines = np.minimum(1 + rng.poisson(1.5 + cust.tier[c] / 4), np.minimum(total, MAX_LINES))
    n_lines = n_lines.astype(np.int64)
    o = np.repeat(np.arange(len(c)), n_lines)
    cult = rng.random(len(o)) < CULTIVATION_LINE_SHARE * eff.cultivation[owner[o]]
    prod = w.prod.pick(rng, cust.segment[c[o]], cult)
    _, uniq = np.unique(o * 64 + prod, return_index=True)  # one line per product per order
    o, prod = o[uniq], prod[uniq]
    weight = rng.gamma(2.0, 1.0, len(o))
    share = weight / np.bincount(o, weight, minlength=len(c))[o]
    qty = np.maximum(1.0, np.round(total[o] * share))

    # Returns: a separate order a few days later with a negative line.
    r = np.flatnonzero(rng.random(len(o)) < RETURN_SHARE)
    r_day = np.minimum(d[o[r]] + rng.integers(1, 8, len(r)), last)
    quiet = r_day >= lap.day[c[o[r]]]  # nothing comes back after a retailer has gone quiet
    r, r_day = r[~quiet], r_day[~quiet]
    r_qty = -np.minimum(qty[r], 1 + rng.poisson(1.0, len(r)))

    # 订单需求: tight (一类/二类) lines are sometimes rationed, so supply falls short of the order
    tight = (w.prod.tier[prod] <= 1) & (rng.random(len(o)) < RATIONED_SHARE)
    ordered = np.where(tight, np.ceil(qty / rng.uniform(*RATIONED_FILL, len(o))), qty)

    prefix = w.month_prefix(m)
    ids = pa.concat_arrays(
        [
            seq_ids(f"DD{prefix}", np.arange(len(c)) + 1 + orders_before, 7).take(
                pa.array(o)),
            seq_ids(f"TH{prefix}", np.arange(len(r)) + 1 + returns_before, 7),
        ]
    )
    all_day = np.r_[d[o], r_day]
    all_c = np.r_[c[o], c[o[r]]]
    all_m = np.r_[owner[o], cust.owner(w.org, c[o[r]], r_day)]  # a return is its own order
    all_p = np.r_[prod, prod[r]]
    all_q = np.r_[qty, r_qty]
    sort = np.argsort(all_day, kind="stable")
    idx = pa.array(sort)
    table = pa.Table.from_arrays(
        [
            ids.take(idx),
            dates(cal.epoch, all_day[sort]),
            w.customer_ids.take(pa.array(all_c[sort])),
            w.manager_ids.take(pa.array(all_m[sort])),
            w.prod.ids.take(pa.array(all_p[sort])),
            pa.array(all_q[sort], pa.float64()),
            pa.array(all_q[sort] * w.prod.price[all_p[sort]], pa.float64()),
            pa.array(np.r_[ordered, np.full(len(r), np.nan)][sort], pa.float64(),
                     from_pandas=True),  # a return line has no order
        ],
        schema=TABLES["sales"].arrow_schema(),
    )
    credited = np.bincount(all_m, all_q, minlength=w.org.n)
    return Block(table, credited, len(c), len(r))
