"""Behaviour features per manager over the review window (docs/coaching.md), from the cached scan.

One row per reviewed manager; every column is declared in `FEATURES` (label, unit, which
way is "more of the behaviour"). Most are the KPI layer's measures (kpi/measures.py) rolled
up over the review window's months, so a feature and the KPI of the same name agree;
the visit mix, retention between the windows and repeat complaints read the scanned facts
(manager × customer × month, with the customer's tier and opening date); front-loading,
end-of-day check-in time, visit gaps, events and grades come from the coaching queries
(`extras`).

Every "pct" feature is a 0–1 ratio (a KPI's numerator ÷ denominator without its ×100
display scale), and thresholds in types.py are stated the same way (−0.08 = −8 %).
Ratios with an empty denominator are NaN: a test on a NaN feature neither passes nor fails.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cmdash.coaching.queries import COACHING_QUERIES
from cmdash.coaching.window import Window
from cmdash.contract import NEGATIVE_EVENTS
from cmdash.engine import Engine
from cmdash.i18n import pick
from cmdash.kpi.catalog import KPIS
from cmdash.kpi.derived import REPEAT_COMPLAINTS
from cmdash.kpi.rollup import rollup
from cmdash.kpi.scan import Scan
from cmdash.query import Filters, run
from cmdash.tiers import TierOrder, rank, tier_order


@dataclass(frozen=True)
class Feature:
    id: str
    label_zh: str
    label_en: str
    unit: str  # "pct" (0–1 shown as %), "ratio", "hours", "days", "per_100", "years", "score"

    def label(self, lang: str) -> str:
        return pick(self.label_zh, self.label_en, lang)


FEATURES: dict[str, Feature] = {
    f.id: f
    for f in (
        Feature("big_visit_ratio", "大户拜访倾斜度", "Visits to large retailers vs their share",
                "ratio"),
        Feature("new_visit_ratio", "新户拜访倾斜度", "Visits to new retailers vs established",
                "ratio"),
        Feature("order_rate", "拜访成交率", "Order rate per visit", "pct"),
        Feature("cultivation_share", "培育品牌订单占比", "Cultivation-brand order lines", "pct"),
        Feature("forecast_bias", "预测偏差（预测÷实际−1）", "Forecast bias (forecast ÷ actual − 1)",
                "pct"),
        Feature("end_hour", "收工签到时间", "End-of-day check-in time", "hours"),
        Feature("issue_resolution", "问题解决率（近期）", "Issue resolution (recent)", "pct"),
        Feature("issue_resolution_change", "问题解决率变化", "Issue resolution change", "pct"),
        Feature("tenure_years", "司龄", "Tenure", "years"),
        Feature("plan_execution", "计划拜访执行率", "Visit-plan execution", "pct"),
        Feature("coverage", "月度拜访覆盖率", "Monthly visit coverage", "pct"),
        Feature("long_gap_share", "长间隔拜访占比", "Long gaps between visits", "pct"),
        Feature("volume_trend", "销量趋势（近期÷前期−1）", "Volume trend (recent ÷ before − 1)",
                "pct"),
        Feature("check_change", "检查合格率变化", "Check pass rate change", "pct"),
        Feature("info_change", "信息采集率变化", "Info collection change", "pct"),
        Feature("praise_per_100", "百户表扬（年化）", "Praise per 100 customers a year",
                "per_100"),
        Feature("log_timeliness", "日志及时率", "Log timeliness", "pct"),
        Feature("on_site_share", "上门拜访占比", "On-site share", "pct"),
        Feature("check_pass", "终端检查合格率", "Retail check pass rate", "pct"),
        Feature("info_rate", "信息采集率", "Info collection rate", "pct"),
        Feature("complaints_per_100", "百户投诉（年化）", "Complaints per 100 customers a year",
                "per_100"),
        Feature("mean_rating", "客户评分", "Mean rating", "score"),
        Feature("repeat_share", "重复投诉占比", "Complaints from repeat complainers", "pct"),
        Feature("resolution_days", "投诉解决天数", "Complaint resolution time", "days"),
        Feature("front_share", "上半月占比", "Share in the first half of the month", "pct"),
        Feature("quarter_decay", "季内完成率衰减", "Attainment fall, 1st → 3rd month of quarter",
                "pct"),
        Feature("event_months", "负面事件距今月数", "Months since a negative event", "months"),
        Feature("post_event_trend", "事件后销量变化", "Volume after the event vs before", "pct"),
        Feature("post_event_visits", "事件后拜访变化", "Visits after the event vs before", "pct"),
        Feature("post_event_decline", "事件后下滑（销量或拜访，取较大降幅）",
                "Fall after the event (volume or visits, the larger)", "pct"),
        Feature("log_change", "日志及时率变化", "Log timeliness change", "pct"),
        Feature("attainment_base", "前期目标完成率", "Attainment before", "pct"),
        Feature("attainment_history", "历史目标完成率", "Attainment in the year before",
                "pct"),
        Feature("volume_vs_history", "近期销量÷历史销量−1", "Volume recent ÷ year before − 1",
                "pct"),
        Feature("attainment_recent", "近期目标完成率", "Attainment recent", "pct"),
        Feature("new_customer_share", "新客户占比", "New customers in the book", "pct"),
        Feature("visits_per_customer", "户均月拜访", "Visits per customer a month", "ratio"),
        Feature("results_pct", "结果得分百分位", "Results score percentile", "pct"),
        Feature("process_pct", "过程得分百分位", "Process score percentile", "pct"),
        Feature("top_both_share", "双优月份占比", "Months in the top quartile on both", "pct"),
        Feature("retention", "客户留存率", "Customer retention", "pct"),
    )
}


def extras(engine: Engine, filters: Filters, window: Window,
           long_gap_days: float) -> dict[str, pd.DataFrame]:
    """The coaching queries for the window: the only engine work beyond the cached scan."""
    out: dict[str, pd.DataFrame] = {}
    for name, q in COACHING_QUERIES.items():
        params = window.recent_params() if name == "coaching_visit_gaps" else window.params()
        out[name] = run(engine, q, filters, params | {"long_gap_days": long_gap_days})
    return out


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    den = den.astype("float64")
    return num.astype("float64") / den.where(den > 0)


def _kpi_ratio(m: pd.DataFrame, kpi: str) -> pd.Series:
    """A ratio KPI as the catalog declares it (numerator ÷ denominator), as a 0–1 ratio."""
    k = KPIS[kpi]
    value = _ratio(m[k.numerator], m[k.denominator])
    return 1 - value if k.complement else value


def _months(scan: Scan, first: pd.Timestamp, last: pd.Timestamp,
            facts: tuple[str, ...]) -> Scan:
    """The scan's rows of the months from `first` to `last` as one range: a window counts
    every row of its months, whether or not it is in the viewer's range."""
    rows = {}
    for name in facts:
        if name in scan.facts:
            f = scan.facts[name]
            keep = ((f["period"] >= first) & (f["period"] <= last)).to_numpy()
            rows[name] = f[keep].assign(in_range=True)
    return dataclasses.replace(scan, start=pd.Timestamp(first), end=pd.Timestamp(last),
                               facts=rows, memo={})


