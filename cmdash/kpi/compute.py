"""Computes any set of KPIs by any groupings and period: one scan per fact, then pandas.

`compute_many` answers several groupings at once (the overview's company, region, district
and manager levels, by period and for the whole range) with one pass over each fact. Its
measure frames (one row per group and period, one column per base measure) are the small,
cacheable result of the heavy scans; KPI values, comparisons and scores are recomputed from
them without touching the engine again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cmdash.engine import Engine
from cmdash.kpi import derived as dv
from cmdash.kpi.catalog import KPIS, Kpi
from cmdash.kpi.facts import FACTS
from cmdash.kpi.grains import DIMENSIONS, PERIODS
from cmdash.kpi.sql import PERIOD, GroupingSet, catalogue_sql, compiled, rows_sql, union_dims
from cmdash.query import Filters
from cmdash.query.compile import run

PRODUCT_DIMS = ("product", "brand", "price_tier")

#: Settings the measure SQL binds (defaults; the settings file overrides them).
MEASURE_PARAMS = {"log_hours": 24, "early_end_hour": 16.0}


@dataclass(frozen=True)
class Unavailable:
    reason: str  # "grain" (not defined at this grouping) or "no_data" (table absent/empty)
    tables: tuple[str, ...] = ()


@dataclass
class KpiFrame:
    """KPI values per group and period, plus what could not be computed and why.

    A frame for the whole range (no period in its grouping) still has a `period` column,
    holding the range's first day, so every consumer sees the same keys.
    """

    by: tuple[str, ...]
    period: str  # the period id, or "all" for the whole range
    measures: pd.DataFrame  # keys + base measures: the cacheable part
    values: pd.DataFrame  # keys + one column per available KPI
    unavailable: dict[str, Unavailable] = field(default_factory=dict)

    @property
    def keys(self) -> list[str]:
        return [*self.by, "period"]


def table_rows(engine: Engine) -> dict[str, int]:
    """Rows per contract table, asked once per engine (Parquet footers make it cheap)."""
    cached = getattr(engine, "_cmdash_rows", None)
    if cached is None:
        from cmdash.contract import TABLES

        cached = {
            t: int(engine.query(f"SELECT count(*) AS n FROM {t}", {})["n"].iloc[0])
            for t in TABLES
        }
        engine._cmdash_rows = cached  # type: ignore[attr-defined]
    return cached


def measure_source(measure: str) -> tuple[str, frozenset[str], tuple[str, ...]]:
    """(source, dims it is valid at, tables it needs rows in) of a measure."""
    for fact in FACTS.values():
        if measure in fact.measures and fact.name != "book":
            return fact.name, fact.dims, (fact.table, *fact.needs)
    d = dv.DERIVED[measure]
    return d.source, d.dims, d.tables


def availability(kpis: list[Kpi], by: tuple[str, ...], rows: dict[str, int]
                 ) -> dict[str, Unavailable]:
    out: dict[str, Unavailable] = {}
    for k in kpis:
        for m in k.measures:
            _, dims, tables = measure_source(m)
            extra = tuple(dv.DERIVED[m].inputs) if m in dv.DERIVED else ()
            tables = tables + tuple(t for i in extra for t in measure_source(i)[2])
            if not set(by) <= dims:
                out[k.id] = Unavailable("grain")
                break
            empty = tuple(sorted({t for t in tables if rows.get(t, 0) == 0}))
            if empty:
                out[k.id] = Unavailable("no_data", empty)
                break
    return out


def _needed(kpis: list[Kpi]) -> set[str]:
    need: set[str] = set()
    for k in kpis:
        for m in k.measures:
            need.add(m)
            if m in dv.DERIVED:
                need.update(dv.DERIVED[m].inputs)
    if {"top5_amount", "hhi"} & need:
        need.add("amount")
    return need


def _split(frame: pd.DataFrame, sets: tuple[GroupingSet, ...], span_start: pd.Timestamp
           ) -> dict[GroupingSet, pd.DataFrame]:
    """One frame per grouping set, from a GROUPING SETS result (or a plain one)."""
    dims = union_dims(sets)
    out: dict[GroupingSet, pd.DataFrame] = {}
    for s in sets:
        part = frame
        if len(sets) > 1:
            mask = np.ones(len(frame), dtype=bool)
            for d in dims:
                mask &= frame[f"g_{d}"].to_numpy() == (0 if d in s else 1)
            part = frame[mask]
        part = part.drop(columns=[c for c in part.columns if c.startswith("g_")
                                  or (c in dims and c not in s and c != PERIOD)])
        if PERIOD in s:
            part = part.assign(period=pd.to_datetime(part[PERIOD]))
        else:
            part = part.assign(period=span_start)
        out[s] = part.reset_index(drop=True)
    return out


def _fact_frames(engine: Engine, fact: str, measures: tuple[str, ...],
                 sets: tuple[GroupingSet, ...], period: str, params: dict,
                 span_start: pd.Timestamp) -> dict[GroupingSet, pd.DataFrame]:
    sql, names = compiled(fact, measures, sets, period, engine.dialect)
    frame = engine.query(sql, {k: v for k, v in params.items() if k in names})
    return _split(frame, sets, span_start)


def compute(engine: Engine, kpi_ids: list[str] | tuple[str, ...],
            by: tuple[str, ...] = ("manager",), period: str = "month",
            filters: Filters | None = None, measure_params: dict | None = None) -> KpiFrame:
    """KPIs for one grouping and period (`period="all"`: one row per group for the range)."""
    grouping = tuple(by) if period == "all" else (*by, PERIOD)
    base = "month" if period == "all" else period
    return compute_many(engine, kpi_ids, (grouping,), base, filters, measure_params)[grouping]


def compute_many(engine: Engine, kpi_ids: list[str] | tuple[str, ...],
                 groupings: tuple[GroupingSet, ...], period: str = "month",
                 filters: Filters | None = None, measure_params: dict | None = None
                 ) -> dict[GroupingSet, KpiFrame]:
    """KPIs for several groupings in one pass per fact. A grouping is a tuple of dimension
    ids; with "period" in it, one row per period, else one row for the whole range."""
    filters = filters or Filters()
    groupings = tuple(tuple(g) for g in groupings)
    for g in groupings:
        for d in g:
            if d != PERIOD and d not in DIMENSIONS:
                raise ValueError(f"unknown grouping {d!r}; choose from {sorted(DIMENSIONS)}")
    if period not in PERIODS or period == "all":
        raise ValueError(f"unknown period {period!r}; choose from {sorted(PERIODS)}")
    kpis = [KPIS[k] for k in kpi_ids]
    rows = table_rows(engine)
    params = filters.params() | MEASURE_PARAMS | (measure_params or {})
    start, end = _span(engine, filters)
    offset = PERIODS[period].offset

    plans = {}
    for g in groupings:
        dims = tuple(d for d in g if d != PERIOD)
        unavailable = availability(kpis, dims, rows)
        usable = [k for k in kpis if k.id not in unavailable]
        plans[g] = (dims, unavailable, usable, _needed(usable))
    need_all = set().union(*(p[3] for p in plans.values())) if plans else set()

    measures: dict[GroupingSet, pd.DataFrame] = {g: pd.DataFrame() for g in groupings}
    for fact in FACTS.values():
        if fact.name == "book":
            continue
        wanted = tuple(m for m in fact.measures if m in need_all)
        sets = tuple(g for g in groupings
                     if any(m in plans[g][3] for m in wanted)
                     and set(plans[g][0]) <= fact.dims)
        if not wanted or not sets:
            continue
        for g, frame in _fact_frames(engine, fact.name, wanted, sets, period, params,
                                     start).items():
            keys = [*plans[g][0], "period"]
            measures[g] = frame if measures[g].empty else measures[g].merge(
                frame, on=keys, how="outer")

    _add_derived(engine, groupings, plans, measures, period, params, start, end, offset)

    out: dict[GroupingSet, KpiFrame] = {}
    for g in groupings:
        dims, unavailable, usable, _ = plans[g]
        keys = [*dims, "period"]
        m = measures[g]
        if m.empty:
            m = pd.DataFrame(columns=keys)
        m = m.sort_values(keys).reset_index(drop=True)
        out[g] = KpiFrame(dims, period if PERIOD in g else "all", m,
                          kpi_values(m, usable, keys), unavailable)
    return out


def _add_derived(engine: Engine, groupings, plans, measures, period: str, params: dict,
                 start: pd.Timestamp, end: pd.Timestamp, offset: str) -> None:
    """Fill the derived measures into each grouping's measure frame, in place."""
    def wants(g, names) -> bool:
        return bool(plans[g][3] & set(names))

    counts = {c for f in FACTS.values() if f.name != "book" for c in f.measures}
    for g in groupings:
        m = measures[g]
        if not m.empty:
            measures[g] = m.fillna({c: 0 for c in m.columns if c in counts})

    book_sets = [g for g in groupings if wants(g, ("book_customers", "new_customers",
                                                   "closed_customers"))]
    if book_sets:
        dims = tuple(union_dims(tuple(book_sets)))
        dims = tuple(d for d in dims if d != PERIOD)
        sql, names = rows_sql("book", dims, engine.dialect)
        customers = engine.query(sql, {k: v for k, v in params.items() if k in names})
        for g in book_sets:
            gd = list(plans[g][0])
            keys = [*gd, "period"]
            go = offset if PERIOD in g else ""
            wanted = measures[g][keys] if not measures[g].empty else pd.DataFrame(
                {**{d: [] for d in gd}, "period": [start]})
            book = dv.book(customers, wanted, gd, go, end, span=(start, end))
            measures[g] = _join(measures[g], book, keys)

    act = [g for g in groupings if wants(g, ("retained_customers", "prior_active_customers",
                                             "lost_customers", "top5_amount", "hhi"))]
    if act:
        sets = tuple(tuple(dict.fromkeys((*g, "customer"))) for g in act)
        earlier = params | {"start": _one_period_before(start, offset)}
        frames = _fact_frames(engine, "sales", ("amount", "active_lines"), sets, period,
                              earlier, start)
        for g, s in zip(act, sets, strict=True):
            pc = frames[s].rename(columns={"active_lines": "active"})
            go = offset if PERIOD in g else ""
            keys = [*plans[g][0], "period"]
            got = dv.activity(pc, list(plans[g][0]), go)
            got = got[got["period"] >= start] if go else got
            measures[g] = _join(measures[g], got, keys)

    comp = [g for g in groupings if wants(g, ("repeat_complainers",))]
    if comp:
        sets = tuple(tuple(dict.fromkeys((*g, "customer"))) for g in comp)
        frames = _fact_frames(engine, "feedback", ("complaints",), sets, period, params, start)
        for g, s in zip(comp, sets, strict=True):
            keys = [*plans[g][0], "period"]
            got = dv.complainers(frames[s], list(plans[g][0]))
            measures[g] = _join(measures[g], got, keys)
            measures[g]["repeat_complainers"] = measures[g]["repeat_complainers"].fillna(0)

    for g in groupings:
        dims, _, _, need = plans[g]
        m = measures[g]
        if m.empty:
            continue
        keys = [*dims, "period"]
        if "workdays" in need:
            m["workdays"] = dv.workdays(m[keys], offset if PERIOD in g else "", start, end)
        if "products_listed" in need:
            pdims = tuple(d for d in dims if d in PRODUCT_DIMS)
            listed = engine.query(catalogue_sql(pdims, engine.dialect), {})
            m = m.merge(listed, on=list(pdims), how="left") if pdims else m.assign(
                products_listed=float(listed["products_listed"].iloc[0]))
        if "valid_checkin_days" in need:
            m["valid_checkin_days"] = np.minimum(m["start_days"], m["end_days"])
        if "gross_cases" in need:
            m["gross_cases"] = m["cases"] + m["return_cases"]
        measures[g] = m


