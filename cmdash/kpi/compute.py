"""KPIs for any groupings and period: a `Scan` (the heavy, cached part), then roll-ups.

`kpi_table` works on a scan the caller keeps (the app caches one per filter change);
`compute` and `compute_many` scan and roll up in one call, for the CLI and tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cmdash.engine import Engine
from cmdash.kpi.catalog import KPIS, Kpi
from cmdash.kpi.compare import COMPARISONS, compare
from cmdash.kpi.grains import DIMENSIONS, PERIODS
from cmdash.kpi.measures import MEASURES, PRODUCT_DIMS, inputs, scanned
from cmdash.kpi.rollup import PERIOD_ORDER, can_roll, period_start, rollup
from cmdash.kpi.scan import ON_REQUEST, Scan, scan, with_assortment
from cmdash.query import Filters


@dataclass(frozen=True)
class Unavailable:
    reason: str  # "grain" (not defined at this grouping/period) or "no_data" (no rows)
    tables: tuple[str, ...] = ()


@dataclass
class KpiFrame:
    """KPI values per group and period, and what could not be computed and why.

    For the whole range (`period == "all"`) the `period` column holds the range's first day.
    """

    by: tuple[str, ...]
    period: str
    measures: pd.DataFrame  # keys + base measures
    values: pd.DataFrame  # keys + one column per available KPI (+ comparison columns)
    unavailable: dict[str, Unavailable] = field(default_factory=dict)

    @property
    def keys(self) -> list[str]:
        return [*self.by, "period"]


def measures_of(kpis: list[Kpi]) -> set[str]:
    """The measures these KPIs read, with the inputs of the derived ones."""
    return inputs({m for k in kpis for m in k.measures})


def availability(kpis: list[Kpi], by: tuple[str, ...], period: str, rows: dict[str, int]
                 ) -> dict[str, Unavailable]:
    out: dict[str, Unavailable] = {}
    for k in kpis:
        for m in sorted(measures_of([k])):
            spec = MEASURES[m]
            too_fine = PERIOD_ORDER.index(period) < PERIOD_ORDER.index(spec.min_period)
            if not set(by) <= spec.dims or too_fine:
                out[k.id] = Unavailable("grain")
                break
            empty = tuple(sorted({t for t in spec.tables if rows.get(t, 0) == 0}))
            if empty:
                out[k.id] = Unavailable("no_data", empty)
                break
    return out


def check_grouping(by: tuple[str, ...], period: str) -> None:
    for d in by:
        if d not in DIMENSIONS:
            raise ValueError(f"unknown grouping {d!r}; choose from {sorted(DIMENSIONS)}")
    if period not in PERIOD_ORDER:
        raise ValueError(f"unknown period {period!r}; choose from {list(PERIOD_ORDER)}")


def kpi_table(s: Scan, kpi_ids: list[str] | tuple[str, ...], by: tuple[str, ...] = (
        "manager",), period: str = "month", comparisons: tuple[str, ...] = ()) -> KpiFrame:
    """KPIs from a scan. With comparisons, adds `<kpi>__prior`, `__yoy`, `__rank`, `__pct`."""
    by = tuple(by)
    check_grouping(by, period)
    if not can_roll(s.period, period):
        raise ValueError(f"a scan by {s.period} cannot give {period} figures")
    kpis = [KPIS[k] for k in kpi_ids]
    unavailable = availability(kpis, by, period, s.rows)
    usable = [k for k in kpis if k.id not in unavailable]
    missing = {f"{f}.{c}" for f, cols in scanned(measures_of(usable)).items()
               for c in cols if c not in s.measures.get(f, ()) and (
                   f != "targets" or s.period == "month")}
    if missing:
        raise ValueError(f"the scan lacks {sorted(missing)}: scan for these KPIs first")
    keys = [*by, "period"]
    lead_in = bool({"prior", "yoy"} & set(comparisons)) and period != "all"
    measures = rollup(s, by, period, measures_of(usable), lead_in=lead_in)
    values = kpi_values(measures, usable, keys)
    if comparisons:
        values = compare(values, list(by), period, [k.id for k in usable], comparisons)
    if lead_in:
        first = period_start(s.start, period, s.start)
        values = values[values["period"] >= first].reset_index(drop=True)
        measures = measures[measures["period"] >= first].reset_index(drop=True)
    return KpiFrame(by, period, measures, values, unavailable)


def kpi_values(measures: pd.DataFrame, kpis: list[Kpi], keys: list[str]) -> pd.DataFrame:
    """KPI columns from measure columns: num / den × scale; a zero denominator gives NaN.
    The columns join the keys in one step (inserting them one by one re-indexes the
    column labels each time)."""
    values: dict[str, pd.Series | float] = {}
    for k in kpis:
        if k.numerator not in measures:
            values[k.id] = np.nan
            continue
        num = measures[k.numerator].astype("float64")
        if k.denominator:
            den = measures[k.denominator].astype("float64")
            ratio = num / den.where(den != 0)
            value = (1 - ratio) if k.complement else ratio
        else:
            value = num
        values[k.id] = value * k.scale
    return pd.concat([measures[keys].copy(), pd.DataFrame(values, index=measures.index,
                                                           dtype="float64")], axis=1)


def scan_for(engine: Engine, kpi_ids, period: str, filters: Filters | None,
             measure_params: dict | None, groupings=(), narrow: bool = False) -> Scan:
    """The scan a set of KPIs and groupings needs (adds the product scan only if asked).

    By default every measure of every fact is scanned, so one scan serves every page and
    the coaching features; `narrow` scans only the columns these KPIs read."""
    base = "day" if period == "day" else "week" if period == "week" else "month"
    need = scanned(measures_of([KPIS[k] for k in kpi_ids]))
    cols = {f: c for f, c in need.items() if f not in ON_REQUEST} if narrow else None
    s = scan(engine, filters, base, measure_params, measures=cols)
    product = any(d in PRODUCT_DIMS for g in groupings for d in g)
    if product or set(ON_REQUEST) & set(need):
        s = with_assortment(engine, s, filters, measure_params)
    return s


def shared_scan(engine: Engine, filters: Filters | None, measure_params: dict | None,
                period: str = "month") -> Scan:
    """The scan every page shares: every measure of every fact but the by-product ones,
    which `with_assortment` adds when a product grouping or a range KPI asks."""
    return scan_for(engine, (), period, filters, measure_params)


def compute(engine: Engine, kpi_ids: list[str] | tuple[str, ...],
            by: tuple[str, ...] = ("manager",), period: str = "month",
            filters: Filters | None = None, measure_params: dict | None = None,
            comparisons: tuple[str, ...] = ()) -> KpiFrame:
    """KPIs for one grouping and period (`period="all"`: one row per group for the range)."""
    check_grouping(tuple(by), period)
    s = scan_for(engine, kpi_ids, period, filters, measure_params, (tuple(by),), narrow=True)
    return kpi_table(s, kpi_ids, tuple(by), period, comparisons)


__all__ = ["COMPARISONS", "PERIODS", "KpiFrame", "Unavailable", "compute", "kpi_table",
           "kpi_values", "scan_for", "shared_scan"]