def _measures(s: Scan, need: set[str], period: str = "all") -> pd.DataFrame:
    """The KPI layer's measures per manager over the window's months: one row per manager
    (`period="all"`, indexed by manager) or per manager and month."""
    m = rollup(s, ("manager",), period, need).reindex(columns=["manager", "period", *need])
    m["manager"] = m["manager"].astype(str)
    return m.set_index("manager").drop(columns="period") if period == "all" else m


#: Visit sums compared between the recent window and the months before it.
_VISIT_SUMS = {"visits", "on_site_visits", "planned_visits", "order_flagged",
               "visits_with_order", "price_tag_checks", "price_tags_ok", "display_checks",
               "display_ok", "stock_checks", "stock_ok", "info_flagged", "info_collected",
               "issues_raised", "issues_resolved", "logs_on_time"}
#: Monthly plan measures (targets against the month's units sold).
_PLAN = {"sales_target", "target_units_sold", "forecast_sum", "visit_target"}
_FACTS = ("sales", "visits", "feedback", "targets")


def features(scan: Scan, extra: dict[str, pd.DataFrame], window: Window,
             big_tier_pct: float = 67.0, new_customer_months: int = 6,
             history_months: int = 12, tiers: TierOrder | None = None) -> pd.DataFrame:
    """One row per reviewed manager (index `manager`), columns as in FEATURES plus
    `region`, `district`, `has_events` and `event_kind`.

    Reviewed: not a team lead (nobody's supervisor), still in post at the as-of date and
    with visits in the recent window. `tiers`: the tier order (default: detected from the
    visited customers' tiers).
    """
    people = extra["coaching_managers"].rename(columns={"manager_id": "manager"})
    people = people.set_index("manager")
    day = pd.Timedelta(days=1)
    whole = _months(scan, window.base_start, window.as_of, _FACTS)
    recent_scan = _months(scan, window.recent_start, window.as_of, _FACTS)
    recent = _measures(recent_scan, _VISIT_SUMS | {
        "active_customers", "cultivation_lines", "active_lines", "visit_target"})
    base = _measures(_months(scan, window.base_start, window.recent_start - day, ("visits",)),
                     _VISIT_SUMS)
    staying = people["left_date"].isna() | (pd.to_datetime(people["left_date"]) >= window.as_of)
    reviewed = people.index[~people["is_lead"].astype(bool) & staying]
    reviewed = reviewed.intersection(recent.index[recent["visits"] > 0])
    out = pd.DataFrame(index=pd.Index(sorted(reviewed), name="manager"))
    attrs = scan.managers.set_index("manager")
    out["region"] = attrs["region"].reindex(out.index)
    out["district"] = attrs["district"].reindex(out.index)
    recent, base = recent.reindex(out.index), base.reindex(out.index)

    visits = whole.facts["visits"]
    recent_v = visits[window.is_recent(visits["period"])]
    tiers = tiers or tier_order(visits["tier"].astype("object").unique())
    _visit_mix(out, recent_v, window, big_tier_pct, new_customer_months, tiers)
    _visit_quality(out, recent, base)
    sales_m = _measures(_months(scan, window.base_start, window.as_of, ("sales",)),
                        {"cases"}, "month")
    visits_m = _measures(recent_scan, {"visits", "customers_visited_any"}, "month")
    months_recent = len(window.months[window.months >= window.recent_start])
    _results(out, recent, sales_m, _measures(whole, {"new_active_customers"}),
             visits_m, months_recent, window)
    out["retention"] = _retention(whole.facts["sales"], window).reindex(out.index)
    _plan(out, recent, _targets(whole, _PLAN | {"units"}), window)
    _history(out, scan, sales_m, window, history_months)
    _voice(out, whole, recent["active_customers"], window)
    _rhythm(out, extra, window)
    _events(out, extra["coaching_events"], sales_m,
            _measures(whole, {"visits"}, "month"), window.as_of)
    hired = pd.to_datetime(people["hire_date"]).reindex(out.index)
    out["tenure_years"] = (window.as_of - hired).dt.days / 365.25
    out["has_events"] = scan.rows.get("events", 0) > 0
    out["tier_ranked"] = tiers.usable
    return out