def _join(left: pd.DataFrame, right: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    if left.empty:
        return right
    right = right.assign(period=pd.to_datetime(right["period"]))
    return left.merge(right, on=keys, how="left")


def kpi_values(measures: pd.DataFrame, kpis: list[Kpi], keys: list[str]) -> pd.DataFrame:
    """KPI columns from measure columns: num / den × scale; a zero denominator gives NaN."""
    out = measures[keys].copy()
    for k in kpis:
        if k.numerator not in measures:
            out[k.id] = np.nan
            continue
        num = measures[k.numerator].astype("float64")
        if k.denominator:
            den = measures[k.denominator].astype("float64")
            ratio = num / den.where(den != 0)
            value = (1 - ratio) if k.complement else ratio
        else:
            value = num
        out[k.id] = value * k.scale
    return out


def _span(engine: Engine, filters: Filters) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The dates the view covers: the filter, else the sales data's own range."""
    data = run(engine, "sales_date_range").iloc[0]
    first = pd.Timestamp(filters.start) if filters.start else pd.Timestamp(data["first_day"])
    last = pd.Timestamp(filters.end) if filters.end else pd.Timestamp(data["last_day"])
    if pd.isna(first) or pd.isna(last):
        today = pd.Timestamp.today().normalize()
        return today, today
    return first, last


def _one_period_before(start: pd.Timestamp, offset: str):
    if not offset:
        return start.date()
    return (start - pd.tseries.frequencies.to_offset(offset)).date()
