"""Manager-side tables: events, monthly targets and forecasts, check-ins, inspections."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from cmdash.contract import TABLES
from cmdash.demo.behaviours import ATTRITION
from cmdash.demo.calendar import Calendar
from cmdash.demo.ids import dates, seq_ids, timestamps, ts_array
from cmdash.demo.org import EVENT_DETAIL, MONTH, NEVER, Org
from cmdash.demo.world import World

QUOTA_STEP = 1.12  # target multiplier after a quota increase
YEARLY_QUOTA_SHARE = 0.15  # managers whose quota rises each January, whatever their type
RANDOM_NEGATIVE_PER_YEAR = 0.015  # each of demotion and bonus cut, for anyone
EXPECTED_ORDER_SHARE = 0.94  # planners assume few skipped orders
LAPSED_STILL_PLANNED = 0.4  # a silent customer still counts this much in the plan
BOOK_SAMPLES = 5
PLANNED_VISIT_SHARE = 0.88  # visit_target = this × the tier norm of the book
CHECKIN_MISSING = (0.03, 0.02, 0.04)  # whole day off, no start, no end
CHECKIN_PHONE_SHARE = 0.88  # check-ins made from a customer's phone
INSPECTIONS = (("record_check", 0.85), ("phone_spot", 2.0), ("site", 0.6))  # per month (mean)
FAIL_NOTES = {
    "phone_spot": ("下午抽查未在岗", "电话抽查未接通"),
    "record_check": ("拜访日志未按时提交", "客户资料不完整"),
    "site": ("标价签缺失", "陈列不规范"),
}


def plan_events(cal: Calendar, org: Org, rng: np.random.Generator) -> None:
    """Everyday events for everyone, and the run-up events of managers who left."""
    days = cal.days
    januaries = [int(cal.month_first[i]) for i, (_, mo) in enumerate(cal.month_label) if mo == 1]
    marches = [int(cal.month_first[i]) for i, (_, mo) in enumerate(cal.month_label) if mo == 3]
    quarters = [int(cal.month_first[i]) for i, (_, mo) in enumerate(cal.month_label) if mo % 3 == 1]
    for m in range(org.n):
        if org.is_supervisor[m]:
            continue
        prof = org.profiles[m]
        lo, hi = max(int(org.hire_day[m]), 0), min(int(org.left_day[m]), days - 1)
        out: list[tuple[int, str, str]] = []
        if org.hire_day[m] >= 0:
            out.append((lo + int(rng.integers(0, 11)), "training", "新员工入职培训"))
            out.append((lo + int(6 * MONTH), "promotion", "见习期满转正定级"))
        for j in januaries:
            if rng.random() < prof.award_rate:
                out.append((j + int(rng.integers(9, 25)), "award", EVENT_DETAIL["award"]))
            if rng.random() < YEARLY_QUOTA_SHARE:
                out.append((j + int(rng.integers(2, 10)), "quota_increase", "年度销量任务上调"))
        for j in marches:
            if rng.random() < 0.5:
                out.append((j + int(rng.integers(0, 28)), "training", EVENT_DETAIL["training"]))
        for j in quarters:
            if rng.random() < prof.talk_rate:
                out.append((j + int(rng.integers(0, 85)), "talk", EVENT_DETAIL["talk"]))
        years = days / 365.25
        for kind in ("demotion", "bonus_cut"):
            if rng.random() < RANDOM_NEGATIVE_PER_YEAR * years:
                out.append((int(rng.integers(0, days)), kind, EVENT_DETAIL[kind]))
        if prof.grade_shift > 0 and rng.random() < 0.5:
            out.append((int(rng.integers(0, days)), "promotion", EVENT_DETAIL["promotion"]))
        if org.left_day[m] < NEVER:
            for kind, p in ATTRITION.events:
                if rng.random() < p:
                    day = int(org.left_day[m]) - int(rng.uniform(1, 7) * MONTH)
                    out.append((day, kind, EVENT_DETAIL[kind]))
        org.events += [(m, d, k, t) for d, k, t in out if lo <= d <= hi]
    org.events.sort(key=lambda e: (e[1], e[0], e[2]))


def target_multiplier(cal: Calendar, org: Org) -> np.ndarray:
    """[manager, month] quota factor: each quota increase raises it from its month on."""
    mult = np.ones((org.n, cal.months))
    for m, d, kind, _ in org.events:
        if kind == "quota_increase":
            mult[m, cal.month_of_day[d] :] *= QUOTA_STEP
    return mult


@dataclass
class Book:
    """Who holds which customers at mid-month, and what a planner expects of them."""

    customers: np.ndarray  # customer rows, sorted by owner
    owner: np.ndarray  # manager row per customer
    start: np.ndarray  # [manager] offset into `customers`
    count: np.ndarray  # [manager]
    units: np.ndarray  # [manager] expected units for the month
    visits: np.ndarray  # [manager] tier-norm visits for the month


def month_book(w: World, m: int) -> Book:
    cal, cust, lap = w.cal, w.cust, w.lap
    first, last = int(cal.month_first[m]), int(cal.month_last[m])
    ci = w.active(m)
    lo = np.maximum(first, cust.opened[ci])
    hi = np.minimum(last, lap.closed[ci] - 1)
    mid = np.clip(first + 14, lo, hi)
    own = cust.owner(w.org, ci, mid)
    share = (hi - lo + 1) / (last - first + 1)
    silent = np.where(lap.day[ci] <= mid, LAPSED_STILL_PLANNED, 1.0)
    units = (
        cust.base_weekly[ci] * cal.order_weeks()[m] * share * EXPECTED_ORDER_SHARE * silent
        * w.ramp(ci, mid)
    )  # fmt: skip
    covered = (last - first + 1) / cal.month_length(m)
    visits = w.base_visits(cust.tier[ci]) * share * silent * covered
    # A book that changes hands inside the month is split by sampling its holder five times.
    n = w.org.n
    exp_units, exp_visits = np.zeros(n), np.zeros(n)
    for day in np.linspace(first, last, BOOK_SAMPLES).round().astype(np.int64):
        holder = cust.owner(w.org, ci, np.clip(day, lo, hi))
        exp_units += np.bincount(holder, units, minlength=n) / BOOK_SAMPLES
        exp_visits += np.bincount(holder, visits, minlength=n) / BOOK_SAMPLES
    order = np.argsort(own, kind="stable")
    count = np.bincount(own, minlength=n)
    return Book(
        customers=ci[order],
        owner=own[order],
        start=np.r_[0, np.cumsum(count)[:-1]],
        count=count,
        units=exp_units,
        visits=exp_visits,
    )


def targets_table(
    w: World,
    units: np.ndarray,
    visits: np.ndarray,
    count: np.ndarray,
    credited: np.ndarray,
    rng: np.random.Generator,
) -> pa.Table:
    """Monthly plan rows for each manager holding a book at mid-month.

    The forecast is the manager's own month-start estimate: the actual result times the
    profile's bias (under-confident managers forecast low), with noise.
    """
    mult = target_multiplier(w.cal, w.org)
    mgr, month = np.nonzero(units > 0)
    target = units[mgr, month] * mult[mgr, month] * rng.lognormal(0, 0.03, len(mgr))
    bias = w.eff.forecast_bias[mgr] * rng.lognormal(0, w.eff.forecast_noise[mgr])
    forecast = np.maximum(credited[mgr, month], 0) * bias
    v_target = np.round(visits[mgr, month] * PLANNED_VISIT_SHARE * rng.lognormal(0, 0.03, len(mgr)))
    new_target = np.round(count[mgr, month] * 0.0066 + rng.uniform(-0.3, 0.6, len(mgr)))
    order = np.lexsort((month, mgr))
    mgr, month = mgr[order], month[order]
    return pa.Table.from_arrays(
        [
            w.manager_ids.take(pa.array(mgr)),
            dates(w.cal.epoch, w.cal.month_first[month]),
            pa.array(np.maximum(50, np.round(target[order] / 50) * 50), pa.float64()),
            pa.array(np.round(forecast[order] / 10) * 10, pa.float64()),
            pa.array(v_target[order].astype(np.int32), pa.int32()),
            pa.array(np.maximum(new_target[order], 0).astype(np.int32), pa.int32()),
        ],
        schema=TABLES["targets"].arrow_schema(),
    )


def events_table(w: World) -> pa.Table:
    ev = w.org.events
    return pa.Table.from_arrays(
        [
            w.manager_ids.take(pa.array([e[0] for e in ev], pa.int64())),
            dates(w.cal.epoch, np.array([e[1] for e in ev], dtype=np.int64)),
            pa.array([e[2] for e in ev], pa.string()),
            pa.array([e[3] for e in ev], pa.string()),
        ],
        schema=TABLES["events"].arrow_schema(),
    )


def month_checkins(w: World, m: int, book: Book, rng: np.random.Generator) -> pa.Table:
    """Start and end check-ins per workday; the end time carries the profile's end hour."""
    cal, org, eff = w.cal, w.org, w.eff
    first, last = int(cal.month_first[m]), int(cal.month_last[m])
    wd = first + np.flatnonzero(cal.workday[first : last + 1])
    mgr = np.flatnonzero(~org.is_supervisor)
    g_m, g_d = (a.ravel() for a in np.meshgrid(mgr, wd, indexing="ij"))
    ok = (org.hire_day[g_m] <= g_d) & (g_d <= org.left_day[g_m])
    ok &= rng.random(len(g_m)) >= CHECKIN_MISSING[0]
    g_m, g_d = g_m[ok], g_d[ok]
    k = len(g_m)
    start_h = eff.start_hour[g_m] + rng.normal(0, 0.15, k)
    end_h = np.maximum(eff.end_hour[g_m] + rng.normal(0, 0.35, k), start_h + 4)
    has = (rng.random(k) >= CHECKIN_MISSING[1], rng.random(k) >= CHECKIN_MISSING[2])
    mm = np.r_[g_m[has[0]], g_m[has[1]]]
    dd = np.r_[g_d[has[0]], g_d[has[1]]]
    hh = np.r_[start_h[has[0]], end_h[has[1]]]
    kind = np.r_[np.zeros(has[0].sum(), int), np.ones(has[1].sum(), int)]
    cnt = book.count[mm]
    pick = book.start[mm] + (rng.random(len(mm)) * np.maximum(cnt, 1)).astype(np.int64)
    phone = (cnt > 0) & (rng.random(len(mm)) < CHECKIN_PHONE_SHARE)
    cust = (
        book.customers[np.minimum(pick, max(len(book.customers) - 1, 0))]
        if len(book.customers)
        else np.zeros(len(mm), dtype=np.int64)
    )
    us = timestamps(cal.epoch, dd, hh)
    sort = np.lexsort((kind, mm, us))
    return pa.Table.from_arrays(
        [
            w.manager_ids.take(pa.array(mm[sort])),
            ts_array(us[sort]),
            pa.array(np.array(["start", "end"], dtype=object)[kind[sort]], pa.string()),
            w.customer_ids.take(pa.array(cust[sort], mask=~phone[sort])),
        ],
        schema=TABLES["checkins"].arrow_schema(),
    )