def _visit_mix(out: pd.DataFrame, v: pd.DataFrame, window: Window, big_tier_pct: float,
               new_months: int, tiers: TierOrder) -> None:
    """Where the visits go: large vs small retailers (by the tier order), new vs established."""
    tier = rank(v["tier"], tiers)
    cut = np.nanpercentile(tier, big_tier_pct) if tier.notna().any() else np.nan
    big = tier >= cut
    per_cust = v.assign(big=big.to_numpy())[tier.notna().to_numpy()].groupby(
        ["manager", "customer"], observed=True).agg(visits=("visits", "sum"),
                                                     big=("big", "first"))
    per_cust["big"] = per_cust["big"].astype(bool)
    g = per_cust.groupby("manager", observed=True)
    big_visits = per_cust["visits"].where(per_cust["big"], 0).groupby(
        "manager", observed=True).sum()
    big_visit_share = _ratio(big_visits, g["visits"].sum())
    big_cust_share = g["big"].mean()
    out["big_visit_ratio"] = _ratio(big_visit_share, big_cust_share).reindex(out.index)
    opened = pd.to_datetime(v["opened_date"])
    new = (opened > pd.to_datetime(v["period"]) - pd.DateOffset(months=new_months)).to_numpy()
    cm = v.assign(new=new).groupby(["manager", "new"], observed=True).agg(
        visits=("visits", "sum"), customers=("customer", "nunique"))
    rate = _ratio(cm["visits"], cm["customers"]).unstack("new")
    if True in rate and False in rate:
        out["new_visit_ratio"] = _ratio(rate[True], rate[False]).reindex(out.index)
    else:
        out["new_visit_ratio"] = np.nan


