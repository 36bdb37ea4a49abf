"""The retention view's declarative queries: per customer (or manager) at many as-of dates.

Every statement binds `$as_of` (a list of dates) and the window lengths in days, so one
query computes the features for all training dates at once; `$history_start` and
`$history_end` bound the rows read, so scoring one date scans only its history. None reads
the viewer's filters: the model is trained and scored on the whole dataset and the risk
table is narrowed to the viewer's scope afterwards. Day arithmetic uses DATE - DATE = days.
"""

from __future__ import annotations

from cmdash.query import QueryDef

#: Each order day's gap since the customer's previous one (over `days`; shared with the
#: prepared layer's twin, which builds `days` from the daily sales table).
GAPS = """
gaps AS (
    SELECT *, day - lag(day) OVER (PARTITION BY customer_id ORDER BY day) AS gap
    FROM days
)"""

#: Order days per customer (a day of returns only is not an order), the gap since the
#: previous order day and which manager the day's lines were credited to.
_ORDER_DAYS = """
days AS (
    SELECT s.customer_id, s.order_date AS day,
           sum(s.quantity) AS units,
           sum(s.amount) AS amount,
           max(s.manager_id) AS manager_id
    FROM sales s
    WHERE s.order_date BETWEEN $history_start AND $history_end
    GROUP BY s.customer_id, s.order_date
    HAVING sum(s.quantity) > 0
),
""" + GAPS

#: The order features per customer and as-of date, from the order days (`days`, `gaps`):
#: shared with the prepared layer's twin (retention/layered.py), which builds the days
#: from the layer's daily sales instead of the order lines.
ORDER_FEATURES = """
    SELECT g.customer_id, d.as_of,
           max(g.day) AS last_order,
           count(*) AS orders_year,
           count(*) FILTER (WHERE d.as_of - g.day < $recent_days) AS orders_recent,
           count(*) FILTER (WHERE d.as_of - g.day >= $recent_days
                            AND d.as_of - g.day < $recent_days + $base_days) AS orders_base,
           coalesce(sum(g.units) FILTER (WHERE d.as_of - g.day < $recent_days), 0)
               AS units_recent,
           coalesce(sum(g.units) FILTER (WHERE d.as_of - g.day >= $recent_days
                    AND d.as_of - g.day < $recent_days + $base_days), 0) AS units_base,
           count(*) FILTER (WHERE d.as_of - g.day < $short_days) AS orders_short,
           coalesce(sum(g.units) FILTER (WHERE d.as_of - g.day < $short_days), 0)
               AS units_short,
           coalesce(sum(g.amount) FILTER (WHERE d.as_of - g.day < $recent_days), 0)
               AS amount_recent,
           avg(g.gap) FILTER (WHERE d.as_of - g.day < $cycle_days) AS gap_mean,
           stddev_samp(g.gap) FILTER (WHERE d.as_of - g.day < $cycle_days) AS gap_std,
           arg_max(g.manager_id, g.day) AS owner_id,
           arg_max(g.manager_id, g.day) FILTER (WHERE d.as_of - g.day >= $handover_days)
               AS previous_owner_id
    FROM gaps g JOIN dates d ON g.day <= d.as_of AND g.day > d.as_of - $history_days
    GROUP BY g.customer_id, d.as_of
"""

CUSTOMER_ORDERS = QueryDef(
    "retention_customer_orders",
    "WITH dates AS (SELECT unnest(CAST($as_of AS DATE[])) AS as_of), "
    + _ORDER_DAYS + ORDER_FEATURES,
    ("sales",),
    ("customer_id", "as_of"),
)

CUSTOMER_OUTCOMES = QueryDef(
    "retention_customer_outcomes",
    """
    WITH dates AS (SELECT unnest(CAST($as_of AS DATE[])) AS as_of)
    SELECT s.customer_id, d.as_of, min(s.order_date) AS next_order
    FROM sales s JOIN dates d
      ON s.order_date > d.as_of AND s.order_date <= d.as_of + $horizon_days
    WHERE s.quantity > 0 AND s.order_date BETWEEN $history_start AND $history_end
    GROUP BY s.customer_id, d.as_of
    """,
    ("sales",),
    ("customer_id", "as_of"),
)

CUSTOMER_VISITS = QueryDef(
    "retention_customer_visits",
    """
    WITH dates AS (SELECT unnest(CAST($as_of AS DATE[])) AS as_of),
    v AS (
        SELECT customer_id, manager_id, CAST(visit_start AS DATE) AS day, channel,
               coalesce(issues_raised, 0) AS raised, coalesce(issues_resolved, 0) AS resolved
        FROM visits
        WHERE CAST(visit_start AS DATE) BETWEEN $history_start AND $history_end
    )
    SELECT v.customer_id, v.manager_id, d.as_of,
           max(v.day) AS last_visit,
           count(*) FILTER (WHERE d.as_of - v.day < $recent_days) AS visits_recent,
           count(*) FILTER (WHERE d.as_of - v.day >= $recent_days
                            AND d.as_of - v.day < $recent_days + $base_days) AS visits_base,
           count(*) FILTER (WHERE d.as_of - v.day < $handover_days) AS visits_handover,
           count(*) FILTER (WHERE d.as_of - v.day < $recent_days AND v.channel = 'on_site')
               AS onsite_recent,
           coalesce(sum(v.raised - v.resolved) FILTER (WHERE d.as_of - v.day < $recent_days),
                    0) AS issues_open
    FROM v JOIN dates d ON v.day <= d.as_of AND v.day > d.as_of - $history_days
    GROUP BY v.customer_id, v.manager_id, d.as_of
    """,
    ("visits",),
    ("customer_id", "manager_id", "as_of"),
)

