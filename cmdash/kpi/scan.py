"""The heavy part: one query per fact for the viewer's filters, at the finest grain needed.

A `Scan` is what the app caches per filter change. Everything shown — KPIs at any org or
customer grouping and period, comparisons, scores, coaching features — is rolled up from
it in pandas, so charts and sliders never go back to the engine.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cmdash.engine import Engine
from cmdash.kpi.carry import carry
from cmdash.kpi.facts import FACTS, ON_REQUEST, RETENTION_ONLY
from cmdash.kpi.grains import PERIODS
from cmdash.kpi.params import DEFAULT_PARAMS, SQL_BOUND
from cmdash.kpi.sql import attributes_sql, compiled
from cmdash.query import Filters
from cmdash.query.compile import run

#: Settings the measure SQL binds, at their declared defaults (settings override them).
MEASURE_PARAMS = {k: DEFAULT_PARAMS[k] for k in SQL_BOUND}
#: Days without an order after which a customer counts as lost (a setting).
LOST_DAYS = DEFAULT_PARAMS["lost_days"]
#: Days before a period in which a SKU supplied to a retailer counts as carried (动销率).
SELL_THROUGH_DAYS = DEFAULT_PARAMS["sell_through_days"]
#: Share of a 档位's retailers that must carry a SKU for it to be in the tier's core range.
CORE_RANGE_SHARE = DEFAULT_PARAMS["core_range_share"]
#: Attributes carried onto every fact row, so roll-ups never merge again.
MANAGER_ATTRS = ("region", "district")
CUSTOMER_ATTRS = ("tier", "format", "area_type", "opened_date", "owner")
PRODUCT_ATTRS = ("brand", "price_tier")


@dataclass
class Scan:
    period: str  # the grain the facts were scanned at: day, week or month
    start: pd.Timestamp  # the viewer's range (a lead-in before it is scanned too)
    end: pd.Timestamp
    rows: dict[str, int]  # rows per contract table in the dataset (not just in range)
    facts: dict[str, pd.DataFrame] = field(default_factory=dict)
    managers: pd.DataFrame = field(default_factory=pd.DataFrame)  # attributes, all
    customers: pd.DataFrame = field(default_factory=pd.DataFrame)  # attributes, all
    products: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: the company's own workday calendar (date, is_workday), empty when it has none
    calendar: pd.DataFrame = field(default_factory=pd.DataFrame)
    scope: frozenset[str] | None = None  # managers in scope; None = everyone
    #: the measure columns scanned per fact (a scan for a few KPIs reads only theirs)
    measures: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: roll-up intermediates that depend on the scan alone (targets' sales, the book's
    #: customers), computed on first use: a scan is read-only once built
    memo: dict = field(default_factory=dict, repr=False, compare=False)
    #: the measure settings the roll-up reads (lost_days …), beside those the SQL binds
    params: dict = field(default_factory=dict)

    def nbytes(self) -> int:
        frames = [*self.facts.values(), self.managers, self.customers, self.products]
        return int(sum(f.memory_usage(deep=True).sum() for f in frames))


def table_rows(engine: Engine) -> dict[str, int]:
    """Rows per contract table, and values per optional column a measure needs, asked once
    per engine (names come from the contract and the measure declarations, never users)."""
    cached = getattr(engine, "_cmdash_rows", None)
    if cached is None:
        from cmdash.contract import TABLES
        from cmdash.kpi.measures import measured_columns

        cached = {
            t: int(engine.query(f"SELECT count(*) AS n FROM {t}", {})["n"].iloc[0])
            for t in TABLES
        }
        # an optional column a measure needs: how many rows hold a value (0 = not measured)
        for ref in measured_columns():
            table, column = ref.split(".")
            cached[ref] = int(engine.query(
                f"SELECT count({column}) AS n FROM {table}", {})["n"].iloc[0])
        engine._cmdash_rows = cached  # type: ignore[attr-defined]
    return cached


def span(engine: Engine, filters: Filters, layer=None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The dates the view covers: the filter, else the sales data's own range (from the
    prepared layer when there is one)."""
    if layer is not None:
        data = {"first_day": pd.Timestamp(layer.first_day) if layer.first_day else pd.NaT,
                "last_day": pd.Timestamp(layer.last_day) if layer.last_day else pd.NaT}
    else:
        data = run(engine, "sales_date_range").iloc[0]
    first = pd.Timestamp(filters.start) if filters.start else pd.Timestamp(data["first_day"])
    last = pd.Timestamp(filters.end) if filters.end else pd.Timestamp(data["last_day"])
    if pd.isna(first) or pd.isna(last):
        today = pd.Timestamp.today().normalize()
        return today, today
    return first, last


