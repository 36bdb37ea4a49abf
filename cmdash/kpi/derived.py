"""Measures that need more than a sum: the customer book, retention and concentration,
repeat complainers. Vectorised pandas over the scanned frames."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cmdash.kpi.groups import Groups, codes_of

#: A customer with at least this many complaints in a period is a repeat complainer.
REPEAT_COMPLAINTS = 2
TOP_N = 5


def period_end(periods: pd.Series, offset: str, end: pd.Timestamp) -> pd.Series:
    """Last day of each period (no offset: the range's end), never after `end`."""
    if not offset:
        return pd.Series(end, index=periods.index)
    last = pd.to_datetime(periods) + pd.tseries.frequencies.to_offset(offset) \
        - pd.Timedelta(days=1)
    return last.clip(upper=end)


def book(customers: pd.DataFrame, keys: pd.DataFrame, by: list[str], offset: str,
         end: pd.Timestamp) -> pd.DataFrame:
    """Customers open during each period, opened in it and closed in it, per group.

    Ownership is today's (`owner`): the contract keeps no history of who held a customer.
    A customer whose group is unknown (no owner, or an owner without a region) is in no
    group's book.
    """
    cols = ["book_customers", "new_customers", "closed_customers"]
    periods = pd.to_datetime(keys["period"]).drop_duplicates().sort_values()
    if periods.empty or customers.empty:
        return pd.DataFrame(columns=[*by, "period", *cols])
    first = periods.to_numpy()
    last = period_end(periods, offset, end).to_numpy()
    opened = pd.to_datetime(customers["opened_date"]).to_numpy()[:, None]
    closed = pd.to_datetime(customers["closed_date"]).to_numpy()[:, None]
    is_open = (opened <= last) & (np.isnat(closed) | (closed >= first))
    new = (opened >= first) & (opened <= last)
    gone = (closed >= first) & (closed <= last)
    # customers × (3 measures × periods) flags, summed per group in one pass
    n = len(first)
    flags = np.concatenate([is_open, new, gone], axis=1)
    if by:
        g = Groups({k: codes_of(customers[k]) for k in by}, np.ones(len(customers), bool))
        order = np.argsort(g.ids, kind="stable")
        ids = g.ids[order]
        starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]) if len(ids) else ids
        sums = (np.add.reduceat(flags[g.rows][order].astype(np.int64), starts, axis=0)
                if len(ids) else np.zeros((0, 3 * n), np.int64))
        groups = g.index.to_frame(index=False)
    else:
        sums = flags.sum(axis=0, dtype=np.int64)[None, :]
        groups = pd.DataFrame(index=range(1))
    sums = sums.reshape(len(groups), 3, n)  # group × measure × period
    out = pd.concat([groups] * n, ignore_index=True)  # period-major, as listed
    for j, col in enumerate(cols):
        out[col] = sums[:, j, :].T.reshape(-1)
    out["period"] = np.repeat(periods.to_numpy(), len(groups))
    return out


def retention(active: pd.DataFrame, keys: list[str], offset: str) -> pd.DataFrame:
    """Customers active in the period before, and of those still active, per group.

    `active` holds one row per (group, period, customer) with an order in that period.
    """
    cols = ["retained_customers", "prior_active_customers"]
    if not offset or active.empty:
        return pd.DataFrame(columns=[*keys, *cols])
    before = active.assign(period=active["period"] + pd.tseries.frequencies.to_offset(offset))
    prior = before.groupby(keys, observed=True).size().rename("prior_active_customers")
    kept = active.merge(before, on=[*keys, "customer"]).groupby(keys, observed=True).size()
    out = pd.concat([prior, kept.rename("retained_customers")], axis=1, sort=True).fillna(0)
    return out.reset_index()


def concentration(amounts: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Top-5 customers' amount and the HHI (0–10 000) from (group, period, customer) sums."""
    pos = amounts.assign(amount=amounts["amount"].clip(lower=0))
    pos = pos.sort_values([*keys, "amount"], ascending=[True] * len(keys) + [False])
    rank = pos.groupby(keys, observed=True).cumcount()
    top = pos[rank < TOP_N].groupby(keys, observed=True)["amount"].sum().rename("top5_amount")
    total = pos.groupby(keys, observed=True)["amount"].transform("sum")
    share2 = (pos["amount"] / total.where(total > 0) * 100) ** 2
    hhi = share2.groupby([pos[k] for k in keys], observed=True).sum(min_count=1).rename("hhi")
    return pd.concat([top, hhi], axis=1, sort=True).reset_index()


def repeat_complainers(per_customer: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    repeat = per_customer[per_customer["complaints"] >= REPEAT_COMPLAINTS]
    return repeat.groupby(keys, observed=True).size().rename("repeat_complainers").reset_index()

