"""Measures that are not one aggregate over one fact: the customer book, period-over-period
customer activity (retention, concentration), repeat complainers, workdays, the catalogue.

Each is computed in pandas from a small grouped frame that the query layer returns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cmdash.kpi.facts import FACTS


@dataclass(frozen=True)
class Derived:
    source: str  # which computation yields it
    dims: frozenset[str]  # groupings it is valid at
    tables: tuple[str, ...]  # tables it needs rows in
    inputs: tuple[str, ...] = ()  # fact measures it is computed from


_CUSTOMER = FACTS["visits"].dims
_PRODUCT = FACTS["sales"].dims
_ORG = FACTS["inspections"].dims

DERIVED: dict[str, Derived] = {
    "book_customers": Derived("book", _CUSTOMER, ("customers",)),
    "new_customers": Derived("book", _CUSTOMER, ("customers",)),
    "closed_customers": Derived("book", _CUSTOMER, ("customers",)),
    "retained_customers": Derived("activity", _PRODUCT, ("sales",)),
    "prior_active_customers": Derived("activity", _PRODUCT, ("sales",)),
    "lost_customers": Derived("activity", _PRODUCT, ("sales",)),
    "top5_amount": Derived("activity", _PRODUCT, ("sales",)),
    "hhi": Derived("activity", _PRODUCT, ("sales",)),
    "repeat_complainers": Derived("complainers", _CUSTOMER, ("feedback",)),
    "workdays": Derived("calendar", _ORG, ()),
    "products_listed": Derived("catalogue", _PRODUCT, ("products",)),
    "valid_checkin_days": Derived("inline", _ORG, ("checkins",), ("start_days", "end_days")),
    "gross_cases": Derived("inline", _PRODUCT, ("sales",), ("cases", "return_cases")),
}

#: A customer with at least this many complaints in a period is a repeat complainer.
REPEAT_COMPLAINTS = 2


def period_bounds(periods: pd.Series, offset: str) -> tuple[pd.Series, pd.Series]:
    """First and last day of each period start (no offset: the period never ends)."""
    start = pd.to_datetime(periods)
    if not offset:
        return start, start + pd.Timedelta(days=36500)
    return start, start + pd.tseries.frequencies.to_offset(offset) - pd.Timedelta(days=1)


def book(customers: pd.DataFrame, keys: pd.DataFrame, dims: list[str], offset: str,
         end: pd.Timestamp, span: tuple[pd.Timestamp, pd.Timestamp] | None = None
         ) -> pd.DataFrame:
    """Customers open during each period, opened in it and closed in it, per group.

    `customers` has the group columns plus opened_date/closed_date; `keys` lists the
    (group, period) rows wanted. Ownership is today's: the contract has no history of it.
    """
    if keys.empty:
        return keys.assign(book_customers=[], new_customers=[], closed_customers=[])
    periods = pd.DataFrame({"period": pd.to_datetime(keys["period"]).drop_duplicates()})
    if offset or span is None:
        first, last = period_bounds(periods["period"], offset)
    else:  # the whole range
        first = pd.Series(span[0], index=periods.index)
        last = pd.Series(span[1], index=periods.index)
    periods["p_first"], periods["p_last"] = first.values, np.minimum(last, end).values
    opened = pd.to_datetime(customers["opened_date"])
    closed = pd.to_datetime(customers["closed_date"])
    rows = []
    for _, p in periods.iterrows():
        open_in = (opened <= p["p_last"]) & (closed.isna() | (closed >= p["p_first"]))
        frame = customers.assign(
            book_customers=open_in.astype(int),
            new_customers=((opened >= p["p_first"]) & (opened <= p["p_last"])).astype(int),
            closed_customers=((closed >= p["p_first"]) & (closed <= p["p_last"])).astype(int),
        )
        agg = frame.groupby(dims, dropna=False)[
            ["book_customers", "new_customers", "closed_customers"]].sum() if dims else \
            frame[["book_customers", "new_customers", "closed_customers"]].sum().to_frame().T
        agg = agg.reset_index() if dims else agg
        rows.append(agg.assign(period=p["period"]))
    return pd.concat(rows, ignore_index=True)


def activity(per_customer: pd.DataFrame, dims: list[str], offset: str) -> pd.DataFrame:
    """Retention and concentration from (group, period, customer, amount, active) rows."""
    cols = ["retained_customers", "prior_active_customers", "lost_customers", "top5_amount",
            "hhi"]
    if per_customer.empty:
        return pd.DataFrame(columns=[*dims, "period", *cols])
    pc = per_customer.copy()
    pc["period"] = pd.to_datetime(pc["period"])
    active = pc[pc["active"] > 0][[*dims, "period", "customer"]]
    shifted = active.copy()
    if offset:
        shifted["period"] = shifted["period"] + pd.tseries.frequencies.to_offset(offset)
    keys = [*dims, "period"]
    prior = shifted.groupby(keys).size().rename("prior_active_customers")
    retained = active.merge(shifted, on=[*keys, "customer"]).groupby(keys).size().rename(
        "retained_customers")
    positive = pc.assign(amount=pc["amount"].clip(lower=0))
    grouped = positive.groupby(keys)["amount"]
    top5 = grouped.apply(lambda s: s.nlargest(5).sum()).rename("top5_amount")
    total = grouped.transform("sum")
    share = (positive["amount"] / total.where(total > 0)) * 100
    hhi = (share**2).groupby([positive[k] for k in keys]).sum(min_count=1).rename("hhi")
    out = pd.concat([retained, prior, top5, hhi], axis=1, sort=True).reset_index()
    out[["retained_customers", "prior_active_customers"]] = out[
        ["retained_customers", "prior_active_customers"]].fillna(0)
    if not offset:
        out[["retained_customers", "prior_active_customers"]] = np.nan
    out["lost_customers"] = out["prior_active_customers"] - out["retained_customers"]
    return out[[*keys, *cols]]


def complainers(per_customer: pd.DataFrame, dims: list[str]) -> pd.DataFrame:
    keys = [*dims, "period"]
    repeat = per_customer[per_customer["complaints"] >= REPEAT_COMPLAINTS]
    out = repeat.groupby(keys).size().rename("repeat_complainers").reset_index()
    out["period"] = pd.to_datetime(out["period"])
    return out


def workdays(keys: pd.DataFrame, offset: str, start: pd.Timestamp,
             end: pd.Timestamp) -> pd.Series:
    """Monday–Friday days of each period inside [start, end]."""
    first, last = period_bounds(keys["period"], offset)
    lo = np.maximum(first.values.astype("datetime64[D]"), np.datetime64(start.date(), "D"))
    hi = np.minimum(last.values.astype("datetime64[D]"), np.datetime64(end.date(), "D"))
    days = np.busday_count(lo, hi + np.timedelta64(1, "D"))
    return pd.Series(np.where(hi >= lo, days, 0), index=keys.index, dtype="float64")