def inspections_table(w: World, rng: np.random.Generator) -> pa.Table:
    """The 市场经理's checks: record checks, afternoon phone spot checks, site checks."""
    cal, org, eff = w.cal, w.org, w.eff
    rows_m, rows_d, rows_k, rows_p = [], [], [], []
    mgr = np.flatnonzero(~org.is_supervisor)
    for m in range(cal.months):
        first, last = int(cal.month_first[m]), int(cal.month_last[m])
        wd = first + np.flatnonzero(cal.workday[first : last + 1])
        if not len(wd):
            continue
        for kind, rate in INSPECTIONS:
            n = rng.poisson(rate, len(mgr))
            mm = np.repeat(mgr, n)
            dd = wd[rng.integers(0, len(wd), len(mm))]
            ok = (org.hire_day[mm] <= dd) & (dd <= org.left_day[mm])
            mm, dd = mm[ok], dd[ok]
            p = eff.inspect[mm, m]
            if kind == "phone_spot":  # afternoon calls catch early finishers
                p = p * np.where(eff.end_hour[mm] < 16.0, 0.75, 1.0)
            rows_m.append(mm)
            rows_d.append(dd)
            rows_k.append(np.full(len(mm), kind, dtype=object))
            rows_p.append(rng.random(len(mm)) < p)
    mm, dd = np.concatenate(rows_m), np.concatenate(rows_d)
    kk, passed = np.concatenate(rows_k), np.concatenate(rows_p)
    sort = np.lexsort((kk, mm, dd))
    mm, dd, kk, passed = mm[sort], dd[sort], kk[sort], passed[sort]
    pick = rng.integers(0, 2, len(mm))
    notes = [None if ok else FAIL_NOTES[k][j] for k, ok, j in zip(kk, passed, pick, strict=True)]
    return pa.Table.from_arrays(
        [
            seq_ids("JC", np.arange(len(mm)) + 1, 7),
            dates(cal.epoch, dd),
            w.manager_ids.take(pa.array(mm)),
            w.manager_ids.take(pa.array(org.supervisor[mm])),
            pa.array(kk, pa.string()),
            pa.array(passed, pa.bool_()),
            pa.array(notes, pa.string()),
        ],
        schema=TABLES["inspections"].arrow_schema(),
    )
