"""The data contract (v1) as data: the tables cmdash reads, their columns and keys.

The demo generator writes these schemas, the validator enforces them and the query layer
projects them, so a column is declared here once and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

CONTRACT_VERSION = 1

#: Arrow logical type names used in the contract, mapped to the Arrow type we write.
ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us"),
    "double": pa.float64(),
    "int16": pa.int16(),
    "int32": pa.int32(),
    "bool": pa.bool_(),
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a key of ARROW_TYPES
    optional: bool = False  # may be absent or null
    label_zh: str = ""
    label_en: str = ""
    choices: tuple[str, ...] = ()  # allowed values, when the contract lists them
    note: str = ""  # what the column means, for docs/DATA-CONTRACT.md


@dataclass(frozen=True)
class ForeignKey:
    column: str
    table: str  # referenced table; its primary key is the target


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: str | None = None
    foreign_keys: tuple[ForeignKey, ...] = ()
    optional_table: bool = False  # may be missing from the folder entirely
    label_zh: str = ""
    label_en: str = ""
    date_columns: tuple[str, ...] = field(default=())
    description: str = ""  # what one row is, for docs/DATA-CONTRACT.md
    note: str = ""  # how the table is used, when a column list does not say it

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if not c.optional]

    def arrow_schema(self) -> pa.Schema:
        return pa.schema(
            [pa.field(c.name, ARROW_TYPES[c.type], nullable=True) for c in self.columns]
        )


def _c(name: str, type_: str, zh: str, en: str, *, opt: bool = False, choices=(),
       note: str = "") -> Column:
    return Column(name, type_, opt, zh, en, tuple(choices), note)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "managers",
            (
                _c("manager_id", "string", "客户经理编号", "Manager ID"),
                _c("name", "string", "姓名", "Name",
                   note="display name (Chinese names are normal)"),
                _c("region", "string", "地市", "City",
                   note="top of the org drill-down (公司/地市/分行)"),
                _c("district", "string", "片区", "District",
                   note="片区 / 市场部 / 支行: the manager's team; drill-down level 2"),
                _c("supervisor_id", "string", "市场经理", "Supervisor", opt=True,
                   note="the 市场经理 / team lead who coaches this manager"),
                _c("grade", "string", "职级", "Grade",
                   note=("current grade on the company's ladder (e.g. 见习, 初级, 中级, 高级, "
                         "资深)")),
                _c("hire_date", "date", "入职日期", "Hire date"),
                _c("birth_year", "int16", "出生年份", "Birth year", opt=True,
                   note="gives the cohort (65后, 85后 …)"),
                _c("education", "string", "学历", "Education", opt=True,
                   note="大专, 本科, 硕士 …"),
                _c("prior_role", "string", "原岗位", "Prior role", opt=True,
                   note="访销, 送货, 市管 … (the post held before)"),
                _c("status", "string", "状态", "Status", choices=("active", "left")),
                _c("left_date", "date", "离职日期", "Left date", opt=True,
                   note="set when status is `left`"),
            ),
            primary_key="manager_id",
            label_zh="客户经理",
            label_en="Managers",
            description="one row per 客户经理 (customer manager), past and present",
        ),
        Table(
            "customers",
            (
                _c("customer_id", "string", "客户编号", "Customer ID"),
                _c("name", "string", "客户名称", "Name"),
                _c("manager_id", "string", "客户经理", "Manager",
                   note="current owner"),
                _c("district", "string", "片区", "District"),
                _c("tier", "string", "档位", "Tier",
                   note=("the company's customer grade (档位 such as A/B/C/D or 1–30; "
                         "VIP/高端/大众). Order: numbers higher = larger, A the largest, "
                         "named grades by the setting `tiers.named_order`; detected per"
                         " dataset (validator note), `tiers.encoding` overrides")),
                _c("format", "string", "业态", "Format", opt=True,
                   note="业态: 便利店, 超市, 烟酒店, 食杂店 …; or 对私/对公"),
                _c("area_type", "string", "城乡", "Area type", opt=True,
                   note="城镇 / 乡村"),
                _c("opened_date", "date", "建户日期", "Opened",
                   note="customer since"),
                _c("closed_date", "date", "销户日期", "Closed", opt=True,
                   note="licence cancelled, account closed"),
                _c("is_sample_store", "bool", "样本店", "Sample store", opt=True,
                   note="a 样本店 used for demand forecasting"),
            ),
            primary_key="customer_id",
            foreign_keys=(ForeignKey("manager_id", "managers"),),
            label_zh="客户",
            label_en="Customers",
            description="one row per customer (零售户 retailer, or bank/brokerage client)",
        ),
        Table(
            "products",
            (
                _c("product_id", "string", "商品编号", "Product ID"),
                _c("name", "string", "规格名称", "Name"),
                _c("brand", "string", "品牌", "Brand"),
                _c("price_tier", "string", "价类", "Price tier",
                   note="一类 … 五类, or 高档/中档/低档"),
                _c("unit_price", "double", "单价（元/条）", "Unit price (yuan)",
                   note="元 per unit (per 条 for cigarettes)"),
                _c("is_cultivation_brand", "bool", "培育品牌", "Cultivation brand",
                   note="in the 品牌培育 (brand cultivation) list"),
                # 1 标准箱 = 250 条 (50 条 is one 件); absent: volume stays in the product's unit
                _c("units_per_case", "double", "每箱条数", "Units per case", opt=True,
                   note=("250 for cigarettes (1 标准箱 = 250 条 = 50,000 支; 50 条 is one 件);"
                         " absent: volume is shown in the product's own unit, never as "
                         "箱")),
            ),
            primary_key="product_id",
            label_zh="商品",
            label_en="Products",
        ),
        Table(
            "sales",
            (
                _c("order_id", "string", "订单号", "Order ID",
                   note="an order has one or more lines"),
                _c("order_date", "date", "订货日期", "Order date"),
                _c("customer_id", "string", "客户", "Customer"),
                _c("manager_id", "string", "客户经理", "Manager",
                   note=("the manager credited at the time of the order (may differ "
                         "from today's owner)")),
                _c("product_id", "string", "商品", "Product"),
                _c("quantity", "double", "数量（条）", "Quantity (units)",
                   note="units (条) supplied; returns are negative lines"),
                _c("amount", "double", "金额（元）", "Amount (yuan)",
                   note="元"),
                _c("ordered_quantity", "double", "订货需求（条）", "Ordered quantity (units)",
                   opt=True,
                   note=("units the retailer asked for (订单需求), for 订单满足率 = supplied ÷ "
                         "ordered")),
            ),
            foreign_keys=(
                ForeignKey("customer_id", "customers"),
                ForeignKey("manager_id", "managers"),
                ForeignKey("product_id", "products"),
            ),
            label_zh="订单明细",
            label_en="Sales lines",
            description="one row per order line",
        ),
        Table(
            "visits",
            (
                _c("visit_id", "string", "拜访编号", "Visit ID"),
                _c("manager_id", "string", "客户经理", "Manager"),
                _c("customer_id", "string", "客户", "Customer"),
                _c("visit_start", "timestamp", "拜访时间", "Visit start",
                   note="local time, no zone"),
                _c("duration_min", "double", "时长（分钟）", "Duration (min)", opt=True),
                _c("channel", "string", "方式", "Channel", choices=("on_site", "phone", "online"),
                   note="`on_site` (上门), `phone` (电话), `online` (QQ/微信/网络)"),
                _c("planned", "bool", "计划内", "Planned", opt=True,
                   note="was it in the monthly visit plan (拜访计划)"),
                _c("accompanied_by", "string", "陪同人", "Accompanied by", opt=True,
                   note="manager_id of a supervisor on a 陪同拜访"),
                _c("order_taken", "bool", "促成订单", "Order taken", opt=True,
                   note="an order resulted from the visit"),
                _c("price_tags_ok", "bool", "标价签合格", "Price tags OK", opt=True,
                   note="标价签 correct and complete"),
                _c("display_ok", "bool", "陈列合格", "Display OK", opt=True,
                   note="陈列/出样 correct"),
                _c("stock_ok", "bool", "库存合理", "Stock OK", opt=True,
                   note="stock at or above the safety stock (安全库存)"),
                _c("info_collected", "bool", "信息采集", "Info collected", opt=True,
                   note="market information / 信息采集 recorded"),
                _c("issues_raised", "int16", "提出问题数", "Issues raised", opt=True,
                   note="customer problems raised at the visit"),
                _c("issues_resolved", "int16", "解决问题数", "Issues resolved", opt=True,
                   note="of those, resolved"),
                _c("log_submitted_at", "timestamp", "日志提交时间", "Log filed at", opt=True,
                   note="when the visit record / 工作日志 was filed"),
            ),
            primary_key="visit_id",
            foreign_keys=(
                ForeignKey("manager_id", "managers"),
                ForeignKey("customer_id", "customers"),
                ForeignKey("accompanied_by", "managers"),
            ),
            label_zh="拜访记录",
            label_en="Visits",
            description="one row per contact of a manager with a customer",
        ),
        Table(
            "feedback",
            (
                _c("feedback_id", "string", "反馈编号", "Feedback ID"),
                _c("feedback_date", "date", "反馈日期", "Date"),
                _c("customer_id", "string", "客户", "Customer"),
                _c("manager_id", "string", "客户经理", "Manager"),
                _c(
                    "kind",
                    "string",
                    "类型",
                    "Kind",
                    choices=("rating", "complaint", "inquiry", "praise"),
                ),
                _c("score", "double", "评分", "Score", opt=True,
                   note="1–5, for `rating`"),
                _c("category", "string", "类别", "Category", opt=True,
                   note="货源 (supply), 服务 (service), 价格 …"),
                _c("resolved_date", "date", "解决日期", "Resolved", opt=True,
                   note="for complaints"),
            ),
            primary_key="feedback_id",
            foreign_keys=(
                ForeignKey("customer_id", "customers"),
                ForeignKey("manager_id", "managers"),
            ),
            label_zh="客户反馈",
            label_en="Feedback",
            description="what customers say about their manager",
        ),
        Table(
            "targets",
            (
                _c("manager_id", "string", "客户经理", "Manager"),
                _c("month", "date", "月份", "Month",
                   note="first day of the month"),
                _c("sales_target", "double", "销量目标（条）", "Sales target (units)",
                   note="units for the month"),
                _c("forecast", "double", "销售预测（条）", "Forecast (units)", opt=True,
                   note="the manager's own month-start sales forecast (销售预测), units"),
                _c("visit_target", "int32", "计划拜访数", "Visit target", opt=True,
                   note="planned visits"),
                _c("new_customer_target", "int32", "新客户目标", "New-customer target", opt=True),
            ),
            foreign_keys=(ForeignKey("manager_id", "managers"),),
            label_zh="月度目标",
            label_en="Targets",
            description="monthly plan per manager",
        ),
        Table(
            "checkins",
            (
                _c("manager_id", "string", "客户经理", "Manager"),
                _c("checkin_at", "timestamp", "签到时间", "Check-in time"),
                _c("kind", "string", "类型", "Kind", choices=("start", "end")),
                _c("customer_id", "string", "签到客户", "Customer phone used", opt=True,
                   note=("the customer whose phone was used, which proves the manager "
                         "was on site")),
            ),
            foreign_keys=(
                ForeignKey("manager_id", "managers"),
                ForeignKey("customer_id", "customers"),
            ),
            optional_table=True,
            label_zh="到岗签到",
            label_en="Check-ins",
            description="到岗/离岗 phone check-ins",
        ),
        Table(
            # the company's own workdays where they differ from China's official calendar
            "calendar",
            (
                _c("date", "date", "日期", "Date",
                   note="may lie in the year ahead"),
                _c("is_workday", "bool", "工作日", "Workday"),
            ),
            primary_key="date",
            optional_table=True,
            label_zh="工作日历",
            label_en="Workday calendar",
            description=("the company's own workdays, when they differ from the "
                         "official calendar"),
            note=("Overrides China's official holidays and 调休 make-up days. Without it,"
                  " workdays are the official calendar (the `chinese-calendar` package,"
                  " 2004–2026), Monday–Friday for years it does not cover."),
        ),
        Table(
            "inspections",
            (
                _c("inspection_id", "string", "检查编号", "Inspection ID"),
                _c("inspection_date", "date", "检查日期", "Date"),
                _c("manager_id", "string", "客户经理", "Manager"),
                _c("inspector_id", "string", "检查人", "Inspector"),
                _c(
                    "kind",
                    "string",
                    "方式",
                    "Kind",
                    choices=("phone_spot", "record_check", "site"),
                ),
                _c("passed", "bool", "通过", "Passed"),
                _c("note", "string", "备注", "Note", opt=True),
            ),
            primary_key="inspection_id",
            foreign_keys=(ForeignKey("manager_id", "managers"),),
            optional_table=True,
            label_zh="检查记录",
            label_en="Inspections",
            description="supervisor checks on a manager's work records (制度执行, 基础资料)",
        ),
        Table(
            "events",
            (
                _c("manager_id", "string", "客户经理", "Manager"),
                _c("event_date", "date", "日期", "Date"),
                _c(
                    "kind",
                    "string",
                    "事件",
                    "Kind",
                    choices=(
                        "promotion",
                        "demotion",
                        "bonus_cut",
                        "territory_change",
                        "talk",
                        "quota_increase",
                        "appeal",
                        "award",
                        "training",
                    ),
                ),
                _c("detail", "string", "说明", "Detail", opt=True),
            ),
            foreign_keys=(ForeignKey("manager_id", "managers"),),
            optional_table=True,
            label_zh="人事事件",
            label_en="Events",
            description="what happened to a manager",
        ),
        # ── stock on hand, for safety stock net of what the shop holds ──
        Table(
            "inventory",
            (
                _c("customer_id", "string", "客户", "Customer"),
                _c("product_id", "string", "卷烟规格", "Product"),
                _c("snapshot_date", "date", "盘点日期", "Snapshot date"),
                _c("on_hand", "double", "库存（条）", "On hand (units)",
                   note="units (条 for cigarettes)"),
            ),
            foreign_keys=(
                ForeignKey("customer_id", "customers"),
                ForeignKey("product_id", "products"),
            ),
            optional_table=True,
            label_zh="零售户库存",
            label_en="Retailer stock on hand",
            description="a retailer's stock on hand (盘点)",
            note=("One row per retailer, line and count; several dates may be given. "
                  "Safety stock uses each line's latest snapshot on or before the "
                  "window's end: the suggested order is the safety stock minus what is "
                  "on hand. Without a snapshot for a line the suggestion is an \"order "
                  "up to\" level, labelled as such. The demo writes one snapshot on its "
                  "last day for about 40 % of the retailers."),
        ),
    )
}

#: (table, low column, high column): the high date may not precede the low one.
DATE_ORDER_RULES: tuple[tuple[str, str, str], ...] = (
    ("managers", "hire_date", "left_date"),
    ("customers", "opened_date", "closed_date"),
)

#: Columns that are numeric amounts: finite, negative only on return lines.
SIGNED_AMOUNTS: tuple[tuple[str, str], ...] = (("sales", "quantity"), ("sales", "amount"))

#: (table, column): dates that may lie in the future (a calendar is set for the year ahead).
FUTURE_DATES_ALLOWED: tuple[tuple[str, str], ...] = (("calendar", "date"),)

#: Dates before this are a warning (often a placeholder such as 1900-01-01).
EARLIEST_PLAUSIBLE_YEAR = 1990

#: Negative events (docs/coaching.md): the ones a resentful trend starts after.
NEGATIVE_EVENTS = ("demotion", "bonus_cut", "territory_change", "quota_increase", "appeal")

REQUIRED_TABLES = tuple(n for n, t in TABLES.items() if not t.optional_table)
OPTIONAL_TABLES = tuple(n for n, t in TABLES.items() if t.optional_table)
