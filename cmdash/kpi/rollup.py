"""From a cached `Scan` to the measures of any grouping and period: pure pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cmdash.kpi import derived as dv
from cmdash.kpi.grains import PERIODS
from cmdash.kpi.groups import Groups, codes_of
from cmdash.kpi.measures import INPUTS, MEASURES, PRODUCT_DIMS
from cmdash.kpi.scan import CORE_RANGE_SHARE, LOST_DAYS, SELL_THROUGH_DAYS, Scan
from cmdash.kpi.workdays import count_workdays, workday_flags

#: Columns every roll-up may read besides the groupings and the measures asked for.
_ALWAYS = frozenset({"period", "in_range", "manager", "customer", "product", "owner",
                     "first_order_day", "last_order_day", "shelf_lines",
                     "opened_date", "day", "units", "amount", "active_lines",
                     "cultivation_lines", "product_lines", "complaints", "start_checkins",
                     "end_checkins", "sales_target", "forecast", "forecast_months",
                     "visit_target", "new_customer_target"})

#: Measures of each retailer's range (动销率, 品种上柜率), from the shelf fact.
SHELF = frozenset({"skus_sold", "skus_carried", "core_listed", "core_expected",
                   "cultivation_stockists"})

#: Periods from finest to coarsest; "all" is the whole range as one period.
PERIOD_ORDER = ("day", "week", "month", "quarter", "half", "year", "all")


def regroup(periods: pd.Series, target: str, start: pd.Timestamp) -> pd.Series:
    """Base-period starts mapped to the start of the coarser `target` period."""
    p = pd.to_datetime(periods)
    if target == "all":
        return pd.Series(start, index=periods.index)
    if target == "quarter":
        return p.dt.to_period("Q").dt.start_time
    if target == "half":
        return pd.to_datetime(pd.DataFrame({"year": p.dt.year, "month": np.where(
            p.dt.month <= 6, 1, 7), "day": 1}))
    if target == "year":
        return p.dt.to_period("Y").dt.start_time
    return p


def period_start(day: pd.Timestamp, target: str, start: pd.Timestamp) -> pd.Timestamp:
    """First day of the `target` period holding `day` (any day, not only a base-period
    start: a range may begin mid-month)."""
    day = pd.Timestamp(day).normalize()
    if target == "day":
        return day
    if target == "week":
        return day - pd.Timedelta(days=day.weekday())
    if target == "month":
        return day.replace(day=1)
    return regroup(pd.Series([day]), target, start).iloc[0]


def same_values(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Row-wise a == b for two categorical columns, on their codes (no text compared)."""
    if not (isinstance(a.dtype, pd.CategoricalDtype) and isinstance(b.dtype,
                                                                     pd.CategoricalDtype)):
        return a.astype(str).to_numpy() == b.astype(str).to_numpy()
    # b's category positions in a's; a missing b value (code -1) picks the -1 at the end
    where = np.append(pd.Index(a.cat.categories).get_indexer(b.cat.categories), -1)
    b_in_a = where[b.cat.codes.to_numpy()]
    a_codes = a.cat.codes.to_numpy()
    return (a_codes == b_in_a) & (a_codes >= 0)


def can_roll(scan_period: str, target: str) -> bool:
    if target in ("day", "week"):
        return scan_period == target
    return scan_period in ("day", "month") or target == "all"


