"""The few coaching signals the KPI scan does not carry, as declarative queries.

Each is DuckDB SQL with bound parameters (`$win_start`, `$as_of`: the review window's first
day and last day), reads the `scope` CTE, and runs unchanged on Spark (see the parity test).
Everything else the features need comes from the cached KPI scan.
"""

from __future__ import annotations

from cmdash.query import QueryDef
from cmdash.query.expressions import CASES

#: Who is reviewed: the people, their grade and tenure, and whether they lead a team.
MANAGERS = QueryDef(
    "coaching_managers",
    """
    SELECT m.manager_id, m.grade, m.hire_date, m.status, m.left_date,
           m.manager_id IN (SELECT supervisor_id FROM managers
                            WHERE supervisor_id IS NOT NULL) AS is_lead
    FROM managers m
    WHERE m.manager_id IN (SELECT manager_id FROM scope)
    """,
    ("managers",),
    ("manager_id",),
)

#: Within-month front-loading: visits and cases in days 1–15 vs the rest, per month.
MONTH_HALVES = QueryDef(
    "coaching_month_halves",
    f"""
    SELECT coalesce(v.manager_id, s.manager_id) AS manager_id,
           coalesce(v.month, s.month) AS month,
           CAST(coalesce(v.first_visits, 0) AS DOUBLE) AS first_visits,
           CAST(coalesce(v.visits, 0) AS DOUBLE) AS visits,
           CAST(coalesce(s.first_cases, 0) AS DOUBLE) AS first_cases,
           CAST(coalesce(s.cases, 0) AS DOUBLE) AS cases
    FROM (
        SELECT manager_id, CAST(date_trunc('month', visit_start) AS DATE) AS month,
               count(*) FILTER (WHERE day(visit_start) <= 15) AS first_visits,
               count(*) AS visits
        FROM visits
        WHERE manager_id IN (SELECT manager_id FROM scope)
          AND CAST(visit_start AS DATE) BETWEEN $win_start AND $as_of
        GROUP BY 1, 2
    ) v FULL OUTER JOIN (
        SELECT s.manager_id, CAST(date_trunc('month', s.order_date) AS DATE) AS month,
               coalesce(sum({CASES})
                        FILTER (WHERE day(s.order_date) <= 15), 0) AS first_cases,
               sum({CASES}) AS cases
        FROM sales s LEFT JOIN products p ON p.product_id = s.product_id
        WHERE s.manager_id IN (SELECT manager_id FROM scope)
          AND s.order_date BETWEEN $win_start AND $as_of
        GROUP BY 1, 2
    ) s ON v.manager_id = s.manager_id AND v.month = s.month
    """,
    ("visits", "sales", "products", "managers"),
    ("manager_id", "month"),
)

#: End-of-day check-in time (hours after midnight), mean per manager and month.
CHECKIN_HOURS = QueryDef(
    "coaching_checkin_hours",
    """
    SELECT manager_id, CAST(date_trunc('month', checkin_at) AS DATE) AS month,
           CAST(avg(hour(checkin_at) + CAST(minute(checkin_at) AS DOUBLE) / 60)
               FILTER (WHERE kind = 'end') AS DOUBLE) AS end_hour,
           CAST(avg(hour(checkin_at) + CAST(minute(checkin_at) AS DOUBLE) / 60)
               FILTER (WHERE kind = 'start') AS DOUBLE) AS start_hour
    FROM checkins
    WHERE manager_id IN (SELECT manager_id FROM scope)
      AND CAST(checkin_at AS DATE) BETWEEN $win_start AND $as_of
    GROUP BY 1, 2
    """,
    ("checkins", "managers"),
    ("manager_id", "month"),
)

#: Days between successive visits to the same customer, per manager (recent window).
VISIT_GAPS = QueryDef(
    "coaching_visit_gaps",
    """
    SELECT manager_id, CAST(avg(gap) AS DOUBLE) AS mean_gap_days,
           CAST(count(*) FILTER (WHERE gap > $long_gap_days) AS DOUBLE) AS long_gaps,
           CAST(count(gap) AS DOUBLE) AS gaps
    FROM (
        SELECT manager_id, date_diff('day', lag(day) OVER (
                   PARTITION BY manager_id, customer_id ORDER BY day), day) AS gap
        FROM (
            SELECT DISTINCT manager_id, customer_id, CAST(visit_start AS DATE) AS day
            FROM visits
            WHERE manager_id IN (SELECT manager_id FROM scope)
              AND CAST(visit_start AS DATE) BETWEEN $win_start AND $as_of
        ) d
    ) g
    GROUP BY manager_id
    """,
    ("visits", "managers"),
    ("manager_id",),
)

#: Personnel events in the window (the table is optional: absent means empty).
EVENTS = QueryDef(
    "coaching_events",
    """
    SELECT manager_id, event_date, kind
    FROM events
    WHERE manager_id IN (SELECT manager_id FROM scope)
      AND event_date BETWEEN $win_start AND $as_of
    """,
    ("events", "managers"),
    ("manager_id", "event_date", "kind"),
)

COACHING_QUERIES: dict[str, QueryDef] = {
    q.name: q for q in (MANAGERS, MONTH_HALVES, CHECKIN_HOURS, VISIT_GAPS, EVENTS)
}
