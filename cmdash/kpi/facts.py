"""The facts KPIs are measured on, and the additive measures one scan of each collects.

Each fact is scanned once per filter change at a fine grain (manager × customer × period
for sales, visits and feedback); every KPI at every grouping is then rolled up from that
frame in pandas (see rollup.py). Measures here must therefore be additive (sums and
counts): distinct counts, retention and concentration are computed in the roll-up, exactly.
Everything here is a declaration: no I/O, no values from users. `$log_hours` and
`$early_end_hour` are settings bound as parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmdash.query.expressions import CASES, UNCASED


@dataclass(frozen=True)
class Fact:
    name: str
    table: str  # the contract table the rows come from
    alias: str
    date_expr: str  # the day a row counts on
    grain: tuple[str, ...]  # key columns of the scanned frame, besides the period
    measures: dict[str, str]  # measure id -> additive aggregate
    joins: tuple[str, ...] = ()  # LEFT JOINs, so an orphan row is kept, never dropped
    needs: tuple[str, ...] = ()  # other tables whose rows it reads
    range_start: str = "$start"  # rows from here on are in the viewer's range


_ASKED = "s.ordered_quantity IS NOT NULL AND s.quantity > 0"
#: A visit started at or after LATE_HOUR or before EARLY_HOUR, or logged at or after
#: LATE_HOUR, was after hours (a manager attrition signal, docs/retention.md).
LATE_HOUR, EARLY_HOUR = 20, 7
_AFTER_HOURS = (f"hour(v.visit_start) >= {LATE_HOUR} OR hour(v.visit_start) < {EARLY_HOUR} "
                f"OR hour(v.log_submitted_at) >= {LATE_HOUR}")
_JOIN_P = "LEFT JOIN products p ON p.product_id = s.product_id"

FACTS: dict[str, Fact] = {
    f.name: f
    for f in (
        Fact(
            "sales", "sales", "s", "s.order_date", ("manager", "customer"),
            {
                "units": "sum(s.quantity)",
                "cases": f"coalesce(sum({CASES}), 0)",
                "amount": "sum(s.amount)",
                "cased_amount": f"coalesce(sum(s.amount) FILTER (WHERE NOT {UNCASED}), 0)",
                "uncased_units": f"coalesce(sum(s.quantity) FILTER (WHERE {UNCASED}), 0)",
                "order_lines": "count(*)",
                "return_lines": "count(*) FILTER (WHERE s.quantity < 0)",
                "return_cases": f"coalesce(-sum({CASES}) FILTER (WHERE s.quantity < 0), 0)",
                "active_lines": "count(*) FILTER (WHERE s.quantity > 0)",
                "cultivation_cases": f"coalesce(sum({CASES}) FILTER "
                "(WHERE p.is_cultivation_brand), 0)",
                "cultivation_lines": "count(*) FILTER "
                "(WHERE p.is_cultivation_brand AND s.quantity > 0)",
                # first and last order day in the period (days since 1970-01-01), for the
                # silences that make a customer lost: read by the roll-up, never summed
                "first_order_day": "min(date_diff('day', DATE '1970-01-01', s.order_date)) "
                "FILTER (WHERE s.quantity > 0)",
                "last_order_day": "max(date_diff('day', DATE '1970-01-01', s.order_date)) "
                "FILTER (WHERE s.quantity > 0)",
                # 订单满足率: lines whose order quantity was recorded, ordered vs supplied
                "ordered_units": f"coalesce(sum(s.ordered_quantity) FILTER (WHERE {_ASKED}), 0)",
                "supplied_units": f"coalesce(sum(s.quantity) FILTER (WHERE {_ASKED}), 0)",
            },
            (_JOIN_P,), ("products",),
        ),
        Fact(
            "visits", "visits", "v", "CAST(v.visit_start AS DATE)", ("manager", "customer"),
            {
                "visits": "count(*)",
                "on_site_visits": "count(*) FILTER (WHERE v.channel = 'on_site')",
                "phone_visits": "count(*) FILTER (WHERE v.channel = 'phone')",
                "online_visits": "count(*) FILTER (WHERE v.channel = 'online')",
                "planned_visits": "count(*) FILTER (WHERE v.planned)",
                "accompanied_visits": "count(*) FILTER (WHERE v.accompanied_by IS NOT NULL)",
                "order_flagged": "count(v.order_taken)",
                "visits_with_order": "count(*) FILTER (WHERE v.order_taken)",
                "price_tag_checks": "count(v.price_tags_ok)",
                "price_tags_ok": "count(*) FILTER (WHERE v.price_tags_ok)",
                "display_checks": "count(v.display_ok)",
                "display_ok": "count(*) FILTER (WHERE v.display_ok)",
                "stock_checks": "count(v.stock_ok)",
                "stock_ok": "count(*) FILTER (WHERE v.stock_ok)",
                "info_flagged": "count(v.info_collected)",
                "info_collected": "count(*) FILTER (WHERE v.info_collected)",
                "issues_raised": "coalesce(sum(v.issues_raised), 0)",
                "issues_resolved": "coalesce(sum(v.issues_resolved), 0)",
                "logs_on_time": "count(*) FILTER (WHERE date_diff('minute', v.visit_start, "
                "v.log_submitted_at) <= $log_hours * 60)",
                # read by the retention features (manager attrition), not by a KPI
                "after_hours_visits": f"count(*) FILTER (WHERE {_AFTER_HOURS})",
            },
        ),
        Fact(
            "feedback", "feedback", "f", "f.feedback_date", ("manager", "customer"),
            {
                "ratings": "count(f.score) FILTER (WHERE f.kind = 'rating')",
                "rating_sum": "coalesce(sum(f.score) FILTER (WHERE f.kind = 'rating'), 0)",
                "complaints": "count(*) FILTER (WHERE f.kind = 'complaint')",
                "complaints_resolved": "count(f.resolved_date) FILTER "
                "(WHERE f.kind = 'complaint')",
                "resolution_days": "coalesce(sum(date_diff('day', f.feedback_date, "
                "f.resolved_date)) FILTER (WHERE f.kind = 'complaint'), 0)",
                "praise": "count(*) FILTER (WHERE f.kind = 'praise')",
            },
        ),
        Fact(
            # per manager and day: a day is compliant with both a start and an end check-in
            "checkins", "checkins", "k", "CAST(k.checkin_at AS DATE)", ("manager", "day"),
            {
                "start_checkins": "count(*) FILTER (WHERE k.kind = 'start')",
                "end_checkins": "count(*) FILTER (WHERE k.kind = 'end')",
                "early_end_checkins": "count(*) FILTER (WHERE k.kind = 'end' AND "
                "hour(k.checkin_at) + minute(k.checkin_at) / 60.0 < $early_end_hour)",
            },
        ),
        Fact(
            "inspections", "inspections", "i", "i.inspection_date", ("manager",),
            {
                "inspections": "count(*)",
                "inspections_passed": "count(*) FILTER (WHERE i.passed)",
            },
        ),
        Fact(
            # one row per manager-month; the month's sales come from the sales scan
            "targets", "targets", "t", "t.month", ("manager",),
            {
                "sales_target": "sum(t.sales_target)",
                "forecast": "sum(t.forecast)",
                "forecast_months": "count(t.forecast)",
                "visit_target": "sum(t.visit_target)",
                "new_customer_target": "sum(t.new_customer_target)",
            },
            # a target belongs to its whole month
            range_start="CAST(date_trunc('month', $start) AS DATE)",
        ),
        Fact(
            # complaints by the day they were filed and the day they were resolved (null:
            # open), for the retention features: how many were open at an as-of date and
            # for how long. Prepared, never scanned for a KPI (RETENTION_ONLY)
            "complaints", "feedback", "f", "f.feedback_date", ("manager", "customer", "resolved"),
            {"filed": "count(*) FILTER (WHERE f.kind = 'complaint')"},
        ),
        Fact(
            # what each retailer was supplied, by product, for 动销率: scanned only when asked
            "shelf", "sales", "s", "s.order_date", ("manager", "customer", "product"),
            {"shelf_lines": "count(*) FILTER (WHERE s.quantity > 0)",
             "cultivation_lines": "count(*) FILTER "
             "(WHERE p.is_cultivation_brand AND s.quantity > 0)"},
            (_JOIN_P,), ("products",),
        ),
        Fact(
            # sales by product, for product groupings: scanned only when asked
            "assortment", "sales", "s", "s.order_date", ("manager", "product"),
            {
                "product_lines": "count(*) FILTER (WHERE s.quantity > 0)",
                "units": "sum(s.quantity)",
                "cases": f"coalesce(sum({CASES}), 0)",
                "amount": "sum(s.amount)",
                "cased_amount": f"coalesce(sum(s.amount) FILTER (WHERE NOT {UNCASED}), 0)",
                "uncased_units": f"coalesce(sum(s.quantity) FILTER (WHERE {UNCASED}), 0)",
                "order_lines": "count(*)",
                "return_lines": "count(*) FILTER (WHERE s.quantity < 0)",
                "return_cases": f"coalesce(-sum({CASES}) FILTER (WHERE s.quantity < 0), 0)",
                "cultivation_cases": f"coalesce(sum({CASES}) FILTER "
                "(WHERE p.is_cultivation_brand), 0)",
            },
            (_JOIN_P,), ("products",),
        ),
    )
}

#: Facts by product, scanned only when a product grouping or a KPI of each retailer's
#: range (动销率) asks for them.
ON_REQUEST = ("assortment", "shelf")
#: Facts only the retention features read (from the prepared layer): a KPI scan never
#: reads them (see cmdash/retention/layered.py).
RETENTION_ONLY = ("complaints",)

#: Where each grain key comes from in a fact's SQL.
GRAIN_EXPR = {
    "manager": "{a}.manager_id",
    "customer": "{a}.customer_id",
    "product": "{a}.product_id",
    "resolved": "{a}.resolved_date",
    "day": "{d}",
}