def _visit_quality(out: pd.DataFrame, r: pd.DataFrame, b: pd.DataFrame) -> None:
    """Visit quality in the recent window (`r`, visit sums per manager) and its change
    from the months before (`b`)."""
    def checks(m: pd.DataFrame) -> pd.Series:
        return _ratio(m["price_tags_ok"] + m["display_ok"] + m["stock_ok"],
                      m["price_tag_checks"] + m["display_checks"] + m["stock_checks"])

    for feature in ("order_rate", "on_site_share", "info_rate", "issue_resolution",
                    "log_timeliness"):
        out[feature] = _kpi_ratio(r, feature)
    out["check_pass"] = checks(r)
    out["issue_resolution_change"] = out["issue_resolution"] - _kpi_ratio(b, "issue_resolution")
    out["check_change"] = out["check_pass"] - checks(b)
    out["info_change"] = out["info_rate"] - _kpi_ratio(b, "info_rate")
    out["log_change"] = out["log_timeliness"] - _kpi_ratio(b, "log_timeliness")


def _results(out: pd.DataFrame, recent: pd.DataFrame, sales_m: pd.DataFrame,
             whole: pd.DataFrame, visits_m: pd.DataFrame, months_recent: int,
             window: Window) -> None:
    """Volume, the book (customers who ordered in the recent window) and how it is served.

    `recent`/`whole`: measures per manager over the recent window / the whole window;
    `sales_m`, `visits_m`: per manager and month."""
    is_recent = window.is_recent(sales_m["period"])
    rec = sales_m[is_recent].groupby("manager")["cases"].mean()
    bas = sales_m[~is_recent].groupby("manager")["cases"].mean()
    out["volume_trend"] = (_ratio(rec, bas) - 1).reindex(out.index)
    out["cultivation_share"] = _ratio(recent["cultivation_lines"], recent["active_lines"])
    book = recent["active_customers"]
    # new: opened since the window began and ordered in it
    out["new_customer_share"] = _ratio(
        whole["new_active_customers"].reindex(out.index).fillna(0), book)
    seen = visits_m.groupby("manager")["customers_visited_any"].sum().reindex(out.index)
    out["visits_per_customer"] = _ratio(recent["visits"], book * months_recent)
    out["coverage"] = _ratio(seen, book * months_recent)


def _retention(sales: pd.DataFrame, window: Window) -> pd.Series:
    """Of the customers a manager's orders came from before the recent window, the share
    who ordered from the same manager in it."""
    ordered = sales[sales["active_lines"] > 0]
    is_recent = window.is_recent(ordered["period"])
    pairs = ["manager", "customer"]
    first = ordered[~is_recent][pairs].drop_duplicates()
    kept = first.merge(ordered[is_recent][pairs].drop_duplicates(), on=pairs)
    before = first.groupby("manager", observed=True).size()
    return _ratio(kept.groupby("manager", observed=True).size().reindex(before.index)
                  .fillna(0), before).rename(index=str)


def _targets(s: Scan, need: set[str]) -> pd.DataFrame:
    """Plan measures per manager and month, for the months with a target row."""
    m = _measures(s, need, "month")
    return m[m[sorted(_PLAN & need)].notna().any(axis=1)]


