"""KPI wording per trade (issue 16): a tobacco dataset reads 新增零售户, not 新建客户."""

from __future__ import annotations

from cmdash.kpi.catalog import KPIS
from cmdash.kpi.wording import WORDS, kpi_label, trade_of
from cmdash.present.labels import kpi_header


def test_trade_from_the_setting_or_the_products() -> None:
    assert trade_of("auto", 46) == "tobacco"  # products give 条 per 箱
    assert trade_of("auto", 0) == "general"
    assert trade_of("general", 46) == "general"  # the setting wins
    assert trade_of("tobacco", 0) == "tobacco"


def test_tobacco_and_neutral_words() -> None:
    assert kpi_label("new_customers", "zh", "tobacco") == "新增零售户"
    assert kpi_label("new_customers", "zh", "general") == "新增客户"
    assert kpi_header("new_customer_attainment", "zh", "tobacco") == "新零售户目标完成率（%）"
    assert kpi_label("sales_cases", "en", "tobacco") == KPIS["sales_cases"].label("en")
    for words in WORDS.values():  # every override names a KPI and differs from the catalog
        for k, (zh, en) in words.items():
            assert k in KPIS and (zh, en) != (KPIS[k].label_zh, KPIS[k].label_en)
