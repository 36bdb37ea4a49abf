"""How KPIs can be cut: groupings (org, customer, product) and periods, declared once."""

from __future__ import annotations

from dataclasses import dataclass

from cmdash.i18n import pick


@dataclass(frozen=True)
class Dimension:
    id: str
    expr: str  # SQL over the fact's joins; `{a}` is the fact's alias
    label_zh: str
    label_en: str

    def label(self, lang: str) -> str:
        return pick(self.label_zh, self.label_en, lang)


DIMENSIONS: dict[str, Dimension] = {
    d.id: d
    for d in (
        Dimension("company", "'all'", "全公司", "Company"),
        Dimension("region", "m.region", "地市", "City"),
        Dimension("district", "m.district", "片区", "District"),
        Dimension("manager", "{a}.manager_id", "客户经理", "Manager"),
        Dimension("tier", "c.tier", "客户档位", "Customer tier"),
        Dimension("format", "c.format", "业态", "Format"),
        Dimension("area_type", "c.area_type", "城乡", "Area type"),
        Dimension("customer", "{a}.customer_id", "客户", "Customer"),
        Dimension("product", "p.product_id", "规格", "Product"),
        Dimension("brand", "p.brand", "品牌", "Brand"),
        Dimension("price_tier", "p.price_tier", "价类", "Price tier"),
    )
}

#: The org drill-down, top to bottom.
ORG_LEVELS = ("region", "district", "manager")


@dataclass(frozen=True)
class Period:
    id: str
    expr: str  # SQL giving the period's first day from the date expression `{d}`
    offset: str  # pandas offset alias to the next period's first day
    label_zh: str
    label_en: str
    per_year: int  # periods in a year: the lag for "same period last year"


PERIODS: dict[str, Period] = {
    p.id: p
    for p in (
        Period("day", "CAST({d} AS DATE)", "D", "日", "Day", 365),
        Period("week", "CAST(date_trunc('week', {d}) AS DATE)", "W-MON", "周", "Week", 52),
        Period("month", "CAST(date_trunc('month', {d}) AS DATE)", "MS", "月", "Month", 12),
        Period("quarter", "CAST(date_trunc('quarter', {d}) AS DATE)", "QS", "季度", "Quarter", 4),
        Period(
            "half",
            "make_date(year({d}), CASE WHEN month({d}) <= 6 THEN 1 ELSE 7 END, 1)",
            "6MS", "半年", "Half-year", 2,
        ),
        Period("year", "CAST(date_trunc('year', {d}) AS DATE)", "YS", "年", "Year", 1),
        Period("all", "CAST($start AS DATE)", "", "全期", "Whole range", 0),
    )
}
