"""Behaviour features per manager over the review window (DOMAIN §4), from the cached scan.

One row per reviewed manager; every column is declared in `FEATURES` (label, unit, which
way is "more of the behaviour"). Most come from the KPI scan (manager × customer × month
facts with the customer's tier and opening date); front-loading, end-of-day check-in time,
visit gaps, events and grades come from the coaching queries (`extras`).
Ratios with an empty denominator are NaN: a test on a NaN feature neither passes nor fails.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cmdash.coaching.queries import COACHING_QUERIES
from cmdash.coaching.window import Window
from cmdash.contract import NEGATIVE_EVENTS
from cmdash.engine import Engine
from cmdash.i18n import pick
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


def _by_manager(frame: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    return frame.groupby("manager", observed=True)[cols].sum()


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
    facts = {k: v[window.in_window(v["period"])] for k, v in scan.facts.items()}
    visits, sales = facts["visits"], facts["sales"]
    recent_v = visits[window.is_recent(visits["period"])]
    staying = people["left_date"].isna() | (pd.to_datetime(people["left_date"]) >= window.as_of)
    reviewed = people.index[~people["is_lead"].astype(bool) & staying]
    active = recent_v.groupby("manager", observed=True)["visits"].sum()
    reviewed = reviewed.intersection(active[active > 0].index.astype(str))
    out = pd.DataFrame(index=pd.Index(sorted(reviewed), name="manager"))
    attrs = scan.managers.set_index("manager")
    out["region"] = attrs["region"].reindex(out.index)
    out["district"] = attrs["district"].reindex(out.index)

    tiers = tiers or tier_order(visits["tier"].astype("object").unique())
    _visit_mix(out, recent_v, window, big_tier_pct, new_customer_months, tiers)
    _visit_quality(out, visits, window)
    _results(out, sales, facts.get("targets"), window)
    _history(out, scan, window, history_months)
    _voice(out, facts.get("feedback"), recent_v, window)
    _rhythm(out, extra, window)
    _events(out, extra["coaching_events"], sales, visits, window.as_of)
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


def _visit_quality(out: pd.DataFrame, visits: pd.DataFrame, window: Window) -> None:
    recent = visits[window.is_recent(visits["period"])]
    base = visits[~window.is_recent(visits["period"])]
    cols = ["visits", "on_site_visits", "planned_visits", "order_flagged", "visits_with_order",
            "price_tag_checks", "price_tags_ok", "display_checks", "display_ok",
            "stock_checks", "stock_ok", "info_flagged", "info_collected", "issues_raised",
            "issues_resolved", "logs_on_time"]
    r = _by_manager(recent, cols).reindex(out.index)
    b = _by_manager(base, cols).reindex(out.index)
    out["order_rate"] = _ratio(r["visits_with_order"], r["order_flagged"])
    out["on_site_share"] = _ratio(r["on_site_visits"], r["visits"])
    out["check_pass"] = _ratio(r["price_tags_ok"] + r["display_ok"] + r["stock_ok"],
                               r["price_tag_checks"] + r["display_checks"] + r["stock_checks"])
    out["info_rate"] = _ratio(r["info_collected"], r["info_flagged"])
    out["issue_resolution"] = _ratio(r["issues_resolved"], r["issues_raised"])
    out["issue_resolution_change"] = out["issue_resolution"] - _ratio(
        b["issues_resolved"], b["issues_raised"])
    out["check_change"] = out["check_pass"] - _ratio(
        b["price_tags_ok"] + b["display_ok"] + b["stock_ok"],
        b["price_tag_checks"] + b["display_checks"] + b["stock_checks"])
    out["info_change"] = out["info_rate"] - _ratio(b["info_collected"], b["info_flagged"])
    out["log_timeliness"] = _ratio(r["logs_on_time"], r["visits"])
    out["log_change"] = out["log_timeliness"] - _ratio(b["logs_on_time"], b["visits"])
    out["_planned_visits"] = r["planned_visits"]
    months = recent.groupby(["manager", "period"], observed=True)["customer"].nunique()
    out["_visited_customer_months"] = months.groupby("manager", observed=True).sum().reindex(
        out.index)
    out["_recent_visits"] = r["visits"]


def _results(out: pd.DataFrame, sales: pd.DataFrame, targets: pd.DataFrame | None,
             window: Window) -> None:
    is_recent = window.is_recent(sales["period"])
    monthly = sales.groupby(["manager", "period"], observed=True)[
        ["cases", "units", "cultivation_lines", "active_lines"]].sum().reset_index()
    monthly = monthly[monthly["manager"].astype(str).isin(out.index)]
    rec = monthly[window.is_recent(monthly["period"])].groupby("manager", observed=True)
    bas = monthly[~window.is_recent(monthly["period"])].groupby("manager", observed=True)
    out["volume_trend"] = (_ratio(rec["cases"].mean(), bas["cases"].mean()) - 1).reindex(
        out.index)
    r = sales[is_recent].groupby("manager", observed=True)[
        ["cultivation_lines", "active_lines"]].sum().reindex(out.index)
    out["cultivation_share"] = _ratio(r["cultivation_lines"], r["active_lines"])
    # the book: customers who ordered or were visited in the recent window
    book = sales[is_recent & (sales["active_lines"] > 0)].groupby(
        "manager", observed=True)["customer"].nunique().reindex(out.index)
    out["_book"] = book
    opened = pd.to_datetime(sales["opened_date"])
    new = sales[(opened >= window.base_start) & (sales["active_lines"] > 0)]
    out["new_customer_share"] = _ratio(
        new.groupby("manager", observed=True)["customer"].nunique().reindex(out.index).fillna(0),
        book)
    first = sales[~is_recent & (sales["active_lines"] > 0)][["manager", "customer"]]
    last = sales[is_recent & (sales["active_lines"] > 0)][["manager", "customer"]]
    kept = first.drop_duplicates().merge(last.drop_duplicates(), on=["manager", "customer"])
    out["retention"] = _ratio(
        kept.groupby("manager", observed=True).size().reindex(out.index).fillna(0),
        first.drop_duplicates().groupby("manager", observed=True).size().reindex(out.index))
    months_recent = len(window.months[window.months >= window.recent_start])
    out["visits_per_customer"] = _ratio(out["_recent_visits"], out["_book"] * months_recent)
    out["coverage"] = _ratio(out["_visited_customer_months"], out["_book"] * months_recent)
    if targets is None or targets.empty:
        for col in ("plan_execution", "forecast_bias", "attainment_base",
                    "attainment_recent", "quarter_decay"):
            out[col] = np.nan
        return
    t = targets.groupby(["manager", "period"], observed=True)[
        ["sales_target", "forecast", "visit_target"]].sum(min_count=1).reset_index()
    t = t.merge(monthly[["manager", "period", "units"]], on=["manager", "period"], how="left")
    t = t[t["manager"].astype(str).isin(out.index)]
    t["attainment"] = _ratio(t["units"].fillna(0), t["sales_target"])
    recent = window.is_recent(t["period"])
    tg = t[recent].groupby("manager", observed=True)
    out["plan_execution"] = _ratio(out["_planned_visits"],
                                   tg["visit_target"].sum().reindex(out.index))
    out["attainment_recent"] = tg["attainment"].mean().reindex(out.index)
    out["attainment_base"] = t[~recent].groupby("manager", observed=True)[
        "attainment"].mean().reindex(out.index)
    all_t = t.groupby("manager", observed=True)
    out["forecast_bias"] = (_ratio(all_t["forecast"].sum(), all_t["units"].sum()) - 1).reindex(
        out.index)
    q_month = (pd.to_datetime(t["period"]).dt.month - 1) % 3
    by_q = t.assign(q=q_month).groupby(["manager", "q"], observed=True)[
        "attainment"].mean().unstack("q")
    if 0 in by_q and 2 in by_q:
        out["quarter_decay"] = (by_q[0] - by_q[2]).reindex(out.index)
    else:
        out["quarter_decay"] = np.nan


def _voice(out: pd.DataFrame, fb: pd.DataFrame | None, recent_v: pd.DataFrame,
           window: Window) -> None:
    cols = ["complaints_per_100", "mean_rating", "repeat_share", "resolution_days",
            "praise_per_100"]
    if fb is None or fb.empty:
        for c in cols:
            out[c] = np.nan
        return
    g = fb.groupby("manager", observed=True)
    s = g[["ratings", "rating_sum", "complaints", "complaints_resolved", "resolution_days",
           "praise"]].sum().reindex(out.index)
    years = len(window.months) / 12
    out["complaints_per_100"] = _ratio(s["complaints"].fillna(0), out["_book"]) * 100 / years
    out["mean_rating"] = _ratio(s["rating_sum"], s["ratings"])
    out["praise_per_100"] = _ratio(s["praise"].fillna(0), out["_book"]) * 100 / years
    out["resolution_days"] = _ratio(s["resolution_days"], s["complaints_resolved"])
    per = fb.groupby(["manager", "customer"], observed=True)["complaints"].sum()
    repeat = per[per >= 2].groupby("manager", observed=True).sum()
    out["repeat_share"] = _ratio(repeat.reindex(out.index).fillna(0), s["complaints"])


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


def _events(out: pd.DataFrame, events: pd.DataFrame, sales: pd.DataFrame,
            visits: pd.DataFrame, as_of: pd.Timestamp) -> None:
    """The latest negative event in the window and what volume and visits did after it.

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
    for col, frame, measure in (("post_event_trend", sales, "cases"),
                                ("post_event_visits", visits, "visits")):
        m = _seasonal_index(frame, measure, out.index)
        m = m[m["manager"].isin(month.index)]
        m["event"] = m["manager"].map(month)
        after = m[m["period"] > m["event"]].groupby("manager")["adjusted"].mean()
        before = m[m["period"] < m["event"]].groupby("manager")["adjusted"].mean()
        out.loc[month.index, col] = (_ratio(after, before) - 1).reindex(month.index)
    out["post_event_decline"] = out[["post_event_trend", "post_event_visits"]].min(axis=1)


