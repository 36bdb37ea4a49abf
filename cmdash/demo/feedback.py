"""What retailers say: quarterly ratings, complaints (some chronic), praise and inquiries."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from cmdash.contract import TABLES
from cmdash.demo.ids import dates, seq_ids
from cmdash.demo.world import World

RATING_MEAN, RATING_SD = 4.2, 0.75
SURVEY_SHARE = 0.25  # of open customers rated in a quarter's last month
COMPLAINTS_PER_MONTH = 0.004  # per customer, for a plain manager
PRAISE_PER_MONTH = 0.0015
INQUIRIES_PER_MONTH = 0.008
CHRONIC_SHARE = 0.05  # customers prone to repeat complaints
COMPLAINT_CATEGORIES = ("货源", "服务", "价格")
COMPLAINT_MIX = {"plain": (0.5, 0.3, 0.2), "service": (0.3, 0.55, 0.15)}
INQUIRY_MIX = (0.5, 0.35, 0.15)  # 货源 / 价格 / 服务
PLANTED_UNRESOLVED = 0.4  # complaints before a planted lapse left open


def month_feedback(w: World, m: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The month's feedback as column arrays (ids are numbered once all months are in)."""
    cal, cust, lap, eff = w.cal, w.cust, w.lap, w.eff
    first, last = int(cal.month_first[m]), int(cal.month_last[m])
    ci = w.active(m)
    ci = ci[lap.day[ci] > first]  # a silent ex-customer says nothing
    lo = np.maximum(first, cust.opened[ci])
    hi = np.minimum(last, np.minimum(lap.closed[ci], lap.day[ci]) - 1)
    ci, lo, hi = ci[hi >= lo], lo[hi >= lo], hi[hi >= lo]
    own = cust.owner(w.org, ci, lo + (hi - lo) // 2)
    span = (hi - lo + 1) / cal.month_length(m)
    parts: list[dict[str, np.ndarray]] = []

    def rows(idx: np.ndarray, kind: str) -> dict[str, np.ndarray]:
        c = ci[idx]
        d = lo[idx] + (rng.random(len(idx)) * (hi[idx] - lo[idx] + 1)).astype(np.int64)
        n = len(idx)
        return {
            "c": c, "d": d, "kind": np.full(n, kind, dtype=object),
            "score": np.full(n, np.nan), "cat": np.full(n, None, dtype=object),
            "resolved": np.full(n, -1, dtype=np.int64),
        }  # fmt: skip

    if cal.month_label[m][1] % 3 == 0:
        idx = np.flatnonzero(rng.random(len(ci)) < SURVEY_SHARE)
        r = rows(idx, "rating")
        mu = RATING_MEAN + eff.rating_shift[own[idx]] + lap.rating[ci[idx], m]
        r["score"] = np.clip(np.round(rng.normal(mu, RATING_SD)), 1, 5)
        parts.append(r)

    repeat = eff.repeat_complainers[own]
    chronic = w.chronic[ci] / CHRONIC_SHARE
    lam = COMPLAINTS_PER_MONTH * eff.complaint_rate[own] * span * ((1 - repeat) + repeat * chronic)
    idx = np.repeat(np.arange(len(ci)), rng.poisson(lam))
    r = rows(idx, "complaint")
    service = eff.complaint_rate[own[idx]] > 2.5
    r["cat"] = _categories(rng, service, len(idx))
    r["resolved"] = _resolution(
        rng, r["d"], eff.resolve_days[own[idx]], eff.unresolved_share[own[idx]], cal.days
    )
    parts.append(r)
    planted = np.array([x for x in w.lap.complaints if first <= x[1] <= last], dtype=np.int64)
    if len(planted):
        n = len(planted)
        po = cust.owner(w.org, planted[:, 0], planted[:, 1])
        parts.append({
            "c": planted[:, 0], "d": planted[:, 1], "kind": np.full(n, "complaint", dtype=object),
            "score": np.full(n, np.nan),
            "cat": _categories(rng, eff.complaint_rate[po] > 2.5, n),
            "resolved": _resolution(
                rng, planted[:, 1], 2 * eff.resolve_days[po],
                np.maximum(PLANTED_UNRESOLVED, eff.unresolved_share[po]), cal.days,
            ),
        })  # fmt: skip
    idx = np.flatnonzero(rng.random(len(ci)) < PRAISE_PER_MONTH * eff.praise_rate[own] * span)
    r = rows(idx, "praise")
    r["cat"] = np.full(len(idx), "服务", dtype=object)
    parts.append(r)
    idx = np.flatnonzero(rng.random(len(ci)) < INQUIRIES_PER_MONTH * span)
    r = rows(idx, "inquiry")
    pick = np.searchsorted(np.cumsum(INQUIRY_MIX), rng.random(len(idx)) * sum(INQUIRY_MIX))
    r["cat"] = np.array(("货源", "价格", "服务"), dtype=object)[np.minimum(pick, 2)]
    parts.append(r)

    out = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    out["m"] = cust.owner(w.org, out["c"], out["d"])
    sort = np.lexsort((out["c"], out["d"]))
    return {k: v[sort] for k, v in out.items()}


def feedback_table(w: World, months: list[dict[str, np.ndarray]]) -> pa.Table:
    cols = {k: np.concatenate([x[k] for x in months]) for k in months[0]}
    n = len(cols["c"])
    res = cols["resolved"]
    return pa.Table.from_arrays(
        [
            seq_ids("FK", np.arange(n) + 1, 8),
            dates(w.cal.epoch, cols["d"]),
            w.customer_ids.take(pa.array(cols["c"])),
            w.manager_ids.take(pa.array(cols["m"])),
            pa.array(cols["kind"], pa.string()),
            pa.array(cols["score"], pa.float64(), from_pandas=True),
            pa.array(cols["cat"], pa.string()),
            _opt_dates(w, res),
        ],
        schema=TABLES["feedback"].arrow_schema(),
    )


def _opt_dates(w: World, day: np.ndarray) -> pa.Array:
    """date32 column with nulls where `day` is −1."""
    base = int(w.cal.epoch.astype(np.int64))
    return pa.array((day + base).astype(np.int32), pa.int32(), mask=day < 0).cast(pa.date32())


def _categories(rng: np.random.Generator, service: np.ndarray, n: int) -> np.ndarray:
    u = rng.random(n)
    plain = np.searchsorted(np.cumsum(COMPLAINT_MIX["plain"]), u)
    serv = np.searchsorted(np.cumsum(COMPLAINT_MIX["service"]), u)
    pick = np.minimum(np.where(service, serv, plain), 2)
    return np.array(COMPLAINT_CATEGORIES, dtype=object)[pick]


def _resolution(
    rng: np.random.Generator,
    day: np.ndarray,
    median: np.ndarray,
    unresolved: np.ndarray,
    days: int,
) -> np.ndarray:
    """Resolved day, or −1 when still open at the end of the window."""
    n = len(day)
    when = day + np.ceil(rng.lognormal(np.log(np.maximum(median, 0.5)), 0.6, n)).astype(np.int64)
    return np.where((rng.random(n) < unresolved) | (when >= days), -1, when)