class _Rows:
    """One fact's rows for one roll-up: a mask over the scanned frame (never a copy), the
    period each row falls in at the roll-up's period, and the groups by the roll-up's keys."""

    def __init__(self, s: Scan, name: str, by: tuple[str, ...], period: str,
                 lead_in: bool, keep_all: bool, columns: set[str]) -> None:
        self.frame = f = s.facts[name]
        self.columns = columns
        self.keys = [*by, "period"]
        codes, uniques = codes_of(f["period"])
        if period != s.period:  # regroup the few distinct periods, not every row
            coarse = regroup(pd.Series(pd.to_datetime(uniques)), period, s.start)
            to_coarse, uniques = pd.factorize(coarse)
            codes = np.where(codes >= 0, to_coarse[np.maximum(codes, 0)], -1)
            uniques = pd.Index(uniques)
        self.period_codes, self.period_values = codes, uniques
        in_range = f["in_range"].to_numpy(dtype=bool)
        mask = np.ones(len(f), dtype=bool) if (lead_in or keep_all) else in_range.copy()
        if lead_in and not keep_all:
            # the lead-in's days inside the range's first (partial) period stay out of it
            first = period_start(s.start, period, s.start)
            early = np.asarray(uniques < first) if len(uniques) else np.zeros(0, bool)
            mask &= in_range | np.where(codes >= 0, early[np.maximum(codes, 0)], False)
        self.mask = mask
        self._groups: Groups | None = None
        self._frame: pd.DataFrame | None = None

    def key(self, name: str) -> tuple[np.ndarray, pd.Index]:
        if name == "period":
            return self.period_codes, self.period_values
        if name == "company":
            return np.zeros(len(self.frame), dtype=np.int64), pd.Index(["all"])
        return codes_of(self.frame[name])

    @property
    def groups(self) -> Groups:
        if self._groups is None:
            self._groups = Groups({k: self.key(k) for k in self.keys}, self.mask)
        return self._groups

    def periods(self) -> np.ndarray:
        """Each row's period start (at the roll-up's period), for row-wise comparisons."""
        values = pd.DatetimeIndex(self.period_values).to_numpy()
        return values[np.maximum(self.period_codes, 0)]

    def positive(self, column: str) -> np.ndarray:
        return self.frame[column].to_numpy(dtype="float64", na_value=np.nan) > 0

    def table(self) -> pd.DataFrame:
        """The rows as a frame with only the columns the roll-up reads (for the rarer
        measures that need pandas: concentration, retention, complaints per customer,
        targets)."""
        if self._frame is None:
            f = self.frame
            f = f[[c for c in f.columns if c in self.columns]][self.mask]
            f = f.assign(period=self.period_values.take(self.period_codes[self.mask]))
            if "company" in self.keys:
                f = f.assign(company="all")
            self._frame = f
        return self._frame


def rollup(s: Scan, by: tuple[str, ...], period: str, need: set[str],
           lead_in: bool = False) -> pd.DataFrame:
    """Measures per (group, period). With `lead_in`, periods before the range are kept
    too (for prior-period and last-year comparisons)."""
    keys = [*by, "period"]
    first = period_start(s.start, period, s.start)
    wanted = set(by) | need | _ALWAYS
    prepared: dict[tuple[str, bool], _Rows] = {}

    def rows(name: str, keep_all: bool = False) -> _Rows:
        if (name, keep_all) not in prepared:
            prepared[(name, keep_all)] = _Rows(s, name, by, period, lead_in, keep_all,
                                               wanted)
        return prepared[(name, keep_all)]

    sales_src = "assortment" if PRODUCT_DIMS & set(by) else "sales"
    parts: list[pd.DataFrame | pd.Series] = []
    for fact in ("sales", "visits", "feedback", "checkins", "inspections"):
        ms = sorted(m for m in need if MEASURES[m].source == fact
                    and MEASURES[m].kind == "sum")
        src = sales_src if fact == "sales" else fact
        if ms and src in s.facts:
            parts.append(rows(src).groups.sum(s.facts[src], ms))

    def distinct(r: _Rows, column: str, where: np.ndarray, name: str) -> None:
        parts.append(r.groups.nunique(codes_of(r.frame[column])[0], where, name))

    if "sales" in s.facts and need & {"active_customers", "cultivation_customers",
                                      "new_active_customers", "top5_amount", "hhi"}:
        r = rows("sales")
        if "active_customers" in need:
            distinct(r, "customer", r.positive("active_lines"), "active_customers")
        if "cultivation_customers" in need:
            distinct(r, "customer", r.positive("cultivation_lines"), "cultivation_customers")
        if "new_active_customers" in need:
            opened = r.frame["opened_date"].to_numpy(dtype="datetime64[ns]")
            new = opened >= r.periods().astype("datetime64[ns]")
            distinct(r, "customer", r.positive("active_lines") & new, "new_active_customers")
        if need & {"top5_amount", "hhi"}:
            f = r.table()
            amounts = f.groupby([*keys, "customer"], observed=True)["amount"].sum()
            parts.append(dv.concentration(amounts.reset_index(), keys).set_index(keys))
    if "sales" in s.facts and need & {"retained_customers", "prior_active_customers",
                                      "lost_customers"}:
        kept = _lapses(s, by, period)
        if not lead_in:
            kept = kept[kept["period"] >= first]
        parts.append(kept.set_index(keys))
    if "visits" in s.facts and "customers_visited" in need:
        # the book is today's owner's (see _with_book): count the visits it received from
        # that owner, so coverage never counts a customer twice or exceeds 100 %
        r = rows("visits")
        own = same_values(r.frame["manager"], r.frame["owner"])
        distinct(r, "customer", own, "customers_visited")
    if "feedback" in s.facts and "repeat_complainers" in need:
        f = rows("feedback").table()
        per = f.groupby([*keys, "customer"], observed=True)["complaints"].sum()
        parts.append(dv.repeat_complainers(per.reset_index(), keys).set_index(keys))
    if "shelf" in s.facts and need & SHELF:
        kept = _shelf(s, by, period)
        if not lead_in:
            kept = kept[kept["period"] >= first]
        parts.append(kept.set_index(keys))
    if "targets" in s.facts and need & {m for m, d in MEASURES.items()
                                        if d.source == "targets"}:
        parts.append(_plan(s, rows("targets").table(), keys))
    if "checkins" in s.facts and "valid_checkin_days" in need:
        r = rows("checkins")
        # a day counts once it has both check-ins and is a workday (what compliance is owed)
        days = r.frame["day"].to_numpy().astype("datetime64[D]")
        valid = (r.positive("start_checkins") & r.positive("end_checkins")
                 & workday_flags(days, s.calendar))
        parts.append(r.groups.size(valid, "valid_checkin_days"))

    out = _union(parts, keys)
    if need & {"book_customers", "new_customers", "closed_customers"}:
        out = _with_book(s, out, by, period, keys)
    offset = PERIODS[period].offset if period != "all" else ""
    counted = [m for m in out.columns if (m in MEASURES and MEASURES[m].kind != "derived")
               or m in ("retained_customers", "prior_active_customers", "lost_customers",
                        "skus_sold", "skus_carried", "cultivation_stockists",
                        "repeat_complainers", "valid_checkin_days")]
    out[counted] = out[counted].fillna(0)
    if "workdays" in need and not out.empty:
        out = _with_workdays(s, out, by, offset, keys)
    for m, inputs in INPUTS.items():
        if m in need and all(i in out for i in inputs):
            a, b = inputs
            out[m] = out[a] + out[b] if m == "gross_cases" else out[a] - out[b]
    if not out.empty:  # no period after the data's (or the range's) end
        out = out[pd.to_datetime(out["period"]) <= s.end]
    return out.sort_values(keys).reset_index(drop=True)


