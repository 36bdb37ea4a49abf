"""Where every base measure comes from and at which groupings it is defined.

`sum` measures add up from a scanned fact; `distinct` ones count customers (or products)
in the roll-up; `derived` ones are computed there from other frames (the book, targets
against sales, check-in days, workdays).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cmdash.kpi.facts import FACTS

ORG = frozenset({"company", "region", "district", "manager"})
CUSTOMER = ORG | {"tier", "format", "area_type", "customer"}
PRODUCT_DIMS = frozenset({"product", "brand", "price_tier"})
PRODUCT = ORG | PRODUCT_DIMS


@dataclass(frozen=True)
class Measure:
    source: str  # a fact name, or a derived computation
    kind: Literal["sum", "distinct", "derived"]
    dims: frozenset[str]  # groupings it is defined at
    #: tables that must have rows, and optional "table.column"s that must hold values
    tables: tuple[str, ...]
    min_period: str = "day"  # finest period it is defined at
    #: scanned columns it is computed from, as "fact.column" (a sum reads its own column)
    reads: tuple[str, ...] = ()


_SALES_BY_PRODUCT = {"units", "cases", "amount", "order_lines", "return_lines", "return_cases",
                     "cultivation_cases", "cased_amount", "uncased_units"}
#: 箱 exist only where products give `units_per_case`: without any, these are not measured.
CASE_SIZE = "products.units_per_case"
_CASED = {"cases", "return_cases", "cultivation_cases", "cased_amount"}
#: Measures over an optional column: not measured (never 0) when no row holds a value.
OPTIONAL_COLUMN = {
    "ordered_units": ("sales.ordered_quantity",),
    "supplied_units": ("sales.ordered_quantity",),
    "stock_checks": ("visits.stock_ok",),
    "stock_ok": ("visits.stock_ok",),
}
#: Per-period first and last order days: the scan keeps them for lapses, they never add up.
ORDER_DAYS = ("first_order_day", "last_order_day")
MEASURES: dict[str, Measure] = {}
for _fact in ("sales", "visits", "feedback", "checkins", "inspections"):
    f = FACTS[_fact]
    dims = CUSTOMER if "customer" in f.grain else ORG
    for _m in f.measures:
        if _m in ORDER_DAYS:
            continue  # not additive: the roll-up reads them for lapses
        extra = PRODUCT_DIMS if _fact == "sales" and _m in _SALES_BY_PRODUCT else frozenset()
        cased = (CASE_SIZE,) if _m in _CASED else ()
        cased += OPTIONAL_COLUMN.get(_m, ())
        MEASURES[_m] = Measure(_fact, "sum", dims | extra, (f.table, *f.needs, *cased),
                               reads=(f"{_fact}.{_m}",))

_S, _V, _F = ("sales", "products"), ("visits",), ("feedback",)
_ACTIVE = ("sales.active_lines",)
_LAPSE = ("sales.active_lines", *(f"sales.{d}" for d in ORDER_DAYS))
_PLAN = tuple(f"targets.{m}" for m in FACTS["targets"].measures)
_SOLD = (*_PLAN, "sales.units")  # targets set against what was sold in the month
_BOOK = ("book", "derived", CUSTOMER, ("customers",))
MEASURES |= {
    "active_customers": Measure("sales", "distinct", CUSTOMER, _S, reads=_ACTIVE),
    "cultivation_customers": Measure("sales", "distinct", CUSTOMER, _S,
                                     reads=("sales.cultivation_lines",)),
    "new_active_customers": Measure("sales", "distinct", CUSTOMER, (*_S, "customers"),
                                    reads=_ACTIVE),
    "retained_customers": Measure("sales", "derived", CUSTOMER, _S, reads=_LAPSE),
    "prior_active_customers": Measure("sales", "derived", CUSTOMER, _S, reads=_LAPSE),
    "lost_customers": Measure("sales", "derived", CUSTOMER, _S, reads=_LAPSE),
    "top5_amount": Measure("sales", "derived", CUSTOMER, _S, reads=("sales.amount",)),
    "hhi": Measure("sales", "derived", CUSTOMER, _S, reads=("sales.amount",)),
    "customers_visited": Measure("visits", "distinct", CUSTOMER, _V,
                                 reads=("visits.visits",)),
    "repeat_complainers": Measure("feedback", "derived", CUSTOMER, _F,
                                  reads=("feedback.complaints",)),
    "book_customers": Measure(*_BOOK),
    "new_customers": Measure(*_BOOK),
    "closed_customers": Measure(*_BOOK),
    "sales_target": Measure("targets", "derived", ORG, ("targets",), "month", _PLAN),
    "target_units_sold": Measure("targets", "derived", ORG, ("targets", "sales"), "month",
                                 _SOLD),
    "forecast_sum": Measure("targets", "derived", ORG, ("targets",), "month", _PLAN),
    "forecast_abs_error": Measure("targets", "derived", ORG, ("targets", "sales"), "month",
                                  _SOLD),
    "visit_target": Measure("targets", "derived", ORG, ("targets",), "month", _PLAN),
    "new_customer_target": Measure("targets", "derived", ORG, ("targets",), "month", _PLAN),
    "valid_checkin_days": Measure("checkins", "derived", ORG, ("checkins",),
                                  reads=("checkins.start_checkins", "checkins.end_checkins")),
    "workdays": Measure("calendar", "derived", ORG, ()),
    "skus_sold": Measure("shelf", "derived", CUSTOMER | PRODUCT_DIMS, _S,
                         reads=("shelf.shelf_lines",)),
    "skus_carried": Measure("shelf", "derived", CUSTOMER | PRODUCT_DIMS, _S,
                            reads=("shelf.shelf_lines",)),
    "cultivation_stockists": Measure("shelf", "derived", CUSTOMER | PRODUCT_DIMS, _S,
                                     reads=("shelf.shelf_lines", "shelf.cultivation_lines")),
    "core_listed": Measure("shelf", "derived", CUSTOMER, _S, reads=("shelf.shelf_lines",)),
    "core_expected": Measure("shelf", "derived", CUSTOMER, _S, reads=("shelf.shelf_lines",)),
    "gross_cases": Measure("sales", "derived", CUSTOMER | PRODUCT_DIMS, (*_S, CASE_SIZE),
                           reads=("sales.cases", "sales.return_cases")),
}

#: Measures computed from others in the roll-up.
INPUTS = {
    "gross_cases": ("cases", "return_cases"),
}


def measured_columns() -> tuple[str, ...]:
    """The optional "table.column"s some measure needs values in (counted once per dataset)."""
    return tuple(sorted({t for m in MEASURES.values() for t in m.tables if "." in t}))


def scanned(need: set[str] | frozenset[str]) -> dict[str, tuple[str, ...]]:
    """The facts and measure columns a scan must hold for these measures (in the facts'
    declared order, so equal needs compile to the same statement)."""
    want: dict[str, set[str]] = {}
    for m in need:
        for ref in MEASURES[m].reads:
            fact, col = ref.split(".")
            want.setdefault(fact, set()).add(col)
    return {f: tuple(c for c in FACTS[f].measures if c in want[f])
            for f in FACTS if f in want}
