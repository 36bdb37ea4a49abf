"""Retailers: their attributes, which territory they sit in over time, and so their owner.

A customer's manager on a day is the incumbent of the customer's territory that day, so sales
and visits are credited to the manager at the time; `customers.manager_id` is the owner at
the end of the window.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cmdash.demo.calendar import Calendar
from cmdash.demo.org import BEFORE, NEVER, YEAR, Org
from cmdash.demo.sizes import Size

FORMATS = ("便利店", "超市", "烟酒店", "食杂店")
FORMAT_P = {"城镇": (0.35, 0.15, 0.3, 0.2), "乡村": (0.1, 0.08, 0.2, 0.62)}
FORMAT_TIER_SHIFT = (0.0, 4.0, 3.0, -2.0)
TIER_MEAN, TIER_SD, URBAN_TIER_SHIFT, NEW_TIER_SHIFT = 11.0, 5.0, 3.0, -3.0
WEEKLY_UNITS_TIER1 = 1.5  # 条 a week for a 1档 retailer …
WEEKLY_UNITS_GROWTH = 1.16  # … ×1.16 per 档: a 30档 retailer orders ~110 条 a week
NEW_CUSTOMERS_PER_MONTH = 0.0055  # of the starting book, spread over territories
NEW_TERRITORY_BOOST = 3.0  # new territories get most new retailers for half a year
SAMPLE_STORE_SHARE = 0.04
#: How 档位 is written, chosen by seed (seed % 3): every encoding the contract allows. Each
#: written grade covers 档位 from its lower bound up; the first is the largest.
TIER_ENCODINGS: tuple[tuple[tuple[str, int], ...] | None, ...] = (
    None,  # numbers "01" … "30"
    (("A", 20), ("B", 14), ("C", 8), ("D", 1)),
    (("VIP", 22), ("高端", 16), ("中端", 10), ("大众", 1)),
)


@dataclass
class Customers:
    tier: np.ndarray  # 档位 1–30
    fmt: np.ndarray  # index into FORMATS
    urban: np.ndarray  # bool: 城镇 vs 乡村
    district: np.ndarray
    opened: np.ndarray  # day index
    sample: np.ndarray
    base_weekly: np.ndarray  # 条 a week before seasonality and effects
    cycle: np.ndarray  # order every 1 or 2 weeks
    weekday: np.ndarray  # order day, 0 = Monday
    parity: np.ndarray  # which week of two, for fortnightly orders
    segment: np.ndarray  # price-class preference 0 (big urban) … 3 (small rural)
    cs_cust: np.ndarray  # territory history, sorted by (customer, from day)
    cs_day: np.ndarray
    cs_slot: np.ndarray

    @property
    def n(self) -> int:
        return len(self.tier)

    def slot(self, cust: np.ndarray, day: np.ndarray) -> np.ndarray:
        keys = self.cs_cust * (1 << 24) + (self.cs_day - BEFORE)
        q = cust.astype(np.int64) * (1 << 24) + (day.astype(np.int64) - BEFORE)
        return self.cs_slot[np.searchsorted(keys, q, side="right") - 1]

    def owner(self, org: Org, cust: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Manager row credited for a customer on a day."""
        return org.incumbent(self.slot(cust, day), day)


