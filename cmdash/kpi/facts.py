"""The facts KPIs are measured on: which table, its date, its joins, and its base measures.

A measure is one SQL aggregate over a fact's rows (DuckDB dialect, transpiled for Spark).
Everything here is a declaration: no I/O, no values from users. `$early_end_hour` and
`$log_hours` are settings bound as parameters.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fact:
    name: str
    table: str  # the contract table the rows come from
    alias: str
    date_expr: str  # the day a row counts on
    joins: tuple[str, ...]  # LEFT JOINs, so an orphan row is kept and counted, never dropped
    dims: frozenset[str]  # groupings this fact can be cut by
    measures: dict[str, str]  # measure id -> aggregate expression
    needs: tuple[str, ...] = ()  # other tables it reads
    start_expr: str = "$start"  # lower bound of the date filter


_ORG = frozenset({"company", "region", "district", "manager"})
_CUSTOMER = _ORG | {"tier", "format", "area_type", "customer"}
_PRODUCT = _CUSTOMER | {"product", "brand", "price_tier"}
_JOIN_M = "LEFT JOIN managers m ON m.manager_id = {a}.manager_id"
_JOIN_C = "LEFT JOIN customers c ON c.customer_id = {a}.customer_id"
_JOIN_P = "LEFT JOIN products p ON p.product_id = {a}.product_id"
_CASES = "s.quantity / coalesce(p.units_per_case, 1)"

#: Sold units per manager-month: what the plan fact compares targets with.
PLAN_ACTUALS = """
LEFT JOIN (
    SELECT manager_id, CAST(date_trunc('month', order_date) AS DATE) AS month,
           sum(quantity) AS units
    FROM sales
    WHERE order_date BETWEEN CAST(date_trunc('month', $start) AS DATE) AND $end
    GROUP BY manager_id, CAST(date_trunc('month', order_date) AS DATE)
) a ON a.manager_id = t.manager_id AND a.month = t.month
"""

FACTS: dict[str, Fact] = {
    f.name: f
    for f in (
        Fact(
            "sales", "sales", "s", "s.order_date", (_JOIN_M, _JOIN_C, _JOIN_P), _PRODUCT,
            {
                "units": "sum(s.quantity)",
                "cases": f"sum({_CASES})",
                "amount": "sum(s.amount)",
                "order_lines": "count(*)",
                "active_lines": "count(*) FILTER (WHERE s.quantity > 0)",
                "orders": "count(DISTINCT s.order_id)",
                "return_lines": "count(*) FILTER (WHERE s.quantity < 0)",
                "return_cases": f"coalesce(-sum({_CASES}) FILTER (WHERE s.quantity < 0), 0)",
                "active_customers": "count(DISTINCT s.customer_id) FILTER (WHERE s.quantity > 0)",
                "new_active_customers": "count(DISTINCT s.customer_id) FILTER "
                "(WHERE s.quantity > 0 AND c.opened_date >= {period_start})",
                "cultivation_cases": f"coalesce(sum({_CASES}) FILTER "
                "(WHERE p.is_cultivation_brand), 0)",
                "cultivation_customers": "count(DISTINCT s.customer_id) FILTER "
                "(WHERE p.is_cultivation_brand AND s.quantity > 0)",
                "products_sold": "count(DISTINCT s.product_id) FILTER (WHERE s.quantity > 0)",
                "orphan_lines": "count(*) FILTER (WHERE m.manager_id IS NULL "
                "OR c.customer_id IS NULL OR p.product_id IS NULL)",
            },
            ("products", "customers"),
        ),
        Fact(
            "visits", "visits", "v", "CAST(v.visit_start AS DATE)", (_JOIN_M, _JOIN_C),
            _CUSTOMER,
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
                "customers_visited": "count(DISTINCT v.customer_id)",
            },
            ("customers",),
        ),
        Fact(
            "feedback", "feedback", "f", "f.feedback_date", (_JOIN_M, _JOIN_C), _CUSTOMER,
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
            ("customers",),
        ),
        Fact(
            # one row per manager-month: the month's target beside what was actually sold
            "plan", "targets", "t", "t.month", (_JOIN_M, PLAN_ACTUALS), _ORG,
            {
                "sales_target": "sum(t.sales_target)",
                "target_units_sold": "sum(coalesce(a.units, 0))",
                "forecast_sum": "sum(t.forecast)",
                "forecast_abs_error": "sum(abs(coalesce(a.units, 0) - t.forecast)) "
                "FILTER (WHERE t.forecast IS NOT NULL)",
                "visit_target": "sum(t.visit_target)",
                "new_customer_target": "sum(t.new_customer_target)",
            },
            ("sales",),
            # whole months: a target belongs to its month, so a range starting mid-month
            # still compares that month's target with that month's sales
            start_expr="CAST(date_trunc('month', $start) AS DATE)",
        ),
        Fact(
            "checkins", "checkins", "k", "CAST(k.checkin_at AS DATE)", (_JOIN_M,), _ORG,
            {
                "start_checkins": "count(*) FILTER (WHERE k.kind = 'start')",
                "end_checkins": "count(*) FILTER (WHERE k.kind = 'end')",
                "early_end_checkins": "count(*) FILTER (WHERE k.kind = 'end' AND "
                "hour(k.checkin_at) + minute(k.checkin_at) / 60.0 < $early_end_hour)",
                "start_days": "count(DISTINCT CAST(k.checkin_at AS DATE)) FILTER "
                "(WHERE k.kind = 'start')",
                "end_days": "count(DISTINCT CAST(k.checkin_at AS DATE)) FILTER "
                "(WHERE k.kind = 'end')",
            },
        ),
        Fact(
            # the customer book: rows, not aggregates (see derived.book)
            "book", "customers", "c", "c.opened_date", (_JOIN_M,), _CUSTOMER,
            {"opened_date": "c.opened_date", "closed_date": "c.closed_date"},
        ),
        Fact(
            "inspections", "inspections", "i", "i.inspection_date", (_JOIN_M,), _ORG,
            {
                "inspections": "count(*)",
                "inspections_passed": "count(*) FILTER (WHERE i.passed)",
            },
        ),
    )
}
