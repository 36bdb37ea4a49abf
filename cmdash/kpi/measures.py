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
    tables: tuple[str, ...]  # tables that must have rows
    min_period: str = "day"  # finest period it is defined at


_SALES_BY_PRODUCT = {"units", "cases", "amount", "order_lines", "return_lines", "return_cases",
                     "cultivation_cases"}
MEASURES: dict[str, Measure] = {}
for _fact in ("sales", "visits", "feedback", "checkins", "inspections"):
    f = FACTS[_fact]
    dims = CUSTOMER if "customer" in f.grain else ORG
    for _m in f.measures:
        extra = PRODUCT_DIMS if _fact == "sales" and _m in _SALES_BY_PRODUCT else frozenset()
        MEASURES[_m] = Measure(_fact, "sum", dims | extra, (f.table, *f.needs))

_S, _V, _F = ("sales", "products"), ("visits",), ("feedback",)
MEASURES |= {
    "active_customers": Measure("sales", "distinct", CUSTOMER, _S),
    "cultivation_customers": Measure("sales", "distinct", CUSTOMER, _S),
    "new_active_customers": Measure("sales", "distinct", CUSTOMER, (*_S, "customers")),
    "retained_customers": Measure("sales", "derived", CUSTOMER, _S),
    "prior_active_customers": Measure("sales", "derived", CUSTOMER, _S),
    "lost_customers": Measure("sales", "derived", CUSTOMER, _S),
    "top5_amount": Measure("sales", "derived", CUSTOMER, _S),
    "hhi": Measure("sales", "derived", CUSTOMER, _S),
    "customers_visited": Measure("visits", "distinct", CUSTOMER, _V),
    "repeat_complainers": Measure("feedback", "derived", CUSTOMER, _F),
    "book_customers": Measure("book", "derived", CUSTOMER, ("customers",)),
    "new_customers": Measure("book", "derived", CUSTOMER, ("customers",)),
    "closed_customers": Measure("book", "derived", CUSTOMER, ("customers",)),
    "sales_target": Measure("targets", "derived", ORG, ("targets",), "month"),
    "target_units_sold": Measure("targets", "derived", ORG, ("targets", "sales"), "month"),
    "forecast_sum": Measure("targets", "derived", ORG, ("targets",), "month"),
    "forecast_abs_error": Measure("targets", "derived", ORG, ("targets", "sales"), "month"),
    "visit_target": Measure("targets", "derived", ORG, ("targets",), "month"),
    "new_customer_target": Measure("targets", "derived", ORG, ("targets",), "month"),
    "valid_checkin_days": Measure("checkins", "derived", ORG, ("checkins",)),
    "workdays": Measure("calendar", "derived", ORG, ()),
    "products_sold": Measure("assortment", "distinct", PRODUCT, _S),
    "products_listed": Measure("catalogue", "derived", PRODUCT, ("products",)),
    "gross_cases": Measure("sales", "derived", CUSTOMER | PRODUCT_DIMS, _S),
}

#: Measures computed from others in the roll-up.
INPUTS = {
    "gross_cases": ("cases", "return_cases"),
    "lost_customers": ("prior_active_customers", "retained_customers"),
}
