"""Computes any set of KPIs by any grouping and period: one scan per fact, then pandas.

The measure frame (one row per group and period, one column per base measure) is the
small, cacheable result of the heavy scans; KPI values, comparisons and scores are
recomputed from it without touching the engine again.
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
from cmdash.kpi.sql import catalogue_sql, compiled, rows_sql
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
    """KPI values per group and period, plus what could not be computed and why."""

    by: tuple[str, ...]
    period: str
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


def _availability(kpis: list[Kpi], by: tuple[str, ...], rows: dict[str, int]
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


def _fact_frame(engine: Engine, fact: str, measures: tuple[str, ...], dims: tuple[str, ...],
                period: str, params: dict) -> pd.DataFrame:
    sql, names = compiled(fact, measures, dims, period, engine.dialect)
    frame = engine.query(sql, {k: v for k, v in params.items() if k in names})
    frame["period"] = pd.to_datetime(frame["period"])
    return frame


def compute(engine: Engine, kpi_ids: list[str] | tuple[str, ...], by: tuple[str, ...] = (
        "manager",), period: str = "month", filters: Filters | None = None,
            measure_params: dict | None = None) -> KpiFrame:
    filters = filters or Filters()
    by = tuple(by)
    for d in by:
        if d not in DIMENSIONS:
            raise ValueError(f"unknown grouping {d!r}; choose from {sorted(DIMENSIONS)}")
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}; choose from {sorted(PERIODS)}")
    kpis = [KPIS[k] for k in kpi_ids]
    rows = table_rows(engine)
    unavailable = _availability(kpis, by, rows)
    usable = [k for k in kpis if k.id not in unavailable]
    need = _needed(usable)
    params = filters.params() | MEASURE_PARAMS | (measure_params or {})
    keys = [*by, "period"]
    offset = PERIODS[period].offset

    # one scan per fact
    frames: list[pd.DataFrame] = []
    for fact in FACTS.values():
        if fact.name == "book":
            continue
        wanted = tuple(m for m in fact.measures if m in need)
        if wanted:
            frames.append(_fact_frame(engine, fact.name, wanted, by, period, params))
    measures = _merge(frames, keys)
    if measures is None:
        measures = pd.DataFrame(columns=keys)
    measures = measures.fillna({c: 0 for c in measures.columns if c not in keys})

    start, end = _span(engine, filters)
    if need & {"book_customers", "new_customers", "closed_customers"}:
        book_dims = tuple(d for d in by)
        sql, names = rows_sql("book", book_dims, engine.dialect)
        customers = engine.query(sql, {k: v for k, v in params.items() if k in names})
        measures = _merge([measures, dv.book(customers, measures[keys], list(by), offset, end)],
                          keys, how="left")
    if need & {"retained_customers", "prior_active_customers", "lost_customers", "top5_amount",
               "hhi"}:
        cust_dims = by if "customer" in by else (*by, "customer")
        earlier = params | {"start": _one_period_before(start, offset)}
        per_customer = _fact_frame(engine, "sales", ("amount", "active_lines"), cust_dims,
                                   period, earlier).rename(columns={"active_lines": "active"})
        if "customer" in by:
            per_customer["customer_key"] = per_customer["customer"]
        measures = _merge([measures, dv.activity(per_customer, list(by), offset)], keys,
                          how="left")
    if "repeat_complainers" in need:
        cust_dims = by if "customer" in by else (*by, "customer")
        per_customer = _fact_frame(engine, "feedback", ("complaints",), cust_dims, period,
                                   params)
        measures = _merge([measures, dv.complainers(per_customer, list(by))], keys, how="left")
        measures["repeat_complainers"] = measures["repeat_complainers"].fillna(0)
    if "workdays" in need:
        measures["workdays"] = dv.workdays(measures[keys], offset, start, end)
    if "products_listed" in need:
        pdims = tuple(d for d in by if d in PRODUCT_DIMS)
        listed = engine.query(catalogue_sql(pdims, engine.dialect), {})
        measures = measures.merge(listed, on=list(pdims), how="left") if pdims else \
            measures.assign(products_listed=float(listed["products_listed"].iloc[0]))
    if "valid_checkin_days" in need:
        measures["valid_checkin_days"] = np.minimum(measures["start_days"], measures["end_days"])
    if "gross_cases" in need:
        measures["gross_cases"] = measures["cases"] + measures["return_cases"]

    measures = measures.sort_values(keys).reset_index(drop=True)
    return KpiFrame(by, period, measures, kpi_values(measures, usable, keys), unavailable)


def kpi_values(measures: pd.DataFrame, kpis: list[Kpi], keys: list[str]) -> pd.DataFrame:
    """KPI columns from measure columns: num / den × scale; a zero denominator gives NaN."""
    out = measures[keys].copy()
    for k in kpis:
        num = measures[k.numerator].astype("float64")
        if k.denominator:
            den = measures[k.denominator].astype("float64")
            ratio = num / den.where(den != 0)
            value = (1 - ratio) if k.complement else ratio
        else:
            value = num
        out[k.id] = value * k.scale
    return out


def _merge(frames: list[pd.DataFrame], keys: list[str], how: str = "outer"
           ) -> pd.DataFrame | None:
    frames = [f for f in frames if f is not None]
    if not frames:
        return None
    out = frames[0]
    for f in frames[1:]:
        out = out.merge(f, on=keys, how=how)
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
