"""Queries the tests use to exercise the query layer (scope CTE, bound values, both
engines' dialects) on shapes the production catalog does not need: aggregates over each
fact with filtered counts and a join. Not part of `cmdash.query.catalog.QUERIES`."""

from __future__ import annotations

from cmdash.query.catalog import QueryDef
from cmdash.query.expressions import CASES

FIXTURE_QUERIES: dict[str, QueryDef] = {
    q.name: q
    for q in (
        QueryDef(
            "org_tree",
            """
            SELECT region, district, count(*) AS managers,
                   count(*) FILTER (WHERE status = 'active') AS active_managers
            FROM managers WHERE manager_id IN (SELECT manager_id FROM scope)
            GROUP BY region, district
            """,
            ("managers",),
            ("region", "district"),
        ),
        QueryDef(
            "monthly_sales_by_manager",
            f"""
            SELECT s.manager_id,
                   CAST(date_trunc('month', s.order_date) AS DATE) AS month,
                   coalesce(sum({CASES}), 0) AS cases,
                   sum(s.amount) AS amount,
                   count(DISTINCT s.customer_id) FILTER (WHERE s.quantity > 0)
                       AS active_customers,
                   count(*) FILTER (WHERE s.quantity < 0) AS return_lines,
                   count(*) AS lines
            FROM sales s
            JOIN products p ON p.product_id = s.product_id
            WHERE s.manager_id IN (SELECT manager_id FROM scope)
              AND s.order_date BETWEEN $start AND $end
            GROUP BY s.manager_id, month
            """,
            ("sales", "products", "managers"),
            ("manager_id", "month"),
        ),
        QueryDef(
            "monthly_visits_by_manager",
            """
            SELECT v.manager_id,
                   CAST(date_trunc('month', v.visit_start) AS DATE) AS month,
                   count(*) AS visits,
                   count(*) FILTER (WHERE v.channel = 'on_site') AS on_site_visits,
                   count(*) FILTER (WHERE v.order_taken) AS visits_with_order,
                   count(DISTINCT v.customer_id) AS customers_visited
            FROM visits v
            WHERE v.manager_id IN (SELECT manager_id FROM scope)
              AND CAST(v.visit_start AS DATE) BETWEEN $start AND $end
            GROUP BY v.manager_id, month
            """,
            ("visits", "managers"),
            ("manager_id", "month"),
        ),
        QueryDef(
            "customer_last_order",
            """
            SELECT s.customer_id, max(s.order_date) AS last_order,
                   count(DISTINCT s.order_id) AS orders, sum(s.amount) AS amount
            FROM sales s
            WHERE s.manager_id IN (SELECT manager_id FROM scope)
              AND s.order_date BETWEEN $start AND $end
            GROUP BY s.customer_id
            """,
            ("sales", "managers"),
            ("customer_id",),
        ),
        QueryDef(
            "feedback_by_manager",
            """
            SELECT f.manager_id,
                   avg(f.score) FILTER (WHERE f.kind = 'rating') AS mean_rating,
                   count(*) FILTER (WHERE f.kind = 'complaint') AS complaints
            FROM feedback f
            WHERE f.manager_id IN (SELECT manager_id FROM scope)
              AND f.feedback_date BETWEEN $start AND $end
            GROUP BY f.manager_id
            """,
            ("feedback", "managers"),
            ("manager_id",),
        ),
    )
}
