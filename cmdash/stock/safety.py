"""Safety stock per retailer and product: average sales per order cycle × coefficient
(1.2 steady sellers, 1.3 profitable lines), the order it suggests for the next visit (net of
the stock on hand when the retailer's stock was counted, else a level to order up to), and
how often visits found stock short after an order below that suggestion."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cmdash.engine import Engine
from cmdash.query import Filters
from cmdash.query.compile import run
from cmdash.settings import Values
from cmdash.stock.queries import ON_HAND, ORDERS, STOCK_LINES, STOCK_VISITS


@dataclass(frozen=True)
class StockResult:
    lines: pd.DataFrame  # customer × product: avg per cycle, class, coefficient, safety stock
    customers: pd.DataFrame  # per retailer: cycles, stock-short share, after under-orders
    window: tuple[dt.date, dt.date]


def _params(filters: Filters, end: dt.date, weeks: int, customer: str | None) -> tuple:
    start = end - dt.timedelta(weeks=weeks)
    extra = {"window_start": start, "end": end, "all_customers": customer is None,
             "customer_id": customer or ""}
    return dataclasses.replace(filters, start=None, end=None), extra, start


#: how a line's suggested order was reached
NET_OF_STOCK, ORDER_UP_TO = "net_of_stock", "order_up_to"


def safety_stock(lines: pd.DataFrame, cycles: pd.Series, settings: Values,
                 on_hand: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per line: units per order cycle (cycles the retailer ordered anything), class,
    coefficient, the safety stock and the suggested order, in 条.

    With a stock count for the line (`on_hand`: customer_id, product_id, on_hand) the
    suggestion is the safety stock minus what is on hand (`basis` net_of_stock); without
    one it is the level to order up to (`basis` order_up_to). A line selling under the slow
    threshold a cycle is not rounded up to 1 条 every cycle: without a count it suggests 0
    and `order_every` says after how many cycles one 条 is due."""
    profitable = {t.strip() for t in settings["stock.profitable_tiers"].split(",") if t.strip()}
    out = lines.copy()
    out["cycles"] = out["customer_id"].map(cycles).astype("float64")
    out["per_cycle"] = out["units"].clip(lower=0) / out["cycles"].where(out["cycles"] > 0)
    out["line_class"] = np.where(out["price_tier"].isin(profitable), "profitable", "steady")
    out["coefficient"] = np.where(out["line_class"] == "profitable",
                                  settings["stock.coef_profitable"],
                                  settings["stock.coef_steady"])
    out["safety_stock"] = out["per_cycle"] * out["coefficient"]
    held = pd.Series(np.nan, index=out.index)
    if on_hand is not None and len(on_hand):
        held = out.join(on_hand.set_index(["customer_id", "product_id"])["on_hand"],
                        on=["customer_id", "product_id"])["on_hand"].astype("float64")
    out["on_hand"] = held
    counted = held.notna().to_numpy()
    out["basis"] = np.where(counted, NET_OF_STOCK, ORDER_UP_TO)
    need = (out["safety_stock"].fillna(0) - held.fillna(0)).clip(lower=0)
    slow = (out["per_cycle"] < settings["stock.slow_per_cycle"]).to_numpy()
    # round away float dust (6.000000001 條 is 6, not 7) before rounding up to whole 条
    suggested = np.ceil(need.round(9)).to_numpy()
    out["suggested_order"] = np.where(slow & ~counted, 0.0, suggested)
    with np.errstate(divide="ignore"):
        every = np.ceil(1 / out["per_cycle"].where(out["per_cycle"] > 0))
    out["order_every"] = np.where(slow, every, np.nan)
    return out


def stock_check(orders: pd.DataFrame, visits: pd.DataFrame, lines: pd.DataFrame
                ) -> pd.DataFrame:
    """Per retailer: share of visits that found stock short, overall and after an order
    that stayed below the suggestion for at least one of its regular lines."""
    if visits.empty:
        return pd.DataFrame(columns=["customer_id", "visits_checked", "stock_short_share",
                                     "short_after_under_order", "short_after_full_order"])
    suggest = lines.set_index(["customer_id", "product_id"])["suggested_order"]
    o = orders.join(suggest, on=["customer_id", "product_id"])
    o["under"] = o["units"] < o["suggested_order"]
    per_order = o.groupby(["customer_id", "order_date"])["under"].any().reset_index()
    per_order["order_date"] = pd.to_datetime(per_order["order_date"])
    v = visits.assign(day=pd.to_datetime(visits["day"])).sort_values("day")
    merged = pd.merge_asof(v, per_order.sort_values("order_date"), left_on="day",
                           right_on="order_date", by="customer_id", direction="backward")
    merged["short"] = ~merged["stock_ok"].astype(bool)
    grouped = merged.groupby("customer_id")
    out = pd.DataFrame({
        "visits_checked": grouped.size(),
        "stock_short_share": grouped["short"].mean(),
        "short_after_under_order": merged[merged["under"] == True].groupby(  # noqa: E712
            "customer_id")["short"].mean(),
        "short_after_full_order": merged[merged["under"] == False].groupby(  # noqa: E712
            "customer_id")["short"].mean(),
    })
    return out.reset_index()


def compute(engine: Engine, filters: Filters | None, settings: Values, end: dt.date,
            customer: str | None = None) -> StockResult:
    flt, extra, start = _params(filters or Filters(), end, settings["stock.window_weeks"],
                                customer)
    lines = run(engine, STOCK_LINES, flt, extra)
    orders = run(engine, ORDERS, flt, extra)
    visits = run(engine, STOCK_VISITS, flt, extra)
    counts = run(engine, ON_HAND, flt, extra)
    cycles = orders.groupby("customer_id")["order_date"].nunique()
    table = safety_stock(lines, cycles, settings, counts)
    return StockResult(table, stock_check(orders, visits, table), (start, end))