def _spans(s: Scan, f: pd.DataFrame, period: str) -> tuple[np.ndarray, np.ndarray]:
    """First and last days (datetime64[D]) of every roll-up period from a fact's first
    scanned period to the end (the last one clipped to the end)."""
    if period == "all":
        starts = np.array([np.datetime64(s.start.date(), "D")])
    else:
        begin = period_start(pd.Timestamp(f["period"].min()), period, s.start) if len(
            f) else s.start
        starts = pd.date_range(begin, s.end, freq=PERIODS[period].offset).to_numpy()
    offset = PERIODS[period].offset if period != "all" else ""
    ends = dv.period_end(pd.Series(starts), offset, s.end).to_numpy()
    return starts.astype("datetime64[D]"), ends.astype("datetime64[D]")


def _keyed(out: pd.DataFrame, by: tuple[str, ...]) -> pd.DataFrame:
    out["period"] = pd.to_datetime(out["period"])
    for k in by:
        out[k] = out[k].astype("object")
    return out


def _lapses(s: Scan, by: tuple[str, ...], period: str) -> pd.DataFrame:
    """Lost, active-at-start and retained customers per group and period (see dv.lapses),
    from the sales fact at its scan grain: every period from the lead-in to the end."""
    f = s.facts["sales"]
    starts, ends = _spans(s, f, period)
    rows = f.assign(company="all") if "company" in by else f
    return _keyed(dv.lapses(rows, list(by), starts, ends, np.datetime64(s.end.date(), "D"),
                            int(s.params.get("lost_days", LOST_DAYS))), by)


def _shelf(s: Scan, by: tuple[str, ...], period: str) -> pd.DataFrame:
    """SKUs sold and carried, summed over retailers, per group and period (dv.shelf)."""
    f = s.facts["shelf"]
    starts, ends = _spans(s, f, period)
    pdims = [d for d in by if d in PRODUCT_DIMS]
    days = int(s.params.get("sell_through_days", SELL_THROUGH_DAYS))
    out = _keyed(dv.shelf(f, list(by), pdims, starts, ends, days,
                          float(s.params.get("core_range_share", CORE_RANGE_SHARE))), by)
    if len(f):  # a period whose look-back starts before the first scanned supply: unknown
        seen = pd.Timestamp(f["period"].min())
        out = out[out["period"] - pd.Timedelta(days=days) >= seen]
    return out


