"""Roll-ups of the risk table for the page: volume at risk by org level, a visit plan."""

from __future__ import annotations

import pandas as pd

from cmdash.i18n import t
from cmdash.retention.reasons import words


def org_tree(customers: pd.DataFrame) -> pd.DataFrame:
    """id, label, parent, value: volume at risk (条) by region → district → manager."""
    c = customers.assign(manager=customers["manager_name"].fillna(customers["manager_id"]))
    rows = []
    for keys, label_col in ((["region"], "region"), (["region", "district"], "district"),
                            (["region", "district", "manager_id"], "manager")):
        g = c.groupby(keys, as_index=False, observed=True).agg(
            value=("volume_at_risk", "sum"), label=(label_col, "first"))
        g["id"] = g[keys].astype(str).agg("/".join, axis=1)
        g["parent"] = (g[keys[:-1]].astype(str).agg("/".join, axis=1) if len(keys) > 1
                       else "")
        rows.append(g[["id", "label", "parent", "value"]])
    return pd.concat(rows, ignore_index=True)


def visit_plan(customers: pd.DataFrame, manager_id: str, cutoff: float, lang: str
               ) -> pd.DataFrame:
    """The manager's customers at or above the cut-off, riskiest first, columns in `lang`."""
    mine = customers[(customers["manager_id"] == manager_id) & (customers["risk"] >= cutoff)]
    reasons = [words(keys, row, lang) for keys, (_, row) in
               zip(mine["reason_keys"], mine.iterrows(), strict=True)]
    out = pd.DataFrame({
        t("retention.col.customer", lang): mine["customer_id"],
        t("retention.col.name", lang): mine["name"],
        t("retention.col.risk", lang): mine["risk"].round(3),
        t("retention.col.baseline", lang): mine["baseline_risk"].round(3),
        t("retention.col.reasons", lang): reasons,
        t("retention.col.last_order", lang): mine["last_order"].dt.date,
        t("retention.col.last_visit", lang): mine["last_visit"].dt.date,
        t("retention.col.next_visit", lang): mine["next_visit"].dt.date,
        t("retention.col.expected", lang): mine["expected_units"].round(2),
    })
    return out.reset_index(drop=True)


def manager_table(managers: pd.DataFrame, names: pd.DataFrame, lang: str) -> pd.DataFrame:
    m = managers.merge(names[["manager_id", "name", "region", "district"]], on="manager_id",
                       how="left")
    sep = "；" if lang != "en" else "; "
    return pd.DataFrame({
        t("retention.col.manager", lang): m["name"].fillna("") + " (" + m["manager_id"] + ")",
        t("retention.col.region", lang): m["region"],
        t("retention.col.district", lang): m["district"],
        t("retention.col.risk", lang): m["risk"].round(3),
        t("retention.col.customers", lang): m["customers"].astype(int),
        t("retention.col.exposure", lang): m["exposure_volume"].round(1),
        t("retention.col.reasons", lang): [sep.join(t(f"retention.signal.{k}", lang)
                                                    for k in keys)
                                           for keys in m["reason_keys"]],
    })