def _plan(out: pd.DataFrame, recent: pd.DataFrame, t: pd.DataFrame, window: Window) -> None:
    """Plan execution, attainment month by month, forecast bias and the fall within the
    quarter (`t`: plan measures per manager and target month)."""
    cols = ("plan_execution", "forecast_bias", "attainment_base", "attainment_recent",
            "quarter_decay")
    if t.empty:
        for col in cols:
            out[col] = np.nan
        return
    out["plan_execution"] = _kpi_ratio(recent, "plan_execution")
    t = t.assign(attainment=_kpi_ratio(t, "target_attainment"))
    is_recent = window.is_recent(t["period"])
    out["attainment_recent"] = t[is_recent].groupby("manager")["attainment"].mean().reindex(
        out.index)
    out["attainment_base"] = t[~is_recent].groupby("manager")["attainment"].mean().reindex(
        out.index)
    g = t.groupby("manager")
    out["forecast_bias"] = (_ratio(g["forecast_sum"].sum(), g["units"].sum()) - 1).reindex(
        out.index)
    q_month = (pd.to_datetime(t["period"]).dt.month - 1) % 3
    by_q = t.assign(q=q_month).groupby(["manager", "q"])["attainment"].mean().unstack("q")
    if 0 in by_q and 2 in by_q:
        out["quarter_decay"] = (by_q[0] - by_q[2]).reindex(out.index)
    else:
        out["quarter_decay"] = np.nan


def _voice(out: pd.DataFrame, whole: Scan, book: pd.Series, window: Window) -> None:
    """The customers' voice over the window, per 100 customers of the recent book a year."""
    cols = ["complaints_per_100", "mean_rating", "repeat_share", "resolution_days",
            "praise_per_100"]
    fb = whole.facts.get("feedback")
    if fb is None or fb.empty:
        for c in cols:
            out[c] = np.nan
        return
    s = _measures(whole, {"ratings", "rating_sum", "complaints", "complaints_resolved",
                          "resolution_days", "praise"}).reindex(out.index)
    years = len(window.months) / 12
    out["complaints_per_100"] = _ratio(s["complaints"].fillna(0), book) * 100 / years
    out["mean_rating"] = _kpi_ratio(s, "mean_rating")
    out["praise_per_100"] = _ratio(s["praise"].fillna(0), book) * 100 / years
    out["resolution_days"] = _kpi_ratio(s, "complaint_resolution_days")
    per = fb.groupby(["manager", "customer"], observed=True)["complaints"].sum()
    repeat = per[per >= REPEAT_COMPLAINTS].groupby("manager", observed=True).sum()
    out["repeat_share"] = _ratio(repeat.rename(index=str).reindex(out.index).fillna(0),
                                 s["complaints"])


def _rhythm(out: pd.DataFrame, extra: dict[str, pd.DataFrame], window: Window) -> None:
    """Front-loading within the month, end-of-day check-ins, gaps between visits."""
    h = extra["coaching_month_halves"].rename(columns={"manager_id": "manager"})
    s = h.groupby("manager")[["first_visits", "visits", "first_cases", "cases"]].sum()
    front = (_ratio(s["first_visits"], s["visits"]) + _ratio(s["first_cases"], s["cases"])) / 2
    out["front_share"] = front.reindex(out.index)
    c = extra["coaching_checkin_hours"].rename(columns={"manager_id": "manager"})
    c = c[window.is_recent(c["month"])] if not c.empty else c
    out["end_hour"] = c.groupby("manager")["end_hour"].mean().reindex(out.index) \
        if not c.empty else np.nan
    gaps = extra["coaching_visit_gaps"].rename(columns={"manager_id": "manager"})
    gaps = gaps.set_index("manager").reindex(out.index)
    out["long_gap_share"] = _ratio(gaps["long_gaps"], gaps["gaps"])


