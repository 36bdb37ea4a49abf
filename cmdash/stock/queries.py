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

ON_HAND = QueryDef(
    # each retailer's latest count of each line on or before the window's end
    "stock_on_hand",
    """
    SELECT i.customer_id, i.product_id, i.snapshot_date, max(i.on_hand) AS on_hand
    FROM inventory i
    JOIN (
        SELECT customer_id, product_id, max(snapshot_date) AS last_count
        FROM inventory WHERE snapshot_date <= $end
        GROUP BY customer_id, product_id
    ) l ON l.customer_id = i.customer_id AND l.product_id = i.product_id
       AND l.last_count = i.snapshot_date
    JOIN customers c ON c.customer_id = i.customer_id
    WHERE c.manager_id IN (SELECT manager_id FROM scope)
      AND ($all_customers OR i.customer_id = $customer_id)
    GROUP BY i.customer_id, i.product_id, i.snapshot_date
    """,
    ("inventory", "customers", "managers"),
    ("customer_id", "product_id"),
)

QUERIES = (STOCK_LINES, ORDERS, STOCK_VISITS, ON_HAND)
