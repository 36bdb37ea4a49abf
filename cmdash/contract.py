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


def _c(name: str, type_: str, zh: str, en: str, *, opt: bool = False, choices=()) -> Column:
    return Column(name, type_, opt, zh, en, tuple(choices))


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "managers",
            (
                _c("manager_id", "string", "客户经理编号", "Manager ID"),
                _c("name", "string", "姓名", "Name"),
                _c("region", "string", "地市", "City"),
                _c("district", "string", "片区", "District"),
                _c("supervisor_id", "string", "市场经理", "Supervisor", opt=True),
                _c("grade", "string", "职级", "Grade"),
                _c("hire_date", "date", "入职日期", "Hire date"),
                _c("birth_year", "int16", "出生年份", "Birth year", opt=True),
                _c("education", "string", "学历", "Education", opt=True),
                _c("prior_role", "string", "原岗位", "Prior role", opt=True),
                _c("status", "string", "状态", "Status", choices=("active", "left")),
                _c("left_date", "date", "离职日期", "Left date", opt=True),
            ),
            primary_key="manager_id",
            label_zh="客户经理",
            label_en="Managers",
        ),
        Table(
            "customers",
            (
                _c("customer_id", "string", "客户编号", "Customer ID"),
                _c("name", "string", "客户名称", "Name"),
                _c("manager_id", "string", "客户经理", "Manager"),
                _c("district", "string", "片区", "District"),
                _c("tier", "string", "档位", "Tier"),
                _c("format", "string", "业态", "Format", opt=True),
                _c("area_type", "string", "城乡", "Area type", opt=True),
                _c("opened_date", "date", "建户日期", "Opened"),
                _c("closed_date", "date", "销户日期", "Closed", opt=True),
                _c("is_sample_store", "bool", "样本店", "Sample store", opt=True),
            ),
            primary_key="customer_id",
            foreign_keys=(ForeignKey("manager_id", "managers"),),
            label_zh="客户",
            label_en="Customers",
        ),
        Table(
            "products",
            (
                _c("product_id", "string", "商品编号", "Product ID"),
                _c("name", "string", "规格名称", "Name"),
                _c("brand", "string", "品牌", "Brand"),
                _c("price_tier", "string", "价类", "Price tier"),
                _c("unit_price", "double", "单价（元/条）", "Unit price (yuan)"),
                _c("is_cultivation_brand", "bool", "培育品牌", "Cultivation brand"),
                # 1 标准箱 = 250 条 (50 条 is one 件); absent: volume stays in the product's unit
                _c("units_per_case", "double", "每箱条数", "Units per case", opt=True),
            ),
            primary_key="product_id",
            label_zh="商品",
            label_en="Products",
        ),
        Table(
            "sales",
            (
                _c("order_id", "string", "订单号", "Order ID"),
                _c("order_date", "date", "订货日期", "Order date"),
                _c("customer_id", "string", "客户", "Customer"),
                _c("manager_id", "string", "客户经理", "Manager"),
                _c("product_id", "string", "商品", "Product"),
                _c("quantity", "double", "数量（条）", "Quantity (units)"),
                _c("amount", "double", "金额（元）", "Amount (yuan)"),
                _c("ordered_quantity", "double", "订货需求（条）", "Ordered quantity (units)",
                   opt=True),
            ),
            foreign_keys=(
                ForeignKey("customer_id", "customers"),
                ForeignKey("manager_id", "managers"),
                ForeignKey("product_id", "products"),
            ),
            label_zh="订单明细",
            label_en="Sales lines",
        ),
        Table(
            "visits",
            (
                _c("visit_id", "string", "拜访编号", "Visit ID"),
                _c("manager_id", "string", "客户经理", "Manager"),
                _c("customer_id", "string", "客户", "Customer"),
                _c("visit_start", "timestamp", "拜访时间", "Visit start"),
                _c("duration_min", "double", "时长（分钟）", "Duration (min)", opt=True),
                _c("channel", "string", "方式", "Channel", choices=("on_site", "phone", "online")),
                _c("planned", "bool", "计划内", "Planned", opt=True),
                _c("accompanied_by", "string", "陪同人", "Accompanied by", opt=True),
                _c("order_taken", "bool", "促成订单", "Order taken", opt=True),
                _c("price_tags_ok", "bool", "标价签合格", "Price tags OK", opt=True),
                _c("display_ok", "bool", "陈列合格", "Display OK", opt=True),
                _c("stock_ok", "bool", "库存合理", "Stock OK", opt=True),
                _c("info_collected", "bool", "信息采集", "Info collected", opt=True),
                _c("issues_raised", "int16", "提出问题数", "Issues raised", opt=True),
                _c("issues_resolved", "int16", "解决问题数", "Issues resolved", opt=True),
                _c("log_submitted_at", "timestamp", "日志提交时间", "Log filed at", opt=True),
            ),
            primary_key="visit_id",
            foreign_keys=(
                ForeignKey("manager_id", "managers"),
                ForeignKey("customer_id", "customers"),
                ForeignKey("accompanied_by", "managers"),
            ),
            label_zh="拜访记录",
            label_en="Visits",
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
                _c("score", "double", "评分", "Score", opt=True),
                _c("category", "string", "类别", "Category", opt=True),
                _c("resolved_date", "date", "解决日期", "Resolved", opt=True),
            ),
            primary_key="feedback_id",
            foreign_keys=(
                ForeignKey("customer_id", "customers"),
                ForeignKey("manager_id", "managers"),
            ),
            label_zh="客户反馈",
            label_en="Feedback",
        ),
        Table(
            "targets",
            (
                _c("manager_id", "string", "客户经理", "Manager"),
                _c("month", "date", "月份", "Month"),
                _c("sales_target", "double", "销量目标（条）", "Sales target (units)"),
                _c("forecast", "double", "销售预测（条）", "Forecast (units)", opt=True),
                _c("visit_target", "int32", "计划拜访数", "Visit target", opt=True),
                _c("new_customer_target", "int32", "新客户目标", "New-customer target", opt=True),
            ),
            foreign_keys=(ForeignKey("manager_id", "managers"),),
            label_zh="月度目标",
            label_en="Targets",
        ),
        Table(
            "checkins",
            (
                _c("manager_id", "string", "客户经理", "Manager"),
                _c("checkin_at", "timestamp", "签到时间", "Check-in time"),
                _c("kind", "string", "类型", "Kind", choices=("start", "end")),
                _c("customer_id", "string", "签到客户", "Customer phone used", opt=True),
            ),
            foreign_keys=(
                ForeignKey("manager_id", "managers"),
                ForeignKey("customer_id", "customers"),
            ),
            optional_table=True,
            label_zh="到岗签到",
            label_en="Check-ins",
        ),
        Table(
            # the company's own workdays where they differ from China's official calendar
            "calendar",
            (
                _c("date", "date", "日期", "Date"),
                _c("is_workday", "bool", "工作日", "Workday"),
            ),
            primary_key="date",
            optional_table=True,
            label_zh="工作日历",
            label_en="Workday calendar",
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
        ),
        # ── issue 16 part 2: stock on hand, for safety stock net of what the shop holds ──
        Table(
            "inventory",
            (
                _c("customer_id", "string", "客户", "Customer"),
                _c("product_id", "string", "卷烟规格", "Product"),
                _c("snapshot_date", "date", "盘点日期", "Snapshot date"),
                _c("on_hand", "double", "库存（条）", "On hand (units)"),
            ),
            foreign_keys=(
                ForeignKey("customer_id", "customers"),
                ForeignKey("product_id", "products"),
            ),
            optional_table=True,
            label_zh="零售户库存",
            label_en="Retailer stock on hand",
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

#: Negative events (DOMAIN §4.5): the ones a resentful trend starts after.
NEGATIVE_EVENTS = ("demotion", "bonus_cut", "territory_change", "quota_increase", "appeal")

REQUIRED_TABLES = tuple(n for n, t in TABLES.items() if not t.optional_table)
OPTIONAL_TABLES = tuple(n for n, t in TABLES.items() if t.optional_table)