def _seasonal_index(frame: pd.DataFrame, measure: str, managers: pd.Index) -> pd.DataFrame:
    """manager, period, the measure and the measure ÷ the month's median relative level."""
    m = frame.groupby(["manager", "period"], observed=True)[measure].sum().reset_index()
    m["manager"] = m["manager"].astype(str)
    m = m[m["manager"].isin(managers)]
    level = m[measure] / m.groupby("manager")[measure].transform("mean")
    index = level.groupby(m["period"]).transform("median")
    m["adjusted"] = m[measure] / index.where(index > 0)
    return m


def _history(out: pd.DataFrame, scan: Scan, window: Window, months: int) -> None:
    """Results in the months before the window: the level a complacent manager fell from."""
    start = window.base_start - pd.DateOffset(months=months)
    sales = scan.facts["sales"]
    old = sales[(sales["period"] >= start) & (sales["period"] < window.base_start)]
    monthly = old.groupby(["manager", "period"], observed=True)[["cases", "units"]].sum()
    monthly = monthly.reset_index()
    monthly["manager"] = monthly["manager"].astype(str)
    past = monthly.groupby("manager")["cases"].mean().reindex(out.index)
    recent = sales[window.is_recent(sales["period"]) & (sales["period"] <= window.as_of)]
    now = recent.groupby(["manager", "period"], observed=True)["cases"].sum().reset_index()
    now["manager"] = now["manager"].astype(str)
    out["volume_vs_history"] = _ratio(now.groupby("manager")["cases"].mean().reindex(
        out.index), past) - 1
    targets = scan.facts.get("targets")
    if targets is None or targets.empty:
        out["attainment_history"] = np.nan
        return
    t = targets[(targets["period"] >= start) & (targets["period"] < window.base_start)]
    t = t.groupby(["manager", "period"], observed=True)["sales_target"].sum().reset_index()
    t["manager"] = t["manager"].astype(str)
    t = t.merge(monthly, on=["manager", "period"], how="left")
    t["attainment"] = _ratio(t["units"].fillna(0), t["sales_target"])
    out["attainment_history"] = t.groupby("manager")["attainment"].mean().reindex(out.index)


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


def tidy(out: pd.DataFrame) -> pd.DataFrame:
    """Drop the helper columns (leading underscore)."""
    return out.drop(columns=[c for c in out.columns if c.startswith("_")])
