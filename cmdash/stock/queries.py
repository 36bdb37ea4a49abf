"""What safety stock reads: each retailer's lines over the window, orders and visits."""

from __future__ import annotations

from cmdash.query.catalog import QueryDef

STOCK_LINES = QueryDef(
    "stock_lines",
    """
    SELECT s.customer_id, s.product_id, p.name AS product, p.price_tier, p.brand,
           sum(s.quantity) AS units, count(DISTINCT s.order_date) AS orders_with_line
    FROM sales s LEFT JOIN products p ON p.product_id = s.product_id
    WHERE s.manager_id IN (SELECT manager_id FROM scope)
      AND s.order_date > $window_start AND s.order_date <= $end
      AND ($all_customers OR s.customer_id = $customer_id)
    GROUP BY s.customer_id, s.product_id, p.name, p.price_tier, p.brand
    """,
    ("sales", "products", "managers"),
    ("customer_id", "product_id"),
)

ORDERS = QueryDef(
    "stock_orders",
    """
    SELECT s.customer_id, s.order_date, s.product_id, sum(s.quantity) AS units
    FROM sales s
    WHERE s.manager_id IN (SELECT manager_id FROM scope)
      AND s.order_date > $window_start AND s.order_date <= $end AND s.quantity > 0
      AND ($all_customers OR s.customer_id = $customer_id)
    GROUP BY s.customer_id, s.order_date, s.product_id
    """,
    ("sales", "managers"),
    ("customer_id", "order_date", "product_id"),
)

STOCK_VISITS = QueryDef(
    "stock_visits",
    """
    SELECT v.customer_id, v.manager_id, CAST(v.visit_start AS DATE) AS day, v.stock_ok
    FROM visits v
    WHERE v.manager_id IN (SELECT manager_id FROM scope)
      AND CAST(v.visit_start AS DATE) > $window_start AND CAST(v.visit_start AS DATE) <= $end
      AND v.stock_ok IS NOT NULL
      AND ($all_customers OR v.customer_id = $customer_id)
    """,
    ("visits", "managers"),
    ("customer_id", "day"),
)

QUERIES = (STOCK_LINES, ORDERS, STOCK_VISITS)
