"""Measures that need more than a sum: the customer book, retention and concentration,
repeat complainers, lapses. Vectorised pandas over the scanned frames."""

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



def lapses(rows: pd.DataFrame, by: list[str], starts: np.ndarray, ends: np.ndarray,
           end_day: np.datetime64, lost_days: int) -> pd.DataFrame:
    """Customers lost, active at each period's start, and of those still not lost by its end.

    A customer is lost on the day its silence reaches `lost_days` days after an order
    (DOMAIN §5): order on day d, no order up to d + lost_days, lost on d + lost_days, if
    that day is not after the data's end. It is active at a period's start while its last
    order before it is fewer than `lost_days` days old. Each is credited to the manager
    (and counted in the groups) of that last order, so the counts add up over managers.

    `rows`: the sales fact at its scan grain (first and last order day per customer,
    manager and scan period, days since 1970-01-01); `starts`/`ends`: the roll-up's period
    first and last days (datetime64[D], ends clipped to the data's end).
    """
    cols = ["lost_customers", "prior_active_customers", "retained_customers"]
    r = rows[(rows["active_lines"] > 0) & rows["last_order_day"].notna()]
    if r.empty or not len(starts):
        return pd.DataFrame(columns=[*by, "period", *cols])
    r = r.sort_values(["customer", "last_order_day"], kind="stable")
    cust = r["customer"].astype(str).to_numpy()
    last = r["last_order_day"].to_numpy(dtype="float64")
    first = r["first_order_day"].to_numpy(dtype="float64")
    same = np.r_[cust[1:] == cust[:-1], False]
    nxt = np.where(same, np.r_[first[1:], np.nan], np.nan)  # the next order's first day
    lost_day = last + lost_days
    stop = float(np.asarray(end_day, "datetime64[D]").astype(np.int64))
    lost = (np.isnan(nxt) | (nxt > lost_day)) & (lost_day <= stop)
    s_days = np.asarray(starts, "datetime64[D]").astype(np.int64).astype("float64")
    e_days = np.asarray(ends, "datetime64[D]").astype(np.int64).astype("float64")
    attrs = r[by].reset_index(drop=True) if by else pd.DataFrame(index=range(len(r)))

    def counted(idx: np.ndarray, at: np.ndarray, name: str) -> pd.Series:
        f = attrs.iloc[idx].assign(customer=cust[idx], period=np.asarray(starts)[at])
        f = f.drop_duplicates([*by, "period", "customer"])
        return f.groupby([*by, "period"], observed=True).size().rename(name)

    # lost: the period holding the lost day
    i = np.flatnonzero(lost)
    at = np.searchsorted(s_days, lost_day[i], side="right") - 1
    ok = at >= 0
    ok[ok] &= lost_day[i[ok]] <= e_days[at[ok]]
    parts = [counted(i[ok], at[ok], "lost_customers")]
    # active at a period's start: starts in (last, min(next order, lost day)]
    cover = np.fmin(nxt, lost_day)
    lo = np.searchsorted(s_days, last, side="right")
    hi = np.searchsorted(s_days, cover, side="right")
    n = np.maximum(hi - lo, 0)
    row = np.repeat(np.arange(len(r)), n)
    at = np.repeat(lo, n) + (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n))
    parts.append(counted(row, at, "prior_active_customers"))
    kept = ~(lost[row] & (lost_day[row] <= e_days[at]))
    parts.append(counted(row[kept], at[kept], "retained_customers"))
    out = pd.concat(parts, axis=1, sort=True).fillna(0)
    return out.reset_index()


