"""Planted customer lapses (流失, docs/kpis.md): who stops ordering, when, why, the run-up.

A lapsed customer places no order on or after its lapse day (truth `lapse_date`); `closed`
ones also get `closed_date` = lapse day. Each reason leaves its own trace in the months before,
and look-alike customers that do not lapse (dips that recover, quiet spells, complaint bursts)
keep the signals noisy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cmdash.demo.calendar import Calendar
from cmdash.demo.customers import Customers
from cmdash.demo.org import MONTH, NEVER, Org

REASONS = ("declining", "neglected", "complaints", "manager_left", "closed")


@dataclass(frozen=True)
class LapsePlan:
    base_rate: float = 0.095  # chance a customer lapses at a random day in the window (×factors)
    reason_weights: tuple[tuple[str, float], ...] = (
        ("declining", 0.4),
        ("neglected", 0.2),
        ("complaints", 0.16),
        ("closed", 0.24),
    )
    low_tier: tuple[int, float] = (6, 1.6)  # 档位 ≤ 6 lapse this much more often
    high_tier: tuple[int, float] = (20, 0.55)  # 档位 ≥ 20 this much less
    manager_factor: tuple[tuple[str, float, str], ...] = (
        ("lacking_drive", 1.8, "neglected"),  # lapse more, and this reason ×3
        ("complained_about", 1.8, "complaints"),
    )
    manager_left_share: float = 0.22  # of a departed manager's book, lapse without hand-over
    manager_left_days: tuple[int, int] = (20, 110)  # lapse this long after the take-over
    # run-up shapes
    declining_months: tuple[int, int] = (2, 4)
    declining_volume: float = 0.65  # volume lost by the lapse
    declining_orders: float = 0.55  # order probability lost by the lapse
    neglected_months: tuple[int, int] = (2, 5)  # no visit at all for this long before
    complaints_months: tuple[int, int] = (1, 4)
    complaints_count: float = 1.0  # 1 + Poisson(this) complaints before the lapse
    closed_decline_share: float = 0.5  # closures preceded by two weaker months
    after_lapse_visits: float = 0.3  # visits continue at this rate to a lapsed, open customer
    # look-alikes that do not lapse
    dip_share: float = 0.08
    quiet_share: float = 0.04
    burst_share: float = 0.02


PLAN = LapsePlan()


@dataclass
class Lapses:
    day: np.ndarray  # lapse day, NEVER if none
    reason: np.ndarray  # index into REASONS, −1 if none
    closed: np.ndarray  # closed day, NEVER if open
    no_visit_from: np.ndarray  # visits suppressed on [from, to] (no hand-over visit)
    no_visit_to: np.ndarray
    vol: np.ndarray  # (customer, month) volume multiplier
    ordp: np.ndarray  # (customer, month) order probability multiplier
    visit: np.ndarray  # (customer, month) visit rate multiplier
    issue: np.ndarray  # (customer, month) issues raised multiplier
    resolve: np.ndarray  # (customer, month) issue resolution multiplier
    rating: np.ndarray  # (customer, month) rating shift
    complaints: list[tuple[int, int]]  # planted complaints: (customer, day)


def plant_lapses(cal: Calendar, org: Org, cust: Customers, rng: np.random.Generator) -> Lapses:
    n, days, months = cust.n, cal.days, cal.months
    p = PLAN
    day = rng.integers(45, days - 7, n)
    eligible = cust.opened < day - 75
    owner = cust.owner(org, np.arange(n), np.clip(day, 0, days - 1))
    owner_type = np.array([org.ptype[o] for o in owner], dtype=object)
    rate = np.full(n, p.base_rate)
    rate[cust.tier <= p.low_tier[0]] *= p.low_tier[1]
    rate[cust.tier >= p.high_tier[0]] *= p.high_tier[1]
    names = [r for r, _ in p.reason_weights]
    w = np.tile([x for _, x in p.reason_weights], (n, 1))
    for t, f, boosted in p.manager_factor:
        m = owner_type == t
        rate[m] *= f
        w[m, names.index(boosted)] *= 3
    lapse = eligible & (rng.random(n) < rate)
    cdf = np.cumsum(w, axis=1) / w.sum(axis=1, keepdims=True)
    pick = (rng.random(n)[:, None] > cdf).sum(axis=1)
    reason = np.where(lapse, np.array([REASONS.index(r) for r in names])[pick], -1)
    lday = np.where(lapse, day, NEVER)
    no_from = np.full(n, NEVER)
    no_to = np.full(n, NEVER)
    # Books of departed managers: part of them lapse with no hand-over visit.
    left_idx = REASONS.index("manager_left")
    for slot, _succ, take in org.takeovers:
        book = np.flatnonzero(
            (cust.slot(np.arange(n), np.full(n, take - 1)) == slot)
            & (cust.opened < take - 30)
            & (lday > take)
        )
        chosen = book[rng.random(len(book)) < p.manager_left_share]
        when = take + rng.integers(*p.manager_left_days, len(chosen))
        chosen, when = chosen[when < days], when[when < days]
        lday[chosen], reason[chosen] = when, left_idx
        no_from[chosen], no_to[chosen] = take, when

    closed = np.where(reason == REASONS.index("closed"), lday, NEVER)
    vol = np.ones((n, months), dtype=np.float32)
    ordp = np.ones((n, months), dtype=np.float32)
    visit = np.ones((n, months), dtype=np.float32)
    issue = np.ones((n, months), dtype=np.float32)
    resolve = np.ones((n, months), dtype=np.float32)
    rating = np.zeros((n, months), dtype=np.float32)
    complaints: list[tuple[int, int]] = []
    mi = np.arange(months)
    lm = np.where(lday < NEVER, cal.month_of_day[np.clip(lday, 0, days - 1)], months)

    def ramp(c: int, k: int) -> np.ndarray:
        """0 before the k months up to the lapse month, rising to 1 at it."""
        return np.clip((mi - (lm[c] - k)) / k, 0, 1)

    for c in np.flatnonzero(lday < NEVER):
        r = REASONS[reason[c]]
        if r == "declining":
            f = ramp(c, int(rng.integers(p.declining_months[0], p.declining_months[1] + 1)))
            vol[c] *= 1 - p.declining_volume * f
            ordp[c] *= 1 - p.declining_orders * f
            visit[c] *= 1 - 0.2 * f
        elif r == "neglected":
            k = int(rng.integers(p.neglected_months[0], p.neglected_months[1] + 1))
            no_from[c], no_to[c] = max(lday[c] - int(k * MONTH), 0), days
            f = ramp(c, 2)
            vol[c] *= 1 - 0.2 * f
            ordp[c] *= 1 - 0.2 * f
        elif r == "complaints":
            k = int(rng.integers(p.complaints_months[0], p.complaints_months[1] + 1))
            span = (mi >= lm[c] - k) & (mi <= lm[c])
            issue[c, span] *= 4
            resolve[c, span] *= 0.5
            rating[c, span] -= 1.3
            vol[c] *= 1 - 0.15 * ramp(c, 1)
            lo = max(int(lday[c] - k * MONTH), 0)
            n_planted = 1 + rng.poisson(p.complaints_count)
            for d in rng.integers(lo, max(lo + 1, lday[c] - 3), n_planted):
                complaints.append((int(c), int(d)))
        elif r == "manager_left":
            vol[c, mi >= cal.month_of_day[no_from[c]]] *= 0.85
        elif r == "closed" and rng.random() < p.closed_decline_share:
            f = ramp(c, 2)
            vol[c] *= 1 - 0.3 * f
        if closed[c] == NEVER:
            visit[c, mi > lm[c]] *= p.after_lapse_visits
    # Look-alikes.
    calm = np.flatnonzero(lday == NEVER)
    for c in calm[rng.random(len(calm)) < p.dip_share]:
        s, k = int(rng.integers(0, months)), int(rng.integers(2, 5))
        down = np.clip((mi - s + 1) / k, 0, 1) * (mi < s + k)
        up = np.clip(1 - (mi - s - k + 1) / 3, 0, 1) * (mi >= s + k)
        f = np.maximum(down, up)
        vol[c] *= 1 - 0.55 * f
        ordp[c] *= 1 - 0.35 * f
    for c in calm[rng.random(len(calm)) < p.quiet_share]:
        s = int(rng.integers(0, days - 60))
        no_from[c], no_to[c] = s, s + int(rng.integers(2, 4) * MONTH)
    for c in calm[rng.random(len(calm)) < p.burst_share]:
        s = int(rng.integers(0, days - 30))
        for d in s + rng.integers(0, 30, 1 + rng.poisson(0.7)):
            complaints.append((int(c), int(d)))
        issue[c, cal.month_of_day[s]] *= 3
    complaints = [(c, d) for c, d in complaints if cust.opened[c] <= d < days]
    complaints.sort()
    return Lapses(
        lday, reason, closed, no_from, no_to, vol, ordp, visit, issue, resolve, rating, complaints
    )
