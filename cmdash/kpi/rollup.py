"""From a cached `Scan` to the measures of any grouping and period: pure pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cmdash.kpi import derived as dv
from cmdash.kpi.grains import PERIODS
from cmdash.kpi.measures import INPUTS, MEASURES, PRODUCT_DIMS
from cmdash.kpi.scan import Scan

#: Columns every roll-up may read besides the groupings and the measures asked for.
_ALWAYS = frozenset({"period", "in_range", "manager", "customer", "product", "owner",
                     "opened_date", "day", "units", "amount", "active_lines",
                     "cultivation_lines", "product_lines", "complaints", "start_checkins",
                     "end_checkins", "sales_target", "forecast", "forecast_months",
                     "visit_target", "new_customer_target"})

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
    where = pd.Index(a.cat.categories).get_indexer(b.cat.categories)
    b_codes = b.cat.codes.to_numpy()
    b_in_a = np.where(b_codes >= 0, where[np.maximum(b_codes, 0)], -1)
    a_codes = a.cat.codes.to_numpy()
    return (a_codes == b_in_a) & (a_codes >= 0)


def can_roll(scan_period: str, target: str) -> bool:
    if target in ("day", "week"):
        return scan_period == target
    return scan_period in ("day", "month") or target == "all"


def rollup(s: Scan, by: tuple[str, ...], period: str, need: set[str],
           lead_in: bool = False) -> pd.DataFrame:
    """Measures per (group, period). With `lead_in`, periods before the range are kept
    too (for prior-period and last-year comparisons)."""
    keys = [*by, "period"]
    first = period_start(s.start, period, s.start)

    prepared: dict[tuple[str, bool], pd.DataFrame] = {}
    wanted = set(by) | need | _ALWAYS

    def prep(name: str, keep_all: bool = False) -> pd.DataFrame:
        """The fact's rows for this roll-up, with only the columns it reads (copied once
        per roll-up call, not per measure: the frames are millions of rows at scale)."""
        if (name, keep_all) in prepared:
            return prepared[(name, keep_all)]
        f = s.facts[name]
        f = f[[c for c in f.columns if c in wanted]]
        if not (lead_in or keep_all):
            f = f[f["in_range"].to_numpy()]
        if period != s.period:
            f = f.assign(period=regroup(f["period"], period, s.start))
        if lead_in and not keep_all:
            # the lead-in's days inside the range's first (partial) period stay out of it
            f = f[(f["in_range"] | (f["period"] < first)).to_numpy()]
        if "company" in by:
            f = f.assign(company="all")
        prepared[(name, keep_all)] = f
        return f

    sales_src = "assortment" if PRODUCT_DIMS & set(by) else "sales"
    parts: list[pd.DataFrame] = []
    for fact in ("sales", "visits", "feedback", "checkins", "inspections"):
        ms = sorted(m for m in need if MEASURES[m].source == fact
                    and MEASURES[m].kind == "sum")
        src = sales_src if fact == "sales" else fact
        if ms and src in s.facts:
            parts.append(prep(src).groupby(keys, observed=True)[ms].sum())

    def distinct(frame: pd.DataFrame, column: str, name: str) -> None:
        parts.append(frame.groupby(keys, observed=True)[column].nunique().rename(name))

    if "sales" in s.facts and need & {"active_customers", "cultivation_customers",
                                      "new_active_customers", "top5_amount", "hhi"}:
        f = prep("sales")
        act = f[f["active_lines"] > 0]
        if "active_customers" in need:
            distinct(act, "customer", "active_customers")
        if "cultivation_customers" in need:
            distinct(f[f["cultivation_lines"] > 0], "customer", "cultivation_customers")
        if "new_active_customers" in need:
            distinct(act[act["opened_date"] >= act["period"]], "customer",
                     "new_active_customers")
        if need & {"top5_amount", "hhi"}:
            amounts = f.groupby([*keys, "customer"], observed=True)["amount"].sum()
            parts.append(dv.concentration(amounts.reset_index(), keys).set_index(keys))
    if "sales" in s.facts and need & {"retained_customers", "prior_active_customers",
                                      "lost_customers"}:
        f = prep("sales", keep_all=True)
        act = f[f["active_lines"] > 0][[*keys, "customer"]].drop_duplicates()
        kept = dv.retention(act, keys, PERIODS[period].offset if period != "all" else "")
        if not lead_in:
            kept = kept[kept["period"] >= first]
        parts.append(kept.set_index(keys))
    if "visits" in s.facts and "customers_visited" in need:
        # the book is today's owner's (see _with_book): count the visits it received from
        # that owner, so coverage never counts a customer twice or exceeds 100 %
        v = prep("visits")
        own = same_values(v["manager"], v["owner"])
        distinct(v[own], "customer", "customers_visited")
    if "feedback" in s.facts and "repeat_complainers" in need:
        per = prep("feedback").groupby([*keys, "customer"], observed=True)["complaints"].sum()
        parts.append(dv.repeat_complainers(per.reset_index(), keys).set_index(keys))
    if "assortment" in s.facts and "products_sold" in need:
        f = prep("assortment")
        distinct(f[f["product_lines"] > 0], "product", "products_sold")
    if "targets" in s.facts and need & {m for m, d in MEASURES.items()
                                        if d.source == "targets"}:
        parts.append(_plan(s, prep("targets"), keys, lead_in))
    if "checkins" in s.facts and "valid_checkin_days" in need:
        f = prep("checkins")
        valid = f[(f["start_checkins"] > 0) & (f["end_checkins"] > 0)]
        parts.append(valid.groupby(keys, observed=True).size().rename("valid_checkin_days"))

    out = _union(parts, keys)
    if need & {"book_customers", "new_customers", "closed_customers"}:
        out = _with_book(s, out, by, period, keys)
    offset = PERIODS[period].offset if period != "all" else ""
    counted = [m for m in out.columns if (m in MEASURES and MEASURES[m].kind != "derived")
               or m in ("retained_customers", "prior_active_customers", "repeat_complainers",
                        "valid_checkin_days")]
    out[counted] = out[counted].fillna(0)
    if "workdays" in need and not out.empty:
        out["workdays"] = dv.workdays(out["period"], offset, s.start, s.end)
    if "products_listed" in need:
        pdims = [d for d in by if d in PRODUCT_DIMS]
        if pdims:
            listed = s.products.groupby(pdims).size().rename("products_listed").reset_index()
            out = out.merge(listed, on=pdims, how="left")
        else:
            out["products_listed"] = float(len(s.products))
    for m, inputs in INPUTS.items():
        if m in need and all(i in out for i in inputs):
            a, b = inputs
            out[m] = out[a] + out[b] if m == "gross_cases" else out[a] - out[b]
    return out.sort_values(keys).reset_index(drop=True)


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


def _plan(s: Scan, targets: pd.DataFrame, keys: list[str], lead_in: bool) -> pd.DataFrame:
    """Targets beside what was sold in the same manager-month, then grouped."""
    sales = s.facts.get("sales")
    if sales is not None:
        sales = sales[["manager", "period", "in_range", "units"]]
        first_month = period_start(s.start, "month", s.start)
        rows = sales[(sales["in_range"] | (lead_in & (sales["period"] < first_month)))
                     .to_numpy()]
        units = rows.groupby(["manager", "period"], observed=True)["units"].sum()
    else:
        units = pd.Series(dtype="float64", name="units")
    base = s.facts["targets"].loc[targets.index]  # the rows `prep` kept, in its order
    left = base[["manager", "period"]].astype({"manager": "object"})
    right = units.reset_index().astype({"manager": "object"})
    sold = left.merge(right, on=["manager", "period"], how="left")["units"].fillna(0)
    sold = sold.to_numpy()
    t = targets.assign(
        target_units_sold=np.where(targets["sales_target"].notna(), sold, np.nan),
        forecast_sum=np.where(targets["forecast_months"] > 0, targets["forecast"], np.nan),
        forecast_abs_error=np.where(targets["forecast_months"] > 0,
                                    np.abs(sold - targets["forecast"]), np.nan),
    )
    cols = ["sales_target", "target_units_sold", "forecast_sum", "forecast_abs_error",
            "visit_target", "new_customer_target"]
    return t.groupby(keys, observed=True)[cols].sum(min_count=1)


def _with_book(s: Scan, out: pd.DataFrame, by: tuple[str, ...], period: str,
               keys: list[str]) -> pd.DataFrame:
    customers = s.customers.rename(columns={"owner": "manager"})
    if s.scope is not None:
        customers = customers[customers["manager"].isin(s.scope)]
    mattrs = s.managers.set_index("manager")
    for col in ("region", "district"):
        customers = customers.assign(**{col: customers["manager"].map(mattrs[col])})
    if "company" in by:
        customers = customers.assign(company="all")
    periods = out[["period"]] if not out.empty else pd.DataFrame(
        {"period": [period_start(s.start, period, s.start)]})
    offset = PERIODS[period].offset if period != "all" else ""
    got = dv.book(customers, periods, list(by), offset, s.end)
    if offset == "":
        got = got.assign(period=s.start)
    for k in by:
        got[k] = got[k].astype("object")
    return out.merge(got, on=keys, how="left") if not out.empty else got
