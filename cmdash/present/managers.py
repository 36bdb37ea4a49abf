"""The managers table: every manager in scope with the chosen KPIs, score and rank."""

from __future__ import annotations

import pandas as pd

from cmdash.i18n import t
from cmdash.kpi.catalog import KPIS
from cmdash.numbers import round_frame
from cmdash.present.labels import grade_label, kpi_header


def manager_table(values: pd.DataFrame, scores: pd.DataFrame, directory: pd.DataFrame,
                  kpi_ids: list[str], lang: str, trade: str = "general") -> pd.DataFrame:
    """One row per manager, headed in the viewer's language; exported exactly as shown.
    Numbers are rounded to their unit's decimals; `attrs["units"]` maps each number
    column's header to its unit (for the page's and Excel's number formats)."""
    info = directory.rename(columns={"manager_id": "manager"})[
        ["manager", "name", "region", "district", "grade", "status"]]
    total = scores.groupby("manager", observed=True)["total"].mean().rename("total")
    table = values[["manager", *[k for k in kpi_ids if k in values]]].merge(
        info, on="manager", how="left").join(total, on="manager")
    table["rank"] = table["total"].rank(ascending=False, method="min").astype("Int64")
    table = table.sort_values(["rank", "manager"], na_position="last")
    headers = {
        "manager": t("managers.id", lang), "name": t("overview.name", lang),
        "region": t("filter.region", lang), "district": t("filter.district", lang),
        "grade": t("managers.grade", lang), "status": t("managers.status", lang),
        "total": t("overview.total", lang), "rank": t("overview.rank", lang),
        **{k: kpi_header(k, lang, trade) for k in kpi_ids},
    }
    order = ["rank", "manager", "name", "region", "district", "grade", "status", "total",
             *[k for k in kpi_ids if k in table]]
    table["grade"] = table["grade"].map(lambda g: grade_label(g, lang))
    table["status"] = table["status"].map(
        lambda s: t(f"managers.status.{s}", lang) if s in ("active", "left") else s)
    table = table[order].rename(columns=headers).reset_index(drop=True)
    units = {headers["total"]: "score", **{headers[k]: KPIS[k].unit for k in kpi_ids
                                          if k in KPIS and headers[k] in table}}
    table = round_frame(table, units)
    table.attrs["units"] = units
    return table

