"""Visits for one month, vectorised: how many per customer, which day, by whom, and the record."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from cmdash.contract import TABLES
from cmdash.demo.ids import seq_ids, timestamps, ts_array
from cmdash.demo.world import World

CHANNELS = ("on_site", "phone", "online")
PHONE_OF_REMOTE = 2 / 3  # of visits not on site
DURATION = {"on_site": (18.0, 0.45), "phone": (4.0, 0.5), "online": (6.0, 0.6)}  # median, log-sd
ISSUES_PER_VISIT = 0.22
ORDER_RATE_BASE, ORDER_RATE_PER_TIER = 0.35, 0.012
LOG_DELAY_SD = 0.9  # log-sd of the log filing delay
NEW_CUSTOMER_DAYS = 183


def month_visits(w: World, m: int, rng: np.random.Generator) -> pa.Table | None:
    cal, cust, lap, eff, org = w.cal, w.cust, w.lap, w.eff, w.org
    first, last = int(cal.month_first[m]), int(cal.month_last[m])
    wd = first + np.flatnonzero(cal.workday[first : last + 1])
    if not len(wd):
        return None
    ci = w.active(m)
    lo = np.maximum(first, cust.opened[ci])
    hi = np.minimum(last, lap.closed[ci] - 1)
    mid = np.clip(first + 14, lo, hi)
    own = cust.owner(org, ci, mid)
    tier = cust.tier[ci]
    rate = (
        w.base_visits(tier)
        * lap.visit[ci, m]
        * eff.visit[own, m]
        * np.exp(-eff.small_skew[own] * (tier - 12) / 10)
        * np.where(mid - cust.opened[ci] < NEW_CUSTOMER_DAYS, eff.new_customer_visits[own], 1.0)
        * (hi - lo + 1)
        / cal.month_length(m)
    )
    rate[rng.random(len(ci)) < eff.visit_skip[own]] = 0
    n = rng.poisson(np.maximum(rate, 0))
    c = np.repeat(ci, n)
    own = np.repeat(own, n)
    # Day: first or second half of the month (front-loaders favour the first), then uniform.
    early, late = wd[cal.day_of_month[wd] <= 15], wd[cal.day_of_month[wd] > 15]
    fl = eff.front_load[own]
    w1 = len(early) * (1 + fl)
    p_early = w1 / np.maximum(w1 + len(late) * (1 - fl), 1e-9)
    is_early = ((rng.random(len(c)) < p_early) | (len(late) == 0)) & (len(early) > 0)
    d = np.where(is_early, _pick(early, rng.random(len(c))), _pick(late, rng.random(len(c))))
    # Hand-over visits owed this month after a customer changed manager.
    hv = w.handovers[(w.handovers[:, 1] >= first) & (w.handovers[:, 1] <= last)]
    c = np.r_[c, hv[:, 0]]
    d = np.r_[d, hv[:, 1]]
    handover = np.r_[np.zeros(len(c) - len(hv), bool), np.ones(len(hv), bool)]
    ok = (d >= cust.opened[c]) & (d < lap.closed[c])
    ok &= ~((d >= lap.no_visit_from[c]) & (d <= lap.no_visit_to[c]))
    c, d, handover = c[ok], d[ok], handover[ok]
    if not len(c):
        return None
    own = cust.owner(org, c, d)
    k = len(c)

    on_site_p = np.where(handover, 1.0, eff.on_site[own])
    ch = np.where(rng.random(k) < on_site_p, 0, np.where(rng.random(k) < PHONE_OF_REMOTE, 1, 2))
    start_h = eff.start_hour[own] + 0.3
    end_h = np.maximum(eff.end_hour[own] - 0.6, start_h + 1)
    hour = start_h + rng.random(k) * (end_h - start_h)
    med = np.array([DURATION[x][0] for x in CHANNELS])[ch]
    med = med * np.where(ch == 0, eff.duration[own], 1.0)
    sd = np.array([DURATION[x][1] for x in CHANNELS])[ch]
    duration = np.maximum(1.0, np.round(rng.lognormal(np.log(med), sd)))
    planned = handover | (rng.random(k) < eff.planned_share[own])
    sup = org.supervisor[own]
    accompanied = (ch == 0) & (rng.random(k) < eff.accompanied[own]) & (sup >= 0)
    lapsed = d >= lap.day[c]
    order_p = (ORDER_RATE_BASE + ORDER_RATE_PER_TIER * cust.tier[c]) * eff.order_rate[own]
    order_p = np.clip(order_p * lap.ordp[c, m] * np.where(ch == 2, 0.8, 1.0), 0, 0.95)
    order_taken = (rng.random(k) < order_p) & ~lapsed
    quality = eff.quality[own, m]
    site = ch == 0
    raised = rng.poisson(ISSUES_PER_VISIT * eff.issue_rate[own] * lap.issue[c, m])
    resolved = rng.binomial(raised, np.clip(eff.resolve[own, m] * lap.resolve[c, m], 0, 1))
    start_us = timestamps(cal.epoch, d, hour)
    delay_h = rng.lognormal(np.log(eff.log_delay[own, m]), LOG_DELAY_SD)
    log_us = start_us + np.round((duration / 60 + delay_h) * 3600).astype(np.int64) * 1_000_000
    log_ok = log_us < timestamps(cal.epoch, np.array([cal.days]), np.array([0.0]))[0]

    sort = np.lexsort((c, start_us))
    prefix = w.month_prefix(m)

    def b(x: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
        x = x[sort]
        return pa.array(x, pa.bool_(), mask=None if valid is None else ~valid[sort])

    acc_idx = np.where(accompanied, sup, 0)[sort]
    acc = w.manager_ids.take(pa.array(acc_idx, mask=~accompanied[sort]))
    return pa.Table.from_arrays(
        [
            seq_ids(f"BF{prefix}", np.arange(k) + 1, 7),
            w.manager_ids.take(pa.array(own[sort])),
            w.customer_ids.take(pa.array(c[sort])),
            ts_array(start_us[sort]),
            pa.array(duration[sort], pa.float64()),
            pa.array(np.array(CHANNELS, dtype=object)[ch[sort]], pa.string()),
            b(planned),
            acc,
            b(order_taken),
            b(rng.random(k) < quality, site),
            b(rng.random(k) < quality - 0.03, site),
            b(rng.random(k) < (quality - 0.05) * np.sqrt(lap.ordp[c, m]), site),
            b(rng.random(k) < eff.info[own, m]),
            pa.array(raised[sort], pa.int16()),
            pa.array(resolved[sort], pa.int16()),
            ts_array(log_us[sort], log_ok[sort]),
        ],
        schema=TABLES["visits"].arrow_schema(),
    )


def _pick(days: np.ndarray, u: np.ndarray) -> np.ndarray:
    """A uniform choice among `days` per draw (zeros when there are none; masked out later)."""
    if not len(days):
        return np.zeros(len(u), dtype=np.int64)
    return days[np.minimum((u * len(days)).astype(np.int64), len(days) - 1)]