CUSTOMER_FEEDBACK = QueryDef(
    "retention_customer_feedback",
    """
    WITH dates AS (SELECT unnest(CAST($as_of AS DATE[])) AS as_of)
    SELECT f.customer_id, d.as_of,
           count(*) FILTER (WHERE f.kind = 'complaint' AND d.as_of - f.feedback_date
                            < $recent_days) AS complaints_recent,
           count(*) FILTER (WHERE f.kind = 'complaint'
                            AND (f.resolved_date IS NULL OR f.resolved_date > d.as_of))
               AS complaints_open,
           avg(least(coalesce(f.resolved_date, d.as_of), d.as_of) - f.feedback_date)
               FILTER (WHERE f.kind = 'complaint' AND d.as_of - f.feedback_date
                       < $recent_days) AS complaint_days,
           avg(f.score) FILTER (WHERE f.kind = 'rating'
                                AND d.as_of - f.feedback_date < $recent_days) AS rating_recent,
           avg(f.score) FILTER (WHERE f.kind = 'rating'
                                AND d.as_of - f.feedback_date >= $recent_days) AS rating_base
    FROM feedback f JOIN dates d
      ON f.feedback_date <= d.as_of AND f.feedback_date > d.as_of - $history_days
    GROUP BY f.customer_id, d.as_of
    """,
    ("feedback",),
    ("customer_id", "as_of"),
)

CUSTOMER_ATTRIBUTES = QueryDef(
    "retention_customers",
    """
    SELECT c.customer_id, c.name, c.manager_id, c.district, m.region, m.name AS manager_name,
           c.tier, c.format, c.area_type, c.opened_date, c.closed_date
    FROM customers c LEFT JOIN managers m ON m.manager_id = c.manager_id
    """,
    ("customers", "managers"),
    ("customer_id",),
)

MANAGER_ATTRIBUTES = QueryDef(
    "retention_managers",
    """
    SELECT manager_id, name, region, district, grade, hire_date, status, left_date
    FROM managers
    """,
    ("managers",),
    ("manager_id",),
)

#: A manager's months: what was sold (`sold`), planned (`targets`) and seen (`seen`), joined;
#: shared with the prepared layer's twin (`retention.layered`), which builds the same CTEs.
MONTHS_JOINED = """
    SELECT coalesce(s.manager_id, t.manager_id, v.manager_id) AS manager_id,
           coalesce(s.month, t.month, v.month) AS month,
           coalesce(s.units, 0) AS units,
           coalesce(s.customers, 0) AS customers,
           t.sales_target, t.visit_target,
           coalesce(v.visits, 0) AS visits, coalesce(v.after_hours, 0) AS after_hours
    FROM sold s
    FULL JOIN targets t ON t.manager_id = s.manager_id AND t.month = s.month
    FULL JOIN seen v ON v.manager_id = coalesce(s.manager_id, t.manager_id)
                    AND v.month = coalesce(s.month, t.month)
    WHERE coalesce(s.month, t.month, v.month) BETWEEN $history_start AND $history_end
"""

#: Per manager and as-of date: volume against target by month, for runs below target.
MANAGER_MONTHS = QueryDef(
    "retention_manager_months",
    """
    WITH sold AS (
        SELECT s.manager_id, CAST(date_trunc('month', s.order_date) AS DATE) AS month,
               sum(s.quantity) AS units,
               count(DISTINCT s.customer_id) AS customers
        FROM sales s
        WHERE s.order_date BETWEEN $history_start AND $history_end
        GROUP BY ALL
    ),
    seen AS (
        SELECT manager_id, CAST(date_trunc('month', visit_start) AS DATE) AS month,
               count(*) AS visits,
               count(*) FILTER (WHERE hour(visit_start) >= $late_hour
                                OR hour(visit_start) < $early_hour
                                OR hour(log_submitted_at) >= $late_hour) AS after_hours
        FROM visits
        WHERE CAST(visit_start AS DATE) BETWEEN $history_start AND $history_end
        GROUP BY ALL
    )
    """ + MONTHS_JOINED,
    ("sales", "targets", "visits"),
    ("manager_id", "month"),
)

MANAGER_EVENTS = QueryDef(
    "retention_manager_events",
    """
    SELECT manager_id, event_date, kind FROM events
    WHERE event_date BETWEEN $history_start AND $history_end
    """,
    ("events",),
    ("manager_id", "event_date", "kind"),
)

QUERIES: tuple[QueryDef, ...] = (
    CUSTOMER_ORDERS, CUSTOMER_OUTCOMES, CUSTOMER_VISITS, CUSTOMER_FEEDBACK,
    CUSTOMER_ATTRIBUTES, MANAGER_ATTRIBUTES, MANAGER_MONTHS, MANAGER_EVENTS,
)