def build_customers(
    size: Size, cal: Calendar, org: Org, rng: np.random.Generator
) -> tuple[Customers, list[tuple[int, int, int]]]:
    """The retailers, plus hand-overs: (customer, new territory, day) for every move."""
    days = cal.days
    # Books held since before the window.
    old = np.flatnonzero(org.slot_created == BEFORE)
    counts = np.round(
        size.customers_per_manager * org.slot_book[old] * rng.lognormal(0, 0.12, len(old))
    ).astype(int)
    slot0 = np.repeat(old, counts)
    age = rng.exponential(7 * YEAR, len(slot0))
    age = np.where(age > 26 * YEAR, rng.uniform(15, 26, len(slot0)) * YEAR, age)
    opened0 = -1 - age.astype(np.int64)
    # New retailers, given to territories in proportion to their holder's development drive.
    n_new = rng.poisson(NEW_CUSTOMERS_PER_MONTH * len(slot0) * cal.months)
    opened1 = np.sort(rng.integers(0, days, n_new))
    slot1 = np.empty(n_new, dtype=np.int64)
    for m in range(cal.months):
        sel = np.flatnonzero(cal.month_of_day[opened1] == m)
        if not len(sel):
            continue
        mid = int(cal.month_first[m] + 14)
        live = np.flatnonzero(org.slot_created <= mid)
        holder = org.incumbent(live, np.full(len(live), mid))
        w = np.array([org.profiles[h].new_customers for h in holder])
        w = w * np.where(mid - org.slot_created[live] < 183, NEW_TERRITORY_BOOST, 1.0)
        slot1[sel] = rng.choice(live, len(sel), p=w / w.sum())
    slot_init = np.r_[slot0, slot1]
    opened = np.r_[opened0, opened1]
    n = len(slot_init)
    district = org.slot_district[slot_init]

    # Urban-heavy districts: the first 60 % of each region's 片区 (its town quarters).
    n_d = int(org.slot_district.max()) + 1
    rank_in_region = np.array([d // len(org.region_names) for d in range(n_d)])
    per_region = np.bincount(np.arange(n_d) % len(org.region_names))
    urban_p = np.where(
        rank_in_region < 0.6 * per_region[np.arange(n_d) % len(org.region_names)], 0.8, 0.3
    )
    urban = rng.random(n) < urban_p[district]
    fmt = np.where(
        urban,
        _choose(rng, FORMAT_P["城镇"], n),
        _choose(rng, FORMAT_P["乡村"], n),
    )
    tier = rng.normal(TIER_MEAN, TIER_SD, n) + URBAN_TIER_SHIFT * urban
    tier += np.array(FORMAT_TIER_SHIFT)[fmt] + NEW_TIER_SHIFT * (opened >= 0)
    tier = np.clip(np.round(tier), 1, 30).astype(np.int64)
    base = WEEKLY_UNITS_TIER1 * WEEKLY_UNITS_GROWTH ** (tier - 1) * rng.lognormal(0, 0.3, n)
    cycle = np.where((tier >= 14) | (rng.random(n) < 0.3), 1, 2)
    segment = np.clip(3 - (tier >= 10) - (tier >= 18) - urban, 0, 3)

    # Territory moves, in date order.
    current = slot_init.copy()
    hist_c, hist_d, hist_s = [np.arange(n)], [np.full(n, BEFORE)], [slot_init]
    moves: list[tuple[int, int, int]] = []
    for t in org.transfers:
        cand = np.flatnonzero((current == t.src) & (opened < t.day))
        k = round(t.share * len(cand))
        if k == 0:
            continue
        chosen = np.sort(rng.choice(cand, k, replace=False))
        current[chosen] = t.dst
        hist_c.append(chosen)
        hist_d.append(np.full(k, t.day))
        hist_s.append(np.full(k, t.dst))
        moves += [(int(c), t.dst, t.day) for c in chosen]
        loser = int(org.incumbent(np.array([t.src]), np.array([t.day]))[0])
        org.events.append((loser, t.day, "territory_change", f"划出{k}户客户调整线路"))
    hc, hd, hs = np.concatenate(hist_c), np.concatenate(hist_d), np.concatenate(hist_s)
    order = np.lexsort((hd, hc))
    # Hand-overs after a manager left: every customer then in the territory.
    for slot, _succ, day in org.takeovers:
        for c in np.flatnonzero(current_at(hc[order], hd[order], hs[order], n, day) == slot):
            if opened[c] < day:
                moves.append((int(c), slot, day))
    cust = Customers(
        tier=tier,
        fmt=fmt,
        urban=urban,
        district=district,
        opened=opened,
        sample=rng.random(n) < SAMPLE_STORE_SHARE,
        base_weekly=base,
        cycle=cycle,
        weekday=rng.integers(0, 5, n),
        parity=rng.integers(0, 2, n),
        segment=segment,
        cs_cust=hc[order],
        cs_day=hd[order],
        cs_slot=hs[order],
    )
    moves.sort()
    return cust, moves


def current_at(
    cs_cust: np.ndarray, cs_day: np.ndarray, cs_slot: np.ndarray, n: int, day: int
) -> np.ndarray:
    """Every customer's territory on one day (history sorted by customer, day)."""
    keys = cs_cust * (1 << 24) + (cs_day - BEFORE)
    q = np.arange(n, dtype=np.int64) * (1 << 24) + (day - BEFORE)
    return cs_slot[np.searchsorted(keys, q, side="right") - 1]


def _choose(rng: np.random.Generator, p: tuple[float, ...], n: int) -> np.ndarray:
    return np.searchsorted(np.cumsum(p) / sum(p), rng.random(n), side="right")


__all__ = ["FORMATS", "NEVER", "Customers", "build_customers"]


def tier_labels(tier: np.ndarray, seed: int) -> list[str]:
    """档位 as the seed's encoding writes it (numbers, letters or named grades)."""
    grades = TIER_ENCODINGS[seed % len(TIER_ENCODINGS)]
    if grades is None:
        return [f"{t:02d}" for t in tier]
    names = np.array([g for g, _ in grades], dtype=object)
    lows = np.array([lo for _, lo in grades])
    return names[(tier[:, None] < lows[None, :]).sum(axis=1)].tolist()