def _events(out: pd.DataFrame, events: pd.DataFrame, sales_m: pd.DataFrame,
            visits_m: pd.DataFrame, as_of: pd.Timestamp) -> None:
    """The latest negative event in the window and what volume and visits did after it
    (`sales_m`, `visits_m`: cases and visits per manager and month).

    Each month's figure is first divided by the month's index over all reviewed managers
    (so seasonality does not read as a fall); months after the event's month are then
    compared with the months before it.
    """
    for col in ("event_months", "post_event_trend", "post_event_visits", "post_event_decline"):
        out[col] = np.nan
    out["event_kind"] = None
    neg = events[events["kind"].isin(NEGATIVE_EVENTS)].rename(columns={"manager_id": "manager"})
    neg = neg[neg["manager"].isin(out.index)]
    if neg.empty:
        return
    last = neg.sort_values("event_date").groupby("manager").tail(1).set_index("manager")
    month = pd.to_datetime(last["event_date"]).dt.to_period("M").dt.start_time
    out.loc[last.index, "event_kind"] = last["kind"].astype(str)
    out.loc[last.index, "event_months"] = (
        (as_of - pd.to_datetime(last["event_date"])).dt.days / 30.44)
    for col, frame, measure in (("post_event_trend", sales_m, "cases"),
                                ("post_event_visits", visits_m, "visits")):
        m = _seasonal_index(frame, measure, out.index)
        m = m[m["manager"].isin(month.index)]
        m["event"] = m["manager"].map(month)
        after = m[m["period"] > m["event"]].groupby("manager")["adjusted"].mean()
        before = m[m["period"] < m["event"]].groupby("manager")["adjusted"].mean()
        out.loc[month.index, col] = (_ratio(after, before) - 1).reindex(month.index)
    out["post_event_decline"] = out[["post_event_trend", "post_event_visits"]].min(axis=1)


def _seasonal_index(monthly: pd.DataFrame, measure: str, managers: pd.Index) -> pd.DataFrame:
    """manager, period, the measure and the measure ÷ the month's median relative level
    (`monthly`: the measure per manager and month)."""
    m = monthly[monthly["manager"].isin(managers)][["manager", "period", measure]]
    level = m[measure] / m.groupby("manager")[measure].transform("mean")
    index = level.groupby(m["period"]).transform("median")
    return m.assign(adjusted=m[measure] / index.where(index > 0))


def _history(out: pd.DataFrame, scan: Scan, sales_m: pd.DataFrame, window: Window,
             months: int) -> None:
    """Results in the months before the window: the level a complacent manager fell from
    (`sales_m`: cases per manager and month of the window)."""
    start = window.base_start - pd.DateOffset(months=months)
    old = _months(scan, start, window.base_start - pd.Timedelta(days=1), ("sales", "targets"))
    past = _measures(old, {"cases"}, "month").groupby("manager")["cases"].mean()
    now = sales_m[window.is_recent(sales_m["period"])].groupby("manager")["cases"].mean()
    out["volume_vs_history"] = _ratio(now.reindex(out.index), past.reindex(out.index)) - 1
    if old.facts.get("targets") is None or scan.facts["targets"].empty:
        out["attainment_history"] = np.nan
        return
    t = _targets(old, {"sales_target", "target_units_sold"})
    out["attainment_history"] = t.assign(attainment=_kpi_ratio(t, "target_attainment")
                                         ).groupby("manager")["attainment"].mean().reindex(
        out.index)


def add_scores(out: pd.DataFrame, scores: pd.DataFrame, window: Window,
               top_pct: float = 75.0) -> pd.DataFrame:
    """Results (才) and process (德) percentiles over the window, from the assessment scores
    (`manager`, `period`, `talent`, `virtue`), and the share of months in the top on both."""
    s = scores[window.in_window(scores["period"])].copy()
    s["manager"] = s["manager"].astype(str)
    s = s[s["manager"].isin(out.index)]
    s["t"] = s.groupby("period")["talent"].rank(pct=True)
    s["v"] = s.groupby("period")["virtue"].rank(pct=True)
    g = s.groupby("manager")
    out = out.copy()
    out["results_pct"] = g["t"].mean().reindex(out.index)
    out["process_pct"] = g["v"].mean().reindex(out.index)
    top = (s["t"] >= top_pct / 100) & (s["v"] >= top_pct / 100)
    out["top_both_share"] = top.groupby(s["manager"]).mean().reindex(out.index)
    out["results_score"] = g["talent"].mean().reindex(out.index)
    out["process_score"] = g["virtue"].mean().reindex(out.index)
    return out
