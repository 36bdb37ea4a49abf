"""Which alert rules fire at a date, with the evidence: read from the KPI roll-up, the
coaching review and the customers' last orders (nothing recomputed here).

Each firing has a `key` that stays the same while the situation lasts (a KPI run keyed by
the month it began, a silence by the last order, a coaching flag by the month it appeared),
so the ledger (`state.py`) sends it once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator

import pandas as pd

from cmdash.access import EVERYONE, Access
from cmdash.alerts.rules import Rule
from cmdash.engine import Engine
from cmdash.i18n import t
from cmdash.present.labels import kpi_header
from cmdash.query import Filters, run
from cmdash.query.catalog import QueryDef
from cmdash.settings import Values

COLUMNS = ["rule", "kind", "subject", "name", "district", "since", "evidence",
           "recipients", "key"]
_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}

#: customers in scope with their tier and last order up to $end (open at $end)
SILENCE = QueryDef(
    "alert_customer_silence",
    """
    SELECT c.customer_id, c.name, c.manager_id, c.district, c.tier, o.last_order
    FROM customers c
    JOIN (SELECT s.customer_id, max(s.order_date) AS last_order FROM sales s
          WHERE s.order_date <= $end GROUP BY s.customer_id) o
      ON o.customer_id = c.customer_id
    WHERE c.manager_id IN (SELECT manager_id FROM scope)
      AND (c.closed_date IS NULL OR c.closed_date > $end)
    """,
    ("customers", "sales", "managers"),
    ("customer_id",),
)


def check(engine: Engine, rules: tuple[Rule, ...], as_of: dt.date,
          settings: Values, viewer: Access = EVERYONE,
          lang: str = "zh") -> pd.DataFrame:
    """Every firing of every rule at `as_of`, inside the viewer's scope and the rule's;
    the evidence in `lang`."""
    people = run(engine, "manager_directory", Filters(access=viewer)).astype(
        {"manager_id": str})
    names = dict(zip(people["manager_id"], people["name"], strict=True))
    district = dict(zip(people["manager_id"], people["district"], strict=True))
    frames = []
    for rule in rules:
        filters = Filters(access=viewer, end=as_of, **dict(rule.scope))
        fired = _KINDS[rule.kind](engine, rule, filters, settings, as_of, lang)
        if fired.empty:
            continue
        fired["name"] = fired.get("name", fired["subject"].map(names))
        fired["district"] = fired.get("district", fired["subject"].map(district))
        fired = fired.assign(rule=rule.id, kind=rule.kind,
                             recipients=";".join(rule.recipients))
        fired["key"] = rule.id + "|" + fired["subject"].astype(str) + "|" + fired["since"]
        frames.append(fired[COLUMNS])
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(frames, ignore_index=True).sort_values(["rule", "subject"],
                                                             ignore_index=True)


def _kpi(engine, rule: Rule, filters: Filters, settings, as_of, lang) -> pd.DataFrame:
    """Managers past the threshold in each of the last `months` full months."""
    from cmdash.assessment.roster import is_partial
    from cmdash.kpi import kpi_table, scan_for
    from cmdash.kpi.params import measure_params

    kpi, months = rule.get("kpi"), int(rule.get("months", 1))
    s = scan_for(engine, [kpi], "month", filters, measure_params(settings), (("manager",),),
                 narrow=True)
    values = kpi_table(s, [kpi], ("manager",), "month").values
    if kpi not in values:
        return pd.DataFrame(columns=["subject", "since", "evidence"])
    values = values[~is_partial(values["period"], "month", s.end)]
    last = sorted(values["period"].unique())[-months:]
    if len(last) < months:
        return pd.DataFrame(columns=["subject", "since", "evidence"])
    window = values[values["period"].isin(last)]
    past = _OPS[rule.get("op")](window[kpi], rule.get("threshold"))
    rows = []
    for manager, g in window.assign(past=past).groupby("manager"):
        if len(g) == months and g["past"].all():
            since = _run_start(values[values["manager"] == manager], kpi, rule)
            shown = ", ".join(f"{p:%Y-%m} {v:.1f}" for p, v in zip(g["period"], g[kpi],
                                                                   strict=True))
            rows.append({"subject": str(manager), "since": f"{since:%Y-%m}",
                         "evidence": t("alerts.ev.kpi", lang, kpi=kpi_header(kpi, lang),
                                       values=shown, op=rule.get("op"),
                                       threshold=f"{rule.get('threshold'):g}")})
    return pd.DataFrame(rows, columns=["subject", "since", "evidence"])


def _run_start(history: pd.DataFrame, kpi: str, rule: Rule) -> pd.Timestamp:
    """The first month of the current run past the threshold (the alert's identity)."""
    h = history.sort_values("period")
    past = _OPS[rule.get("op")](h[kpi], rule.get("threshold")).to_numpy()
    i = len(past) - 1
    while i > 0 and past[i - 1]:
        i -= 1
    return h["period"].iloc[i]


def _coaching(engine, rule: Rule, filters: Filters, settings, as_of, lang) -> pd.DataFrame:
    """Managers flagged with the type at `as_of` and not a month before."""
    from cmdash.report.gather import coaching_name, coaching_types

    type_id = rule.get("type")
    before_day = (pd.Timestamp(as_of) - pd.DateOffset(months=1)).date()
    now = coaching_types(engine, settings, filters, as_of)
    before = coaching_types(engine, settings, dataclasses.replace(filters, end=before_day),
                            before_day)
    flagged = set(now.loc[now["type"] == type_id, "manager_id"])
    earlier = set(before.loc[before["type"] == type_id, "manager_id"])
    name = coaching_name(type_id, lang)
    rows = [{"subject": m, "since": f"{as_of:%Y-%m}",
             "evidence": t("alerts.ev.coaching", lang, type=name, day=as_of, before=before_day)}
            for m in sorted(flagged - earlier)]
    return pd.DataFrame(rows, columns=["subject", "since", "evidence"])


def _silent(engine, rule: Rule, filters: Filters, settings, as_of, lang) -> pd.DataFrame:
    """Customers of the top tiers with no order for at least `days` days at `as_of`."""
    c = run(engine, SILENCE, filters)
    if "tiers" in rule.params:
        c = c[c["tier"].astype(str).isin(rule.get("tiers"))]
    else:
        tier = pd.to_numeric(c["tier"], errors="coerce")
        c = c[tier >= rule.get("min_tier")]
    last = pd.to_datetime(c["last_order"])
    days = (pd.Timestamp(as_of) - last).dt.days
    keep = days >= rule.get("days")
    c, last, days = c[keep], last[keep].dt.strftime("%Y-%m-%d"), days[keep]
    return pd.DataFrame({
        "subject": c["customer_id"].astype(str),
        "name": c["name"].astype(str) + " (" + c["manager_id"].astype(str) + ")",
        "district": c["district"], "since": last,
        "evidence": [t("alerts.ev.silent", lang, tier=tier, days=d, last=day)
                     for tier, d, day in zip(c["tier"], days, last, strict=True)]})


_KINDS = {"kpi": _kpi, "coaching": _coaching, "silent": _silent}
