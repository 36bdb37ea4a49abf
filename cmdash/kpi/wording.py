"""KPI wording per trade: the catalog's labels are neutral or bank-flavoured (新建客户); a
tobacco dataset reads them in its own words (新增零售户).

The trade is the `dataset.trade` setting; `auto` (the default) reads it from the data: a
products table that gives `units_per_case` (条 per 箱) for any product is a tobacco one
(banks and brokerages have no cases), anything else is `general`.
"""

from __future__ import annotations

from cmdash.i18n import pick

TRADES = ("auto", "tobacco", "general")

#: trade -> kpi id -> (zh, en); KPIs not listed keep the catalog's label
WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "tobacco": {
        "new_customers": ("新增零售户", "New retailers"),
        "new_active_customers": ("新零售户订货", "New retailers who ordered"),
        "new_customer_attainment": ("新零售户目标完成率", "New-retailer attainment"),
        "active_customers": ("订货零售户", "Ordering retailers"),
        "lost_customers": ("流失零售户", "Retailers lost"),
        "retention_rate": ("零售户留存率", "Retailer retention"),
    },
    "general": {
        "new_customers": ("新增客户", "New customers"),
    },
}


def trade_of(setting: str, units_per_case_given: int) -> str:
    """The dataset's trade: the setting, or for `auto` tobacco when any product gives
    units per case."""
    if setting in ("tobacco", "general"):
        return setting
    return "tobacco" if units_per_case_given > 0 else "general"


def kpi_label(kpi_id: str, lang: str, trade: str = "general") -> str:
    from cmdash.kpi.catalog import KPIS

    zh_en = WORDS.get(trade, {}).get(kpi_id)
    if zh_en is None:
        return KPIS[kpi_id].label(lang)
    return pick(zh_en[0], zh_en[1], lang)