def scan(engine: Engine, filters: Filters | None = None, period: str = "month",
         measure_params: dict | None = None, facts: tuple[str, ...] | None = None,
         measures: dict[str, tuple[str, ...]] | None = None) -> Scan:
    """Scan every fact (or the ones named) for the filters, with a year and a period of
    lead-in before the range for comparisons and retention.

    `measures` (fact -> measure columns, as `measures.scanned` gives them) narrows the scan
    to what a set of KPIs reads: fewer columns decoded, fewer aggregates computed."""
    if period not in ("day", "week", "month"):
        raise ValueError("facts are scanned by day, week or month")
    filters = filters or Filters()
    layer = prepared_layer(engine, measure_params)
    start, end = span(engine, filters, layer)
    params = dataclasses.replace(filters, start=start.date(), end=end.date()).params()
    params |= MEASURE_PARAMS | (measure_params or {})
    lead_start = start - pd.DateOffset(years=1) - pd.tseries.frequencies.to_offset(
        PERIODS[period].offset)
    params["scan_start"] = lead_start.date()
    if layer is not None and getattr(engine, "_cmdash_rows", None) is None:
        engine._cmdash_rows = layer.rows  # type: ignore[attr-defined]
    rows = table_rows(engine)
    result = Scan(period, start, end, rows)
    result.params = {"lost_days": LOST_DAYS, "sell_through_days": SELL_THROUGH_DAYS,
                     "core_range_share": CORE_RANGE_SHARE} | {
        k: v for k, v in (measure_params or {}).items() if k not in MEASURE_PARAMS}
    # from a layer, the attributes are looked up once per layer (same data version) and
    # kept with it, with the carriers that put them on its rows
    attrs = (layer.reader.attributes(lambda: attributes(engine, rows)) if layer is not None
             else attributes(engine, rows))
    result.managers, result.customers = attrs["managers"], attrs["customers"]
    result.products, result.calendar = attrs["products"], attrs["calendar"]
    kept = layer.reader.carriers if layer is not None else None
    if not params["all_scope"]:
        scoped = run(engine, "scope_managers", filters)
        result.scope = frozenset(scoped["manager_id"])
    wanted = (tuple(measures) if measures is not None else facts
              or tuple(f for f in FACTS if f not in ON_REQUEST + RETENTION_ONLY))
    for name in wanted:
        cols = measures[name] if measures is not None else tuple(FACTS[name].measures)
        if name == "targets" and period != "month":
            continue  # monthly targets do not split into weeks or days
        result.measures[name] = cols
        if layer is not None and layer.has(name, cols):  # cut from the prepared layer
            frame = layer.reader.fact(
                name, cols, period, params["scan_start"], params["start"], params["end"],
                result.scope, attach=lambda f: carry_attributes(f, result, kept))
        else:
            sql, names = compiled(name, cols, period, engine.dialect)
            frame = engine.query(sql, {k: v for k, v in params.items() if k in names},
                                 categorical=True)
        result.facts[name] = _attach(frame, result, kept)
    if result.scope is not None:
        _narrow_attributes(result)
    return result


def prepared_layer(engine: Engine, measure_params: dict | None = None):
    """The engine's prepared layer for these settings (`cmdash.prepared`), or None: scans
    then read the fact files."""
    store = getattr(engine, "prepared", None)
    return store.layer(measure_params) if store is not None else None


def company_view(filters: Filters) -> Filters:
    """The everyone, unfiltered view of the same dates: the scan every scope is cut from."""
    return Filters(start=filters.start, end=filters.end)


def sees_everything(filters: Filters) -> bool:
    return bool(filters.params()["all_scope"])


def cut(engine: Engine, base: Scan, filters: Filters) -> Scan:
    """The filters' view of a company-wide scan of the same dates: one look-up of the
    managers in scope (the same scope query every statement binds), no fact scan."""
    return scoped(base, frozenset(run(engine, "scope_managers", filters)["manager_id"]))


def scoped(base: Scan, managers: frozenset[str]) -> Scan:
    """A scoped viewer's scan cut from the everyone, unfiltered scan of the same dates and
    settings: the rows of the managers in scope, as scanning with the scope returns them,
    without reading the files again (so a new viewer or an org filter costs no scan)."""
    if base.scope is not None:
        raise ValueError("cut scopes from the unscoped scan")
    out = Scan(base.period, base.start, base.end, base.rows, scope=frozenset(managers),
               measures=dict(base.measures), managers=base.managers,
               customers=base.customers, products=base.products, calendar=base.calendar,
               params=dict(base.params))
    for name, frame in base.facts.items():
        keep = ids_in(frame["manager"], out.scope)
        out.facts[name] = frame[keep].reset_index(drop=True)
    _narrow_attributes(out)
    return out


