"""The code of the named computations declared in `measures.COMPUTATIONS`: one function
each, registered under the same name. A keyed one returns its measures per (group,
period); an attached one joins its measures onto the roll-up's frame, adding the groups
it is owed (see `Computation`). The arithmetic itself is in derived.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cmdash.kpi import derived as dv
from cmdash.kpi.grains import PERIODS
from cmdash.kpi.groups import Groups, codes_of
from cmdash.kpi.measures import COMPUTATIONS, PRODUCT_DIMS
from cmdash.kpi.periods import period_start
from cmdash.kpi.scan import CORE_RANGE_SHARE, LOST_DAYS, SELL_THROUGH_DAYS, Scan
from cmdash.kpi.workdays import count_workdays


@dataclass(frozen=True)
class Ask:
    """One roll-up's question, as a computation sees it."""
    scan: Scan
    by: tuple[str, ...]
    period: str
    #: a fact's rows in the roll-up (in range, or with the lead-in) with the columns it
    #: reads, the period at the roll-up's period
    table: Callable[[str], pd.DataFrame]

    @property
    def keys(self) -> list[str]:
        return [*self.by, "period"]

    @property
    def offset(self) -> str:
        return PERIODS[self.period].offset if self.period != "all" else ""


def concentration(a: Ask) -> pd.DataFrame:
    amounts = a.table("sales").groupby([*a.keys, "customer"], observed=True)["amount"].sum()
    return dv.concentration(amounts.reset_index(), a.keys)


def repeat_complainers(a: Ask) -> pd.DataFrame:
    per = a.table("feedback").groupby([*a.keys, "customer"], observed=True)["complaints"].sum()
    return dv.repeat_complainers(per.reset_index(), a.keys)


