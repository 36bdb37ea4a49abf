"""Every base measure, declared once: its aggregate, the fact it reads, the groupings it is
defined at and the tables it needs. The roll-up (rollup.py) executes these declarations;
nothing there names a measure.

Four kinds of aggregate, after MetricFlow's measures and derived metrics:

- `Sum`: a scanned fact column added up (the fact's SQL aggregate is in facts.py);
- `Count` / `CountDistinct`: rows, or distinct keys (customers), meeting conditions
  (`Condition("positive", "active_lines")`: the customer ordered in the period);
- `Derived`: an expression over other measures (gross 箱 = net 箱 + returned 箱);
- `Computed`: one of the named computations of `COMPUTATIONS` (lapses, the book,
  targets, the shelf …), registered once with the measures it yields, its code in
  computations.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cmdash.kpi.facts import FACTS

ORG = frozenset({"company", "region", "district", "manager"})
CUSTOMER = ORG | {"tier", "format", "area_type", "customer"}
PRODUCT_DIMS = frozenset({"product", "brand", "price_tier"})
PRODUCT = ORG | PRODUCT_DIMS

#: A fact's rows by product, read for its sums at a product grouping.
BY_PRODUCT = {"sales": "assortment"}


# ── conditions on a fact's rows ──────────────────────────────────────────────────────────
@dataclass(frozen=True)
class Condition:
    """A test on each of a fact's rows: `positive` (its count `column` is above zero: it
    has an ordering line), `same` (`column` and `other` agree: the visiting manager is the
    customer's owner), `in_or_after_period` (the date in `column` falls in the roll-up
    period or later: opened in it), `workday` (the day in `column` is a workday, by the
    company's calendar, else the official one)."""
    test: Literal["positive", "same", "in_or_after_period", "workday"]
    column: str
    other: str = ""


# ── aggregates ───────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class Sum:
    column: str  # a measure column of the fact


@dataclass(frozen=True)
class Count:
    """Rows meeting every condition (a checkins row is one manager-day)."""
    where: tuple[Condition, ...]


@dataclass(frozen=True)
class CountDistinct:
    key: str  # the column whose distinct values are counted
    where: tuple[Condition, ...]


@dataclass(frozen=True)
class Derived:
    """`expr` (a pandas expression) over the measures named in `inputs`."""
    expr: str
    inputs: tuple[str, ...]


@dataclass(frozen=True)
class Computed:
    name: str  # a key of COMPUTATIONS


Aggregate = Sum | Count | CountDistinct | Derived | Computed


@dataclass(frozen=True)
class Computation:
    """A named computation over a fact (or the customer book, or the calendar).

    `counts`: the outputs that are 0 (not missing) where a group has no rows.
    `attach`: it is joined onto the other measures' rows and adds the groups it is owed
    (a quiet manager still has a book, still owes workdays). `owed_rows`: what the other
    measures are on the groups it adds: "counted" (their counts are 0, as for a quiet
    manager's visits) or "unmeasured" (missing); `owes` its measures that are 0 there.
    `reads_lead_in`: it reads the whole scan, lead-in included: its periods before the
    range are dropped unless the roll-up keeps them.
    """
    fact: str
    outputs: tuple[str, ...]
    counts: tuple[str, ...] = ()
    attach: bool = False
    owed_rows: str = "counted"
    owes: tuple[str, ...] = ()
    reads_lead_in: bool = False


COMPUTATIONS: dict[str, Computation] = {
    "concentration": Computation("sales", ("top5_amount", "hhi")),
    "lapses": Computation("sales", ("retained_customers", "prior_active_customers",
                                    "lost_customers"),
                          counts=("retained_customers", "prior_active_customers",
                                  "lost_customers"), reads_lead_in=True),
    "repeat_complainers": Computation("feedback", ("repeat_complainers",),
                                      counts=("repeat_complainers",)),
    "shelf": Computation("shelf", ("skus_sold", "skus_carried", "core_listed", "core_expected",
                                   "cultivation_stockists"),
                         counts=("skus_sold", "skus_carried", "cultivation_stockists"),
                         reads_lead_in=True),
    "plan": Computation("targets", ("sales_target", "target_units_sold", "forecast_sum",
                                    "forecast_abs_error", "visit_target",
                                    "new_customer_target")),
    "book": Computation("customers", ("book_customers", "new_customers", "closed_customers"),
                        attach=True),
    "workdays": Computation("calendar", ("workdays",), counts=("workdays",), attach=True,
                            owed_rows="unmeasured", owes=("valid_checkin_days",)),
}


@dataclass(frozen=True)
class Measure:
    fact: str  # the fact (or table, for the book and the calendar) it is measured on
    agg: Aggregate
    dims: frozenset[str]  # groupings it is defined at
    #: tables that must have rows, and optional "table.column"s that must hold values
    tables: tuple[str, ...]
    min_period: str = "day"  # finest period it is defined at
    #: scanned columns it is computed from, as "fact.column" (default: those its
    #: aggregate names)
    reads: tuple[str, ...] = ()
    name: str = ""  # the measure's id (filled in from its key in MEASURES)

    @property
    def scans(self) -> tuple[str, ...]:
        """The "fact.column"s a scan must hold for it."""
        if self.reads:
            return self.reads
        if isinstance(self.agg, Sum):
            return (f"{self.fact}.{self.agg.column}",)
        if isinstance(self.agg, Count | CountDistinct):
            return tuple(f"{self.fact}.{c.column}" for c in self.agg.where
                         if c.test == "positive")
        return ()

    @property
    def counted(self) -> bool:
        """0 (not missing) where a group has no rows: sums and counts, and the counts a
        computation yields."""
        if isinstance(self.agg, Computed):
            return self.name in COMPUTATIONS[self.agg.name].counts
        return not isinstance(self.agg, Derived)


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
_DECLARED: dict[str, Measure] = {}
for _fact in ("sales", "visits", "feedback", "checkins", "inspections"):
    f = FACTS[_fact]
    dims = CUSTOMER if "customer" in f.grain else ORG
    for _m in f.measures:
        if _m in ORDER_DAYS:
            continue  # not additive: the roll-up reads them for lapses
        extra = PRODUCT_DIMS if _fact == "sales" and _m in _SALES_BY_PRODUCT else frozenset()
        cased = (CASE_SIZE,) if _m in _CASED else ()
        cased += OPTIONAL_COLUMN.get(_m, ())
        _DECLARED[_m] = Measure(_fact, Sum(_m), dims | extra, (f.table, *f.needs, *cased))

_S, _V, _F = ("sales", "products"), ("visits",), ("feedback",)
_ORDERED = (Condition("positive", "active_lines"),)
_LAPSE = ("sales.active_lines", *(f"sales.{d}" for d in ORDER_DAYS))
_PLAN = tuple(f"targets.{m}" for m in FACTS["targets"].measures)
_SOLD = (*_PLAN, "sales.units")  # targets set against what was sold in the month
_SHELF = ("shelf.shelf_lines", "shelf.cultivation_lines")
_BOOK = ("customers", Computed("book"), CUSTOMER, ("customers",))
_RANGE = CUSTOMER | PRODUCT_DIMS


def _plan(reads: tuple[str, ...], tables: tuple[str, ...] = ("targets",)) -> Measure:
    return Measure("targets", Computed("plan"), ORG, tables, "month", reads)


_DECLARED |= {
    "active_customers": Measure("sales", CountDistinct("customer", _ORDERED), CUSTOMER, _S),
    "cultivation_customers": Measure("sales", CountDistinct(
        "customer", (Condition("positive", "cultivation_lines"),)), CUSTOMER, _S),
    "new_active_customers": Measure("sales", CountDistinct(
        "customer", (*_ORDERED, Condition("in_or_after_period", "opened_date"))), CUSTOMER,
        (*_S, "customers")),
    "retained_customers": Measure("sales", Computed("lapses"), CUSTOMER, _S, reads=_LAPSE),
    "prior_active_customers": Measure("sales", Computed("lapses"), CUSTOMER, _S, reads=_LAPSE),
    "lost_customers": Measure("sales", Computed("lapses"), CUSTOMER, _S, reads=_LAPSE),
    "top5_amount": Measure("sales", Computed("concentration"), CUSTOMER, _S,
                           reads=("sales.amount",)),
    "hhi": Measure("sales", Computed("concentration"), CUSTOMER, _S, reads=("sales.amount",)),
    # the book is today's owner's (see computations.book): count the visits it received
    # from that owner, so coverage never counts a customer twice or exceeds 100 %
    "customers_visited": Measure("visits", CountDistinct(
        "customer", (Condition("same", "manager", "owner"),)), CUSTOMER, _V,
        reads=("visits.visits",)),
    # by anyone, its owner or not (the coaching features' monthly coverage)
    "customers_visited_any": Measure("visits", CountDistinct("customer", ()), CUSTOMER, _V,
                                     reads=("visits.visits",)),
    "repeat_complainers": Measure("feedback", Computed("repeat_complainers"), CUSTOMER, _F,
                                  reads=("feedback.complaints",)),
    "book_customers": Measure(*_BOOK),
    "new_customers": Measure(*_BOOK),
    "closed_customers": Measure(*_BOOK),
    "sales_target": _plan(_PLAN),
    "target_units_sold": _plan(_SOLD, ("targets", "sales")),
    "forecast_sum": _plan(_PLAN),
    "forecast_abs_error": _plan(_SOLD, ("targets", "sales")),
    "visit_target": _plan(_PLAN),
    "new_customer_target": _plan(_PLAN),
    # a day counts once it has both check-ins and is a workday (what compliance is owed)
    "valid_checkin_days": Measure("checkins", Count(
        (Condition("positive", "start_checkins"), Condition("positive", "end_checkins"),
         Condition("workday", "day"))), ORG,
        ("checkins",)),
    "workdays": Measure("calendar", Computed("workdays"), ORG, ()),
    "skus_sold": Measure("shelf", Computed("shelf"), _RANGE, _S, reads=_SHELF),
    "skus_carried": Measure("shelf", Computed("shelf"), _RANGE, _S, reads=_SHELF),
    "cultivation_stockists": Measure("shelf", Computed("shelf"), _RANGE, _S, reads=_SHELF),
    "core_listed": Measure("shelf", Computed("shelf"), CUSTOMER, _S, reads=_SHELF),
    "core_expected": Measure("shelf", Computed("shelf"), CUSTOMER, _S, reads=_SHELF),
    # returns are net of sales in `cases`: gross 箱 sold adds the returned 箱 back
    "gross_cases": Measure("sales", Derived("cases + return_cases", ("cases", "return_cases")),
                           _RANGE, (*_S, CASE_SIZE)),
}
#: Every measure by id (its `name` filled in).
MEASURES: dict[str, Measure] = {
    m: Measure(d.fact, d.agg, d.dims, d.tables, d.min_period, d.reads, m)
    for m, d in _DECLARED.items()}


def inputs(need: set[str] | frozenset[str]) -> set[str]:
    """The measures, with every measure a derived one among them is computed from."""
    out = set(need)
    todo = list(need)
    while todo:
        agg = MEASURES[todo.pop()].agg
        if isinstance(agg, Derived):
            new = set(agg.inputs) - out
            out |= new
            todo.extend(new)
    return out


def measured_columns() -> tuple[str, ...]:
    """The optional "table.column"s some measure needs values in (counted once per dataset)."""
    return tuple(sorted({t for m in MEASURES.values() for t in m.tables if "." in t}))


def scanned(need: set[str] | frozenset[str]) -> dict[str, tuple[str, ...]]:
    """The facts and measure columns a scan must hold for these measures (in the facts'
    declared order, so equal needs compile to the same statement)."""
    want: dict[str, set[str]] = {}
    for m in need:
        for ref in MEASURES[m].scans:
            fact, col = ref.split(".")
            want.setdefault(fact, set()).add(col)
    return {f: tuple(c for c in FACTS[f].measures if c in want[f])
            for f in FACTS if f in want}