def _with_workdays(s: Scan, out: pd.DataFrame, by: tuple[str, ...], offset: str,
                   keys: list[str]) -> pd.DataFrame:
    """Each manager's workdays in each period (inside the range, while employed), summed
    per group: the denominator of check-in compliance adds up at every level, as its
    numerator (each manager's valid days) does. Managers counted are those who check in
    at all (supervisors who never do are not owed any)."""
    m = s.managers
    if "checkins" in s.facts:
        m = m[m["manager"].astype(str).isin(set(s.facts["checkins"]["manager"].astype(str)))]
    periods = pd.to_datetime(out["period"]).drop_duplicates().sort_values().reset_index(
        drop=True)
    grid = m.merge(pd.DataFrame({"period": periods}), how="cross")
    last = dv.period_end(grid["period"], offset, s.end).to_numpy().astype("datetime64[D]")
    first = np.maximum(grid["period"].to_numpy().astype("datetime64[D]"),
                       np.datetime64(s.start.date(), "D"))
    hired = pd.to_datetime(grid["hire_date"]).to_numpy().astype("datetime64[D]")
    left = pd.to_datetime(grid["left_date"]).to_numpy().astype("datetime64[D]")
    first = np.where(np.isnat(hired), first, np.maximum(first, hired))
    last = np.where(np.isnat(left), last, np.minimum(last, left))
    grid["workdays"] = count_workdays(first, last, s.calendar)
    grid["company"] = "all"
    got = grid.groupby([*by, "period"], observed=True)["workdays"].sum().reset_index()
    for k in by:
        got[k] = got[k].astype("object")
    out = _with_rows(out, got, keys, ["workdays"]).fillna({"workdays": 0.0})
    if "valid_checkin_days" in out:  # owed workdays, no check-in: 0 days, not missing
        out["valid_checkin_days"] = out["valid_checkin_days"].fillna(0.0)
    return out


def _union(parts: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    parts = [p.to_frame() if isinstance(p, pd.Series) else p for p in parts]
    parts = [p for p in parts if len(p.columns)]
    if not parts:
        return pd.DataFrame(columns=keys)
    out = pd.concat(parts, axis=1, sort=False).reset_index()
    out = out.rename(columns={f"level_{i}": k for i, k in enumerate(keys)})
    for k in keys[:-1]:
        out[k] = out[k].astype("object")
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


def _plan(s: Scan, targets: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Targets beside what was sold in the same manager-month, then grouped."""
    at = s.facts["targets"].index.get_indexer(targets.index)  # the rows kept, in order
    sold = _sold(s)[at]
    t = targets.assign(
        target_units_sold=np.where(targets["sales_target"].notna(), sold, np.nan),
        forecast_sum=np.where(targets["forecast_months"] > 0, targets["forecast"], np.nan),
        forecast_abs_error=np.where(targets["forecast_months"] > 0,
                                    np.abs(sold - targets["forecast"]), np.nan),
    )
    cols = ["sales_target", "target_units_sold", "forecast_sum", "forecast_abs_error",
            "visit_target", "new_customer_target"]
    return t.groupby(keys, observed=True)[cols].sum(min_count=1)


def _book_customers(s: Scan) -> pd.DataFrame:
    """Customers in scope with their owner's region and district, once per scan."""
    if "book" not in s.memo:
        customers = s.customers.rename(columns={"owner": "manager"})
        if s.scope is not None:
            customers = customers[customers["manager"].isin(s.scope)]
        mattrs = s.managers.set_index("manager")
        s.memo["book"] = customers.assign(**{
            col: customers["manager"].map(mattrs[col]).astype("category")
            for col in ("region", "district")}).assign(company="all")
    return s.memo["book"]


def _with_book(s: Scan, out: pd.DataFrame, by: tuple[str, ...], period: str,
               keys: list[str]) -> pd.DataFrame:
    customers = _book_customers(s)
    periods = out[["period"]] if not out.empty else pd.DataFrame(
        {"period": [period_start(s.start, period, s.start)]})
    offset = PERIODS[period].offset if period != "all" else ""
    got = dv.book(customers, periods, list(by), offset, s.end)
    if offset == "":
        got = got.assign(period=s.start)
    for k in by:
        got[k] = got[k].astype("object")
    # every group with a book has its rows (a manager with a quiet week is still owed
    # coverage), so the groups' books add up to their parents'
    return _with_rows(out, got, keys, ["book_customers", "new_customers", "closed_customers"])


def _with_rows(out: pd.DataFrame, got: pd.DataFrame, keys: list[str], owed: list[str]
               ) -> pd.DataFrame:
    """`out` with `got`'s columns, plus `got`'s groups that `out` lacks where anything in
    `owed` is non-zero (a quiet manager still has a book, still owes workdays)."""
    if out.empty:
        return got
    merged = out.merge(got, on=keys, how="left")
    extra = got[got[owed].sum(axis=1) > 0].merge(out[keys], on=keys, how="left",
                                                  indicator=True)
    extra = extra[extra["_merge"] == "left_only"].drop(columns="_merge")
    return pd.concat([merged, extra], ignore_index=True) if len(extra) else merged
