"""The retention page's frames and words: volume at risk by org level, risk bands, the
visit plan and the manager table, reasons and the training plan in the viewer's language."""

from __future__ import annotations

import pandas as pd

from cmdash.i18n import t
from cmdash.numbers import round_frame
from cmdash.retention.plan import RHYTHM, TrainingPlan


def org_tree(customers: pd.DataFrame) -> pd.DataFrame:
    """id, label, parent, value: volume at risk (条) by region → district → manager.

    One group-by over the customers, to managers; districts and regions are summed from
    that small frame (the page draws this on every run, for tens of thousands of rows)."""
    keys = ["region", "district", "manager_id"]
    m = customers.groupby(keys, observed=True).agg(
        value=("volume_at_risk", "sum"), name=("manager_name", "first")).reset_index()
    region = m["region"].astype(str).to_numpy(object)
    district = region + "/" + m["district"].astype(str).to_numpy(object)
    manager = district + "/" + m["manager_id"].astype(str).to_numpy(object)
    label = m["name"].astype(object).where(m["name"].notna(), m["manager_id"].astype(object))
    levels = [pd.DataFrame({"id": manager, "label": label.to_numpy(object), "parent": district,
                            "value": m["value"].to_numpy()})]
    for ids, labels, parents in ((district, m["district"], region), (region, m["region"], "")):
        g = pd.DataFrame({"id": ids, "label": labels.astype(object).to_numpy(object),
                          "parent": parents, "value": m["value"].to_numpy()})
        levels.insert(0, g.groupby("id", sort=True, as_index=False).agg(
            label=("label", "first"), parent=("parent", "first"), value=("value", "sum")))
    return pd.concat(levels, ignore_index=True)[["id", "label", "parent", "value"]]


def visit_plan(customers: pd.DataFrame, manager_id: str, cutoff: float, lang: str
               ) -> pd.DataFrame:
    """The manager's customers at or above the cut-off, riskiest first, columns in `lang`."""
    mine = customers[(customers["manager_id"] == manager_id) & (customers["risk"] >= cutoff)]
    reasons = [words(keys, row, lang) for keys, (_, row) in
               zip(mine["reason_keys"], mine.iterrows(), strict=True)]
    out = pd.DataFrame({
        t("retention.col.customer", lang): mine["customer_id"],
        t("retention.col.name", lang): mine["name"],
        t("retention.col.risk", lang): mine["risk"],
        t("retention.col.baseline", lang): mine["baseline_risk"],
        t("retention.col.reasons", lang): reasons,
        t("retention.col.last_order", lang): mine["last_order"].dt.date,
        t("retention.col.last_visit", lang): mine["last_visit"].dt.date,
        t("retention.col.next_visit", lang): mine["next_visit"].dt.date,
        t("retention.col.expected", lang): mine["expected_units"],
    })
    return _in_units(out.reset_index(drop=True), {
        t("retention.col.risk", lang): "share", t("retention.col.baseline", lang): "share",
        t("retention.col.expected", lang): "units"})


def _in_units(table: pd.DataFrame, units: dict[str, str]) -> pd.DataFrame:
    """Rounded to each unit's decimals, with `attrs["units"]` for the page's and Excel's
    number formats (a risk of 0.893 shows as 89.3%, volumes in 条 with separators)."""
    table = round_frame(table, units)
    table.attrs["units"] = units
    return table


def manager_table(managers: pd.DataFrame, names: pd.DataFrame, lang: str) -> pd.DataFrame:
    m = managers.merge(names[["manager_id", "name", "region", "district"]], on="manager_id",
                       how="left")
    sep = t("sep.items", lang)
    table = pd.DataFrame({
        t("retention.col.manager", lang): m["name"].fillna("") + " (" + m["manager_id"] + ")",
        t("retention.col.region", lang): m["region"],
        t("retention.col.district", lang): m["district"],
        t("retention.col.risk", lang): m["risk"],
        t("retention.col.customers", lang): m["customers"].astype(int),
        t("retention.col.exposure", lang): m["exposure_volume"],
        t("retention.col.reasons", lang): [sep.join(t(f"retention.signal.{k}", lang)
                                                    for k in keys)
                                           for keys in m["reason_keys"]],
    })
    return _in_units(table, {t("retention.col.risk", lang): "share",
                             t("retention.col.exposure", lang): "units"})


#: risk bands relative to the cut-off: (id, lower end as a share of the cut-off)
RISK_BANDS = (("low", 0.0), ("watch", 0.5), ("high", 1.0))


def risk_bands(risk: pd.Series, cutoff: float) -> pd.DataFrame:
    """Customers per risk band: below half the cut-off (low), up to the cut-off (watch), at
    or above it (high, the visit plan's list). band, low, high, customers."""
    edges = [share * cutoff for _, share in RISK_BANDS] + [float("inf")]
    values = risk.dropna().astype("float64")
    rows = []
    for i, (band, _) in enumerate(RISK_BANDS):
        inside = (values >= edges[i]) & (values < edges[i + 1])
        rows.append({"band": band, "low": edges[i], "high": edges[i + 1],
                     "customers": int(inside.sum())})
    return pd.DataFrame(rows)


def _num(value: object, digits: int = 0) -> str:
    if value is None or pd.isna(value):
        return "—"
    return f"{float(value):,.{digits}f}"


def describe(key: str, row: pd.Series, lang: str) -> str:
    """One reason in words, with the customer's own numbers."""
    get = row.get
    if key == "recency":
        return t("retention.reason.recency", lang, days=_num(get("recency_days")),
                 gap=_num(get("usual_gap"), 0))
    if key in ("frequency", "volume"):
        col = "frequency_trend" if key == "frequency" else "volume_trend"
        return t(f"retention.reason.{key}", lang, pct=_num(100 * (get(col) or 0)))
    if key == "value":
        return t("retention.reason.value", lang, units=_num(get("units_month"), 0))
    if key == "handover" and get("no_handover_visit", 0) > 0:
        return t("retention.reason.no_handover", lang)
    if key == "visits":
        return t("retention.reason.visits", lang, days=_num(get("days_since_visit")))
    if key == "issues":
        return t("retention.reason.issues", lang, n=_num(get("issues_open")))
    if key == "complaints":
        return t("retention.reason.complaints", lang, n=_num(get("complaints_recent")),
                 open=_num(get("complaints_open")))
    if key == "ratings":
        return t("retention.reason.ratings", lang, score=_num(get("rating_recent"), 1))
    return t(f"retention.reason.{key}", lang)


def words(keys: tuple[str, ...], row: pd.Series, lang: str) -> str:
    sep = t("sep.items", lang)
    return sep.join(describe(k, row, lang) for k in keys)


def plan_note(plan: TrainingPlan, lang: str) -> str:
    """The one line said on stderr and on the page: how the model was trained."""
    if plan.method == RHYTHM:
        return t("retention.plan.rhythm", lang, asked=plan.asked_horizon_days,
                 days=plan.history_days)
    key = "retention.plan.shortened" if plan.shortened else "retention.plan.model"
    return t(key, lang, days=plan.horizon_days, dates=len(plan.dates),
             asked=plan.asked_horizon_days)
