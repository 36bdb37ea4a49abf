"""Named query definitions in one dialect (DuckDB SQL), run on any engine.

Each reads the `scope` CTE (the managers the filters allow) and binds `$start`/`$end`;
nothing user-typed is ever part of the text. The KPI layer builds on these shapes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QueryDef:
    name: str
    sql: str
    tables: tuple[str, ...]  # tables it reads, so callers can say what is unavailable
    order_by: tuple[str, ...]  # a stable order: results compare equal across engines


QUERIES: dict[str, QueryDef] = {
    q.name: q
    for q in (
        QueryDef(
            "manager_directory",
            """
            SELECT manager_id, name, region, district, supervisor_id, grade, status,
                   hire_date, left_date
            FROM managers
            WHERE manager_id IN (SELECT manager_id FROM scope)
            """,
            ("managers",),
            ("region", "district", "manager_id"),
        ),
        QueryDef(
            # one manager's visits per day, for the profile's calendar
            "manager_visit_days",
            """
            SELECT CAST(v.visit_start AS DATE) AS day, count(*) AS visits,
                   count(*) FILTER (WHERE v.channel = 'on_site') AS on_site_visits
            FROM visits v
            WHERE v.manager_id = $manager_id
              AND v.manager_id IN (SELECT manager_id FROM scope)
              AND CAST(v.visit_start AS DATE) BETWEEN $start AND $end
            GROUP BY CAST(v.visit_start AS DATE)
            """,
            ("visits", "managers"),
            ("day",),
        ),
        QueryDef(
            # the customers a manager holds today, with recent volume and last contacts
            "manager_customers",
            """
            SELECT c.customer_id, c.name, c.tier, c.format, c.opened_date, c.closed_date,
                   o.last_order, coalesce(o.recent_units, 0) AS recent_units,
                   coalesce(o.recent_amount, 0) AS recent_amount, w.last_visit
            FROM customers c
            LEFT JOIN (
                SELECT s.customer_id, max(s.order_date) AS last_order,
                       sum(s.quantity) FILTER (
                           WHERE s.order_date > $end - INTERVAL 90 DAY) AS recent_units,
                       sum(s.amount) FILTER (
                           WHERE s.order_date > $end - INTERVAL 90 DAY) AS recent_amount
                FROM sales s LEFT JOIN products p ON p.product_id = s.product_id
                WHERE s.order_date <= $end
                  AND s.customer_id IN (SELECT customer_id FROM customers
                                        WHERE manager_id = $manager_id)
                GROUP BY s.customer_id
            ) o ON o.customer_id = c.customer_id
            LEFT JOIN (
                SELECT customer_id, max(visit_start) AS last_visit FROM visits
                WHERE CAST(visit_start AS DATE) <= $end
                  AND customer_id IN (SELECT customer_id FROM customers
                                      WHERE manager_id = $manager_id)
                GROUP BY customer_id
            ) w ON w.customer_id = c.customer_id
            WHERE c.manager_id = $manager_id
              AND c.manager_id IN (SELECT manager_id FROM scope)
            """,
            ("customers", "sales", "visits", "products", "managers"),
            ("customer_id",),
        ),
        QueryDef(
            "scope_managers",
            "SELECT manager_id FROM scope",
            ("managers",),
            ("manager_id",),
        ),
        QueryDef(
            # how many products give a case size: the dataset's trade for wording
            "case_sizes_given",
            "SELECT count(units_per_case) AS n FROM products",
            ("products",),
            (),
        ),
        QueryDef(
            "sales_date_range",
            "SELECT min(order_date) AS first_day, max(order_date) AS last_day FROM sales",
            ("sales",),
            (),
        ),
    )
}