def _narrow_attributes(s: Scan) -> None:
    """Keep only the people a scoped viewer may see: their managers, and the customers those
    managers hold or served. (Attributes join the facts; nothing else may leak from them:
    an owner outside the scope is blanked on fact rows too, and no category label is kept
    that no row uses.)"""
    scope = s.scope or frozenset()
    for frame in s.facts.values():
        if "owner" in frame:
            frame["owner"] = frame["owner"].where(ids_in(frame["owner"], scope))
        for col in frame.columns:
            if isinstance(frame[col].dtype, pd.CategoricalDtype):
                frame[col] = _used_categories(frame[col])
    s.managers = s.managers[_text_in(s.managers["manager"], scope)].reset_index(drop=True)
    # categories: only the used ones are left (above)
    served = [_distinct_text(f["customer"]) for f in s.facts.values() if "customer" in f]
    owned = _text_in(s.customers["owner"], scope)
    keep = owned | _text_in(s.customers["customer"],
                            np.concatenate(served) if served else ())
    customers = s.customers[keep].copy()
    customers.loc[~owned[keep], "owner"] = None
    s.customers = customers.reset_index(drop=True)


def _distinct_text(ids: pd.Series) -> np.ndarray:
    values = ids.cat.categories if isinstance(ids.dtype, pd.CategoricalDtype) \
        else ids.dropna().unique()
    return np.asarray(pd.Index(values).astype(str), dtype=object)


def _text_in(ids: pd.Series, wanted) -> np.ndarray:
    """`ids.astype(str).isin(wanted)`, through Python's string hashing: pandas' Arrow
    strings test each wanted value by making an Arrow scalar of it (slow for thousands)."""
    return ids.astype(str).astype(object).isin(wanted).to_numpy()


def _used_categories(column: pd.Series) -> pd.Series:
    """`cat.remove_unused_categories()`, by counting codes instead of sorting them (the
    same categories, in the same order, and the same values)."""
    codes = column.cat.codes.to_numpy()
    cats = column.cat.categories
    used = np.bincount(codes[codes >= 0], minlength=len(cats)) > 0
    if used.all():
        return column
    recoded = np.where(codes >= 0, (np.cumsum(used) - 1)[codes], -1)
    return pd.Series(pd.Categorical.from_codes(recoded, categories=cats[used],
                                               ordered=column.cat.ordered),
                     index=column.index, name=column.name)


def ids_in(ids: pd.Series, wanted: frozenset[str]) -> np.ndarray:
    """Which rows' ids (as text) are among `wanted`; a categorical column is tested once per
    category, not once per row (a scan's frames have ~0.5 M rows, a few hundred managers)."""
    if isinstance(ids.dtype, pd.CategoricalDtype):
        hit = np.append(ids.cat.categories.astype(str).isin(list(wanted)), False)
        return hit[ids.cat.codes.to_numpy()]  # a missing id (code -1) is not wanted
    return _text_in(ids, wanted)


def attributes(engine: Engine, rows: dict[str, int]) -> dict[str, pd.DataFrame]:
    """The attribute look-ups a scan carries onto its rows (the calendar only when the
    company has one)."""
    out = {t: engine.query(attributes_sql(t, engine.dialect), {})
           for t in ("managers", "customers", "products")}
    out["calendar"] = (engine.query(attributes_sql("calendar", engine.dialect), {})
                       if rows.get("calendar", 0) else pd.DataFrame())
    return out


def _attach(frame: pd.DataFrame, s: Scan, kept: dict | None = None) -> pd.DataFrame:
    """Carry the manager's region and district and the customer's attributes on each row
    (unless the prepared layer's rows came with them), and type the period and flag."""
    frame["period"] = pd.to_datetime(frame["period"])
    carry_attributes(frame, s, kept)
    if "day" in frame:
        frame["day"] = pd.to_datetime(frame["day"])
    frame["in_range"] = frame["in_range"].astype(bool)
    return frame


def carry_attributes(frame: pd.DataFrame, s: Scan, kept: dict | None = None) -> None:
    """The keys' attributes onto the rows that lack them (`kept`: carriers reused across
    scans whose keys share categories, see `carry`)."""
    for key, attrs, cols in (("manager", s.managers, MANAGER_ATTRS),
                             ("customer", s.customers, CUSTOMER_ATTRS),
                             ("product", s.products, PRODUCT_ATTRS)):
        if key in frame and not all(c in frame for c in cols):
            carry(frame, key, attrs, cols, kept)


def with_assortment(engine: Engine, base: Scan, filters: Filters | None = None,
                    measure_params: dict | None = None) -> Scan:
    """The by-product scans (product groupings; each retailer's SKUs for 动销率), added on
    request."""
    wanted = tuple(f for f in ON_REQUEST if f not in base.facts)
    if not wanted:
        return base
    extra = scan(engine, filters, base.period, measure_params, facts=wanted)
    for name in wanted:
        base.facts[name] = extra.facts[name]
        base.measures[name] = extra.measures[name]
    return base
