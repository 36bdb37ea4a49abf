"""The retention queries over the prepared layer: the same columns and rows as their twins
in `queries` (which read the fact files), from the layer's daily roll-ups.

They run on the layer's reader, whose views are named `<fact>_<grain>` (`sales_day`, …).
Each twin rebuilds what its fact-file query groups first from rows that are already
grouped by manager × customer × day, so the results are the same to the last bit for
counts and dates and within float rounding for sums:

- an order day's units, amount and manager are the sums and the greatest manager of the
  customer's rows that day (the layer keeps a row for every manager, customer and day with
  a line); a day with a supplied line (`active_lines`) is a day with a line of quantity > 0;
- visits and their on-site count, issues raised minus resolved, after-hours visits per
  day (`after_hours_visits`, declared with the visits fact);
- ratings as a sum and a count, complaints by their filing and resolution days (the
  `complaints` fact, `cmdash.kpi.facts.RETENTION_ONLY`), so how many were open at an
  as-of date and for how long is exact;
- targets per manager and month as the targets fact holds them (summed per manager and
  month: a dataset with two target rows for one manager-month gets their sum here, one row
  per target row from the files).

Events are a short list per manager and stay with the engine, as do the attribute tables.
Counts leave as BIGINT, as `count(*)` does in the fact-file queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmdash.query import QueryDef
from cmdash.retention import queries as Q

#: A customer's order days from the daily sales table (as `queries._ORDER_DAYS`).
_ORDER_DAYS = """
days AS (
    SELECT s.customer AS customer_id, s.period AS day,
           sum(s.units) AS units,
           sum(s.amount) AS amount,
           max(s.manager) AS manager_id
    FROM sales_day s
    WHERE s.period BETWEEN $history_start AND $history_end
    GROUP BY s.customer, s.period
    HAVING sum(s.units) > 0
),
""" + Q.GAPS


def _twin(fact_query: QueryDef, sql: str, tables: tuple[str, ...]) -> QueryDef:
    """The twin of a fact-file query: its name with `_prepared`, its row order."""
    return QueryDef(f"{fact_query.name}_prepared", sql, tables, fact_query.order_by)


CUSTOMER_ORDERS = _twin(
    Q.CUSTOMER_ORDERS,
    # the features are the fact-file query's own: only the order days' source differs
    "WITH dates AS (SELECT unnest(CAST($as_of AS DATE[])) AS as_of), "
    + _ORDER_DAYS + Q.ORDER_FEATURES,
    ("sales_day",),
)

CUSTOMER_OUTCOMES = _twin(
    Q.CUSTOMER_OUTCOMES,
    """
    WITH dates AS (SELECT unnest(CAST($as_of AS DATE[])) AS as_of)
    SELECT s.customer AS customer_id, d.as_of, min(s.period) AS next_order
    FROM sales_day s JOIN dates d
      ON s.period > d.as_of AND s.period <= d.as_of + $horizon_days
    WHERE s.active_lines > 0 AND s.period BETWEEN $history_start AND $history_end
    GROUP BY s.customer, d.as_of
    """,
    ("sales_day",),
)

CUSTOMER_VISITS = _twin(
    Q.CUSTOMER_VISITS,
    """
    WITH dates AS (SELECT unnest(CAST($as_of AS DATE[])) AS as_of),
    v AS (
        SELECT customer AS customer_id, manager AS manager_id, period AS day, visits,
               on_site_visits, issues_raised - issues_resolved AS open
        FROM visits_day
        WHERE period BETWEEN $history_start AND $history_end
    )
    SELECT v.customer_id, v.manager_id, d.as_of,
           max(v.day) AS last_visit,
           CAST(coalesce(sum(v.visits) FILTER (WHERE d.as_of - v.day < $recent_days), 0)
                AS BIGINT) AS visits_recent,
           CAST(coalesce(sum(v.visits) FILTER (WHERE d.as_of - v.day >= $recent_days
                AND d.as_of - v.day < $recent_days + $base_days), 0) AS BIGINT) AS visits_base,
           CAST(coalesce(sum(v.visits) FILTER (WHERE d.as_of - v.day < $handover_days), 0)
                AS BIGINT) AS visits_handover,
           CAST(coalesce(sum(v.on_site_visits) FILTER (WHERE d.as_of - v.day < $recent_days),
                0) AS BIGINT) AS onsite_recent,
           coalesce(sum(v.open) FILTER (WHERE d.as_of - v.day < $recent_days), 0)
               AS issues_open
    FROM v JOIN dates d ON v.day <= d.as_of AND v.day > d.as_of - $history_days
    GROUP BY v.customer_id, v.manager_id, d.as_of
    """,
    ("visits_day",),
)

CUSTOMER_FEEDBACK = _twin(
    Q.CUSTOMER_FEEDBACK,
    """
    WITH dates AS (SELECT unnest(CAST($as_of AS DATE[])) AS as_of),
    said AS (
        SELECT f.customer AS customer_id, d.as_of,
               CAST(coalesce(sum(f.complaints) FILTER (WHERE d.as_of - f.period
                    < $recent_days), 0) AS BIGINT) AS complaints_recent,
               sum(f.rating_sum) FILTER (WHERE d.as_of - f.period < $recent_days)
                   / nullif(sum(f.ratings) FILTER (WHERE d.as_of - f.period < $recent_days), 0)
                   AS rating_recent,
               sum(f.rating_sum) FILTER (WHERE d.as_of - f.period >= $recent_days)
                   / nullif(sum(f.ratings) FILTER (WHERE d.as_of - f.period >= $recent_days),
                            0) AS rating_base
        FROM feedback_day f JOIN dates d
          ON f.period <= d.as_of AND f.period > d.as_of - $history_days
        GROUP BY f.customer, d.as_of
    ),
    open AS (
        SELECT c.customer AS customer_id, d.as_of,
               CAST(sum(c.filed) FILTER (WHERE c.resolved IS NULL OR c.resolved > d.as_of)
                    AS BIGINT) AS complaints_open,
               sum(c.filed * (least(coalesce(c.resolved, d.as_of), d.as_of) - c.period))
                   FILTER (WHERE d.as_of - c.period < $recent_days)
                   / nullif(sum(c.filed) FILTER (WHERE d.as_of - c.period < $recent_days), 0)
                   AS complaint_days
        FROM complaints_day c JOIN dates d
          ON c.period <= d.as_of AND c.period > d.as_of - $history_days
        WHERE c.filed > 0
        GROUP BY c.customer, d.as_of
    )
    SELECT s.customer_id, s.as_of, s.complaints_recent,
           coalesce(o.complaints_open, 0) AS complaints_open, o.complaint_days,
           s.rating_recent, s.rating_base
    FROM said s LEFT JOIN open o
      ON o.customer_id IS NOT DISTINCT FROM s.customer_id AND o.as_of = s.as_of
    """,
    ("feedback_day", "complaints_day"),
)

MANAGER_MONTHS = _twin(
    Q.MANAGER_MONTHS,
    """
    WITH sold AS (
        SELECT s.manager AS manager_id, CAST(date_trunc('month', s.period) AS DATE) AS month,
               sum(s.units) AS units,
               count(DISTINCT s.customer) AS customers
        FROM sales_day s
        WHERE s.period BETWEEN $history_start AND $history_end
        GROUP BY ALL
    ),
    seen AS (
        SELECT manager AS manager_id, CAST(date_trunc('month', period) AS DATE) AS month,
               CAST(sum(visits) AS BIGINT) AS visits,
               CAST(sum(after_hours_visits) AS BIGINT) AS after_hours
        FROM visits_day
        WHERE period BETWEEN $history_start AND $history_end
        GROUP BY ALL
    ),
    targets AS (
        SELECT manager AS manager_id, period AS month, sales_target, visit_target
        FROM targets_day
    )
    """ + Q.MONTHS_JOINED,
    ("sales_day", "visits_day", "targets_day"),
)


@dataclass(frozen=True)
class Twin:
    query: QueryDef  # runs on the layer's reader
    reads: dict[str, tuple[str, ...]]  # fact -> the measures it reads from the daily table


#: fact-file query name -> its twin over the layer.
TWINS: dict[str, Twin] = {
    Q.CUSTOMER_ORDERS.name: Twin(CUSTOMER_ORDERS, {"sales": ("units", "amount")}),
    Q.CUSTOMER_OUTCOMES.name: Twin(CUSTOMER_OUTCOMES, {"sales": ("active_lines",)}),
    Q.CUSTOMER_VISITS.name: Twin(CUSTOMER_VISITS, {
        "visits": ("visits", "on_site_visits", "issues_raised", "issues_resolved")}),
    Q.CUSTOMER_FEEDBACK.name: Twin(CUSTOMER_FEEDBACK, {
        "feedback": ("complaints", "ratings", "rating_sum"), "complaints": ("filed",)}),
    Q.MANAGER_MONTHS.name: Twin(MANAGER_MONTHS, {
        "sales": ("units",), "visits": ("visits", "after_hours_visits"),
        "targets": ("sales_target", "visit_target")}),
}