def _spans(a: Ask, f: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """First and last days (datetime64[D]) of every roll-up period from a fact's first
    scanned period to the end (the last one clipped to the end)."""
    s = a.scan
    if a.period == "all":
        starts = np.array([np.datetime64(s.start.date(), "D")])
    else:
        begin = period_start(pd.Timestamp(f["period"].min()), a.period, s.start) if len(
            f) else s.start
        starts = pd.date_range(begin, s.end, freq=PERIODS[a.period].offset).to_numpy()
    ends = dv.period_end(pd.Series(starts), a.offset, s.end).to_numpy()
    return starts.astype("datetime64[D]"), ends.astype("datetime64[D]")


def _keyed(out: pd.DataFrame, by: tuple[str, ...]) -> pd.DataFrame:
    out["period"] = pd.to_datetime(out["period"])
    for k in by:
        out[k] = out[k].astype("object")
    return out


def lapses(a: Ask) -> pd.DataFrame:
    """Lost, active-at-start and retained customers per group and period (see dv.lapses),
    from the sales fact at its scan grain: every period from the lead-in to the end."""
    s, by = a.scan, a.by
    f = s.facts["sales"]
    starts, ends = _spans(a, f)
    rows = f.assign(company="all") if "company" in by else f
    return _keyed(dv.lapses(rows, list(by), starts, ends, np.datetime64(s.end.date(), "D"),
                            int(s.params.get("lost_days", LOST_DAYS))), by)


def shelf(a: Ask) -> pd.DataFrame:
    """SKUs sold and carried, summed over retailers, per group and period (dv.shelf)."""
    s, by = a.scan, a.by
    f = s.facts["shelf"]
    starts, ends = _spans(a, f)
    pdims = [d for d in by if d in PRODUCT_DIMS]
    days = int(s.params.get("sell_through_days", SELL_THROUGH_DAYS))
    out = _keyed(dv.shelf(f, list(by), pdims, starts, ends, days,
                          float(s.params.get("core_range_share", CORE_RANGE_SHARE))), by)
    if len(f):  # a period whose look-back starts before the first scanned supply: unknown
        seen = pd.Timestamp(f["period"].min())
        out = out[out["period"] - pd.Timedelta(days=days) >= seen]
    return out


def _sold(s: Scan) -> np.ndarray:
    """Units sold in each target row's manager-month (0 if none), once per scan.

    A target row in the range takes the month's in-range sales, one in the lead-in all of
    that month's: the same whether or not a roll-up keeps the lead-in, so it is shared."""
    if "sold" not in s.memo:
        targets = s.facts["targets"]
        sales = s.facts.get("sales")
        if sales is None or sales.empty or targets.empty:
            s.memo["sold"] = np.zeros(len(targets))
        else:
            first_month = period_start(s.start, "month", s.start)
            periods = sales["period"].to_numpy()
            rows = sales["in_range"].to_numpy(dtype=bool) | (periods < np.datetime64(
                first_month))
            g = Groups({"manager": codes_of(sales["manager"]),
                        "period": codes_of(sales["period"])}, rows)
            units = g.sum(sales, ["units"])["units"]
            want = pd.MultiIndex.from_arrays(
                [targets["manager"].astype("object"), targets["period"]])
            have = units.index.set_levels(units.index.levels[0].astype("object"), level=0)
            at = have.get_indexer(want)
            s.memo["sold"] = np.where(at >= 0, units.to_numpy()[np.maximum(at, 0)], 0.0)
    return s.memo["sold"]


def plan(a: Ask) -> pd.DataFrame:
    """Targets beside what was sold in the same manager-month, then grouped."""
    s = a.scan
    targets = a.table("targets")
    at = s.facts["targets"].index.get_indexer(targets.index)  # the rows kept, in order
    sold = _sold(s)[at]
    t = targets.assign(
        target_units_sold=np.where(targets["sales_target"].notna(), sold, np.nan),
        forecast_sum=np.where(targets["forecast_months"] > 0, targets["forecast"], np.nan),
        forecast_abs_error=np.where(targets["forecast_months"] > 0,
                                    np.abs(sold - targets["forecast"]), np.nan),
    )
    cols = list(COMPUTATIONS["plan"].outputs)
    return t.groupby(a.keys, observed=True)[cols].sum(min_count=1).reset_index()


def _book_customers(s: Scan) -> pd.DataFrame:
    """Customers in scope with their owner's region and district, once per scan."""
    if "book" not in s.memo:
        customers = s.customers.rename(columns={"owner": "manager"})
        if s.scope is not None:
            customers = customers[customers["manager"].isin(s.scope)]
        mattrs = s.managers.set_index("manager")
        s.memo["book"] = customers.assign(**{
            col: customers["manager"].map(mattrs[col]).astype("category")
            for col in ("region", "district")}, **{
            # reindex, not map: pandas cannot map through an empty datetime column
            col: pd.to_datetime(mattrs[col].reindex(customers["manager"]).to_numpy())
            for col in ("hire_date", "left_date") if col in mattrs}).assign(company="all")
    return s.memo["book"]


def book(a: Ask, out: pd.DataFrame) -> pd.DataFrame:
    """The customer book of every group in every period (ownership is today's, so a
    customer is in a book only while its owner is employed: before the owner's hire
    someone the data does not name held it)."""
    s = a.scan
    periods = out[["period"]] if not out.empty else pd.DataFrame(
        {"period": [period_start(s.start, a.period, s.start)]})
    got = dv.book(_book_customers(s), periods, list(a.by), a.offset, s.end)
    if a.offset == "":
        got = got.assign(period=s.start)
    for k in a.by:
        got[k] = got[k].astype("object")
    # every group with a book has its rows (a manager with a quiet week is still owed
    # coverage), so the groups' books add up to their parents'
    return got


def workdays(a: Ask, out: pd.DataFrame) -> pd.DataFrame | None:
    """Each manager's workdays in each period (inside the range, while employed), summed
    per group: the denominator of check-in compliance adds up at every level, as its
    numerator (each manager's valid days) does. Managers counted are those who check in
    at all (supervisors who never do are not owed any). No periods yet: nothing owed."""
    if out.empty:
        return None
    s = a.scan
    m = s.managers
    if "checkins" in s.facts:
        # the distinct ids first: a text set of every check-in row costs more than the rest
        checked = pd.Index(s.facts["checkins"]["manager"].dropna().unique()).astype(str)
        m = m[m["manager"].astype(str).isin(set(checked))]
    periods = pd.to_datetime(out["period"]).drop_duplicates().sort_values().reset_index(
        drop=True)
    grid = m.merge(pd.DataFrame({"period": periods}), how="cross")
    last = dv.period_end(grid["period"], a.offset, s.end).to_numpy().astype("datetime64[D]")
    first = np.maximum(grid["period"].to_numpy().astype("datetime64[D]"),
                       np.datetime64(s.start.date(), "D"))
    hired = pd.to_datetime(grid["hire_date"]).to_numpy().astype("datetime64[D]")
    left = pd.to_datetime(grid["left_date"]).to_numpy().astype("datetime64[D]")
    first = np.where(np.isnat(hired), first, np.maximum(first, hired))
    last = np.where(np.isnat(left), last, np.minimum(last, left))
    grid["workdays"] = count_workdays(first, last, s.calendar)
    grid["company"] = "all"
    got = grid.groupby([*a.by, "period"], observed=True)["workdays"].sum().reset_index()
    for k in a.by:
        got[k] = got[k].astype("object")
    return got


#: Keyed computations: (group, period) frames, unioned with the other measures.
KEYED: dict[str, Callable[[Ask], pd.DataFrame]] = {
    "concentration": concentration, "lapses": lapses,
    "repeat_complainers": repeat_complainers, "shelf": shelf, "plan": plan}
#: Attached computations: their (group, period) rows for the roll-up's frame so far.
ATTACHED: dict[str, Callable[[Ask, pd.DataFrame], pd.DataFrame | None]] = {
    "book": book, "workdays": workdays}