def shelf(rows: pd.DataFrame, by: list[str], product_dims: list[str], starts: np.ndarray,
          ends: np.ndarray, lookback_days: int, core_share: float = 0.5) -> pd.DataFrame:
    """Per group and period: Σ over retailers of the SKUs they carry and of those that sold.

    A retailer carries a SKU in a period when it was supplied in the period or in a scanned
    period starting at most `lookback_days` before the period's start; it sold when supplied
    in the period itself (supply is what the company sees of a retailer's sales). 动销率 is
    sold ÷ carried, summed over retailers, so it adds up over managers: each retailer-period
    is credited to the manager of its latest line in the window.

    品种上柜率 compares what a retailer carries with its 档位's core range: the SKUs that at
    least `core_share` of the tier's retailers carry in the period (so the expectation
    follows each tier's own range, whatever the tier codes are). `core_listed` counts the
    core SKUs a retailer carries, `core_expected` the size of its tier's core (by product
    groupings the core is not defined: no values).

    `rows`: (manager, customer, product, scan period) with `shelf_lines` > 0 where supplied.
    """
    cols = ["skus_sold", "skus_carried", "core_listed", "core_expected"]
    r = rows[rows["shelf_lines"] > 0]
    if r.empty or not len(starts):
        return pd.DataFrame(columns=[*by, "period", *cols])
    q = pd.to_datetime(r["period"]).to_numpy().astype("datetime64[D]").astype(np.int64)
    s_days = np.asarray(starts, "datetime64[D]").astype(np.int64)
    e_days = np.asarray(ends, "datetime64[D]").astype(np.int64)
    lo = np.searchsorted(e_days, q, side="left")
    hi = np.searchsorted(s_days, q + lookback_days, side="right")
    n = np.maximum(hi - lo, 0)
    row = np.repeat(np.arange(len(r)), n)
    at = np.repeat(lo, n) + (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n))
    org = [k for k in by if k not in product_dims and k not in ("company", "customer")]
    keep = list(dict.fromkeys(["customer", "product", "tier", *org, *product_dims]))
    f = r[keep].iloc[row].reset_index(drop=True)
    for k in keep:
        f[k] = f[k].astype("object")
    f["period"] = np.asarray(starts)[at]
    f["day"] = q[row]
    f["sold"] = q[row] >= s_days[at]
    who = (f.sort_values("day", kind="stable")
           .drop_duplicates(["customer", "period"], keep="last")[["customer", "period", *org]])
    pairs = f.groupby(list(dict.fromkeys(["customer", "period", "product", *product_dims])),
                      observed=True)[
        "sold"].max().reset_index()
    if not product_dims:
        pairs = _core_range(pairs, f.drop_duplicates("customer").set_index("customer")["tier"],
                            core_share)
    else:
        pairs = pairs.assign(core=np.nan, core_expected=np.nan)
    per = pairs.groupby(["customer", "period", *product_dims], observed=True).agg(
        skus_carried=("product", "size"), skus_sold=("sold", "sum"),
        core_listed=("core", "sum"), core_expected=("core_expected", "first"),
    ).reset_index()
    if product_dims:
        per[["core_listed", "core_expected"]] = np.nan
    per = per.merge(who, on=["customer", "period"], how="left").assign(company="all")
    return per.groupby([*by, "period"], observed=True)[cols].sum(min_count=1).reset_index()


def _core_range(pairs: pd.DataFrame, tier: pd.Series, share: float) -> pd.DataFrame:
    """Flag each (retailer, period, SKU) in its tier's core range, and give the core's size.

    A retailer without a tier has no core range (its rows count in neither measure)."""
    p = pairs.assign(tier=pairs["customer"].map(tier))
    retailers = p.groupby(["tier", "period"], observed=True)["customer"].nunique()
    carriers = p.groupby(["tier", "period", "product"], observed=True)["customer"].nunique()
    need = retailers.reindex(carriers.index.droplevel("product")).to_numpy() * share
    core = carriers[carriers.to_numpy() >= need - 1e-9]
    size = core.groupby(level=["tier", "period"], observed=True).size().rename(
        "core_expected")
    flags = pd.Series(1.0, index=core.index, name="core")
    p = p.merge(flags.reset_index(), on=["tier", "period", "product"], how="left")
    p = p.merge(size.reset_index(), on=["tier", "period"], how="left")
    p["core"] = p["core"].fillna(0.0).where(p["tier"].notna())
    return p
