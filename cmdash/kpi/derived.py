"""The arithmetic of the measures that need more than a sum (the named computations of
`measures.COMPUTATIONS`, run by computations.py): the customer book, concentration, repeat
complainers, lapses, each retailer's shelf. Vectorised pandas over the scanned frames."""

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

    Ownership is today's (`owner`): the contract keeps no history of who held a customer,
    so with the owner's `hire_date`/`left_date` given a customer counts only in periods
    its owner was employed (before the hire, an unnamed predecessor held it).
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
    if "hire_date" in customers:  # only while today's owner is employed (see the docstring)
        hired = pd.to_datetime(customers["hire_date"]).to_numpy()[:, None]
        left = pd.to_datetime(customers["left_date"]).to_numpy()[:, None]
        held = (np.isnat(hired) | (hired <= last)) & (np.isnat(left) | (left >= first))
        is_open, new, gone = is_open & held, new & held, gone & held
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
    (docs/retention.md): order on day d, no order up to d + lost_days, lost on d + lost_days, if
    that day is not after the data's end. It is active at a period's start while its last
    order before it is fewer than `lost_days` days old. Each is credited to the manager
    (and counted in the groups) of that last order, so the counts add up over managers.

    `rows`: the sales fact at its scan grain (first and last order day per customer,
    manager and scan period, days since 1970-01-01); `starts`/`ends`: the roll-up's period
    first and last days (datetime64[D], ends clipped to the data's end).
    """
    cols = ["lost_customers", "prior_active_customers", "retained_customers"]
    need = list(dict.fromkeys([*by, "customer", "first_order_day", "last_order_day"]))
    r = rows.loc[(rows["active_lines"] > 0) & rows["last_order_day"].notna(), need]
    if r.empty or not len(starts):
        return pd.DataFrame(columns=[*by, "period", *cols])
    # a customer as a number (its category code): equal where the ids are, cheaper to
    # compare, sort and count than the ids' text
    ids = r["customer"]
    cust = (ids.cat.codes.to_numpy() if isinstance(ids.dtype, pd.CategoricalDtype)
            else pd.factorize(ids)[0]).astype(np.int64)
    last = r["last_order_day"].to_numpy(dtype="float64")
    order = np.lexsort((last, cust))  # by customer, then last order day; stable
    r, cust, last = r.iloc[order], cust[order], last[order]
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
    # an empty count (no customer active before the whole history's one period) is left
    # out: pandas cannot align its index with a categorical level of wider codes
    out = pd.concat([c for c in parts if len(c)] or parts, axis=1, sort=True)
    return out.reindex(columns=cols).fillna(0).reset_index()


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
    groupings the core is not defined: no values). `cultivation_stockists` counts the
    retailers carrying at least one cultivation-brand SKU (培育品牌上柜户数).

    `rows`: (manager, customer, product, scan period) with `shelf_lines` > 0 where supplied
    and `cultivation_lines` > 0 for a cultivation-brand SKU.
    Integer codes throughout: a year of a retailer book by SKU is millions of pairs.
    """
    cols = ["skus_sold", "skus_carried", "core_listed", "core_expected",
            "cultivation_stockists"]
    r = rows[rows["shelf_lines"].to_numpy(dtype="float64", na_value=0) > 0]
    # one order whatever the engine returned: a retailer's row of record below (its latest
    # line) must not depend on which of two same-period lines an engine listed first
    # (by value, not by category codes, whose order follows the engine's row order too)
    keys = [r[c].astype(str).to_numpy() for c in ("manager", "product", "customer", "period")
            if c in r]
    r = r.iloc[np.lexsort(keys)].reset_index(drop=True) if keys else r
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
    sold = (q[row] >= s_days[at]).astype("float64")
    cust = codes_of(r["customer"])[0]
    prod = codes_of(r["product"])[0]
    n_at, n_prod = len(starts), int(prod.max()) + 1
    rp_of_row = cust[row] * n_at + at  # retailer × period
    # one (retailer-period, SKU) pair per SKU carried; sold if supplied in the period itself
    pair = rp_of_row * n_prod + prod[row]
    order = np.argsort(pair, kind="stable")
    pair, first = np.unique(pair[order], return_index=True)
    pair_sold = np.maximum.reduceat(sold[order], first)
    retailer, sku = pair // n_prod, pair % n_prod
    # each retailer-period's row of record (org and customer attributes): its latest line
    latest = np.lexsort((q[row], rp_of_row))
    keyed = rp_of_row[latest]
    last = np.r_[keyed[1:] != keyed[:-1], True]
    rp, record = keyed[last], r.iloc[row[latest[last]]].reset_index(drop=True)
    # the product grouping of each SKU (one group when there is none)
    by_sku = r[["product", *product_dims]].assign(code=prod).drop_duplicates("code")
    group_of = np.zeros(n_prod, dtype=np.int64)
    groups = pd.DataFrame(index=range(1))
    if product_dims:
        keys = by_sku[product_dims].astype("object")
        gid = keys.groupby(product_dims, sort=False, dropna=False).ngroup().to_numpy()
        group_of[by_sku["code"].to_numpy()] = gid
        groups = keys.assign(g=gid).drop_duplicates("g").sort_values("g")[
            product_dims].reset_index(drop=True)
    n_group = len(groups)
    out_key = retailer * n_group + group_of[sku]
    uniq, inv = np.unique(out_key, return_inverse=True)
    at_rec = np.searchsorted(rp, uniq // n_group)
    org = [k for k in by if k not in product_dims and k != "company"]
    out = pd.DataFrame({k: record[k].to_numpy()[at_rec] for k in org})
    for d in product_dims:
        out[d] = groups[d].to_numpy()[uniq % n_group]
    out["company"] = "all"
    out["period"] = np.asarray(starts)[(uniq // n_group) % n_at]
    out["skus_carried"] = np.bincount(inv, minlength=len(uniq)).astype("float64")
    out["skus_sold"] = np.bincount(inv, weights=pair_sold, minlength=len(uniq))
    # 培育品牌上柜户数: the retailer carries at least one cultivation-brand SKU
    cult_sku = np.zeros(n_prod)
    cult_sku[prod[r["cultivation_lines"].to_numpy(dtype="float64", na_value=0) > 0]] = 1.0
    out["cultivation_stockists"] = (np.bincount(inv, weights=cult_sku[sku],
                                                minlength=len(uniq)) > 0).astype("float64")
    if product_dims:
        out["core_listed"] = out["core_expected"] = np.nan
    else:
        tier = codes_of(r["tier"])[0]
        cust_tier = np.full(int(cust.max()) + 1, -1)
        cust_tier[cust] = tier
        listed, expected = _core_range(retailer, cust_tier[retailer // n_at], retailer % n_at,
                                       sku, n_at, n_prod, core_share)
        out["core_listed"] = np.bincount(inv, weights=listed, minlength=len(uniq))
        exp = np.full(len(uniq), np.nan)
        exp[inv] = expected
        out["core_expected"] = exp
    return out.groupby([*by, "period"], observed=True)[cols].sum(min_count=1).reset_index()


def _core_range(retailer: np.ndarray, tier: np.ndarray, at: np.ndarray, sku: np.ndarray,
                n_at: int, n_prod: int, share: float) -> tuple[np.ndarray, np.ndarray]:
    """Per (retailer-period, SKU) pair, sorted by retailer: in its tier's core range (0/1),
    and the core's size. A retailer without a tier has no core (no value in either)."""
    ok = tier >= 0
    if not ok.any():
        return np.zeros(len(tier)), np.full(len(tier), np.nan)
    n_tp = (int(tier.max()) + 1) * n_at
    tp = np.where(ok, tier * n_at + at, 0)
    carriers = np.bincount((tp * n_prod + sku)[ok], minlength=n_tp * n_prod)
    opens = np.r_[True, retailer[1:] != retailer[:-1]]  # a retailer-period's first pair
    retailers = np.bincount(tp[ok & opens], minlength=n_tp)
    core = (carriers.reshape(n_tp, n_prod) >= retailers[:, None] * share - 1e-9) & (
        retailers[:, None] > 0)
    size = core.sum(axis=1).astype("float64")
    listed = np.where(ok, core[tp, sku], False).astype("float64")
    return listed, np.where(ok, size[tp], np.nan)
