"""Every validation rule declared once, as data: id, severity and the message in zh and en.

The checks (schema.py, values.py) only say *which* rule fired and with what facts; the words a
user reads live here, so a rule is renamed or translated in one place. Templates use named
fields: {table} {file} {column} {count} {examples} and the rule's own details
({expected} {found} {target} {limit} {other} {choices} {reason}; the tier note's
{order_zh} {order_en}, the order in each language).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]

SEVERITY_ORDER: dict[Severity, int] = {"error": 0, "warning": 1, "info": 2}
MAX_EXAMPLES = 5  # offending values or keys quoted in a finding


@dataclass(frozen=True)
class Rule:
    id: str  # stable snake_case, used by tests, JSON and the UI
    severity: Severity
    zh: str  # message template, Chinese (the default language)
    en: str  # message template, English


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {r.id: r for r in rules}


RULES: dict[str, Rule] = _rules(
    # ---- tables and files ------------------------------------------------------------------
    Rule(
        "missing_table",
        "error",
        "缺少必需的表 {table}：应为文件 {table}.parquet 或文件夹 {table}/。",
        "Required table {table} is missing: expected {table}.parquet or a folder {table}/.",
    ),
    Rule(
        "optional_table_missing",
        "info",
        "可选表 {table} 不存在，依赖它的功能将隐藏。",
        "Optional table {table} is absent; the features that need it are hidden.",
    ),
    Rule(
        "empty_table",
        "warning",
        "表 {table}（{file}）没有数据行，依赖它的功能将提示无数据。",
        "Table {table} ({file}) has no rows; the features that need it will say so.",
    ),
    Rule(
        "optional_table_empty",
        "info",
        "可选表 {table}（{file}）没有数据行。",
        "Optional table {table} ({file}) has no rows.",
    ),
    Rule(
        "unreadable_file",
        "error",
        "文件 {file}（表 {table}）无法作为 Parquet 读取：{reason}",
        "File {file} (table {table}) cannot be read as Parquet: {reason}",
    ),
    Rule(
        "bad_encoding",
        "error",
        "文件 {file}（表 {table}）的列 {column} 有 {count} 行文字不是有效的 UTF-8 编码；"
        "请以 UTF-8 重新导出。",
        "File {file} (table {table}): {count} rows of column {column} are not valid UTF-8 "
        "text; export the file again as UTF-8.",
    ),
    Rule(
        "check_failed",
        "error",
        "表 {table}（{file}）的检查无法运行，数据可能已损坏：{reason}",
        "A check on table {table} ({file}) could not run; the data may be corrupt: {reason}",
    ),
    # ---- columns and types -----------------------------------------------------------------
    Rule(
        "missing_column",
        "error",
        "文件 {file}（表 {table}）缺少必需列 {column}。",
        "File {file} (table {table}) lacks the required column {column}.",
    ),
    Rule(
        "wrong_type",
        "error",
        "文件 {file}（表 {table}）的列 {column} 类型为 {found}，应为 {expected}。",
        "File {file} (table {table}): column {column} is {found}, expected {expected}.",
    ),
    Rule(
        "converted_type",
        "warning",
        "文件 {file}（表 {table}）的列 {column} 存储为 {found}，应为 {expected}；"
        "读取时将自动转换。",
        "File {file} (table {table}): column {column} is stored as {found}, expected "
        "{expected}; cmdash converts it when reading.",
    ),
    Rule(
        "integer_out_of_range",
        "error",
        "表 {table}（{file}）的列 {column} 有 {count} 个值不是 {expected} 范围内的整数，"
        "示例：{examples}",
        "Table {table} ({file}): {count} values of column {column} are not whole numbers "
        "within {expected}; first examples: {examples}",
    ),
    # ---- keys ------------------------------------------------------------------------------
    Rule(
        "null_key",
        "error",
        "表 {table}（{file}）的键列 {column} 有 {count} 行为空。",
        "Table {table} ({file}): {count} rows have an empty key column {column}.",
    ),
    Rule(
        "duplicate_key",
        "error",
        "表 {table}（{file}）的主键 {column} 有重复：{count} 行共用同一编号，示例：{examples}",
        "Table {table} ({file}): primary key {column} is not unique; {count} rows share a "
        "key, first examples: {examples}",
    ),
    Rule(
        "orphan_key",
        "error",
        "表 {table}（{file}）的列 {column} 有 {count} 行在 {target} 中找不到对应记录，"
        "示例：{examples}",
        "Table {table} ({file}): {count} rows have a {column} not found in {target}; "
        "first examples: {examples}",
    ),
    Rule(
        "null_value",
        "warning",
        "表 {table}（{file}）的必需列 {column} 有 {count} 行为空，示例（行键）：{examples}",
        "Table {table} ({file}): {count} rows have no value in the required column {column}; "
        "first examples (row keys): {examples}",
    ),
    # ---- dates -----------------------------------------------------------------------------
    Rule(
        "future_date",
        "error",
        "表 {table}（{file}）的列 {column} 有 {count} 个日期晚于 {limit}（今天 + 1 天），"
        "示例：{examples}",
        "Table {table} ({file}): {count} values of {column} are after {limit} (today + 1 day); "
        "first examples: {examples}",
    ),
    Rule(
        "early_date",
        "warning",
        "表 {table}（{file}）的列 {column} 有 {count} 个日期早于 {limit}，可能是占位值，"
        "示例：{examples}",
        "Table {table} ({file}): {count} values of {column} are before {limit}, often a "
        "placeholder; first examples: {examples}",
    ),
    Rule(
        "date_order",
        "error",
        "表 {table}（{file}）有 {count} 行的 {column} 早于 {other}，示例（行键）：{examples}",
        "Table {table} ({file}): {count} rows have {column} before {other}; first examples "
        "(row keys): {examples}",
    ),
    Rule(
        "month_not_first_day",
        "warning",
        "表 {table}（{file}）的列 {column} 有 {count} 个值不是当月第一天，示例：{examples}",
        "Table {table} ({file}): {count} values of {column} are not the first day of a month; "
        "first examples: {examples}",
    ),
    Rule(
        "left_without_date",
        "warning",
        "表 {table}（{file}）有 {count} 名状态为 left 的人员没有填写 {column}，示例：{examples}",
        "Table {table} ({file}): {count} rows with status 'left' have no {column}; first "
        "examples: {examples}",
    ),
    # ---- values ----------------------------------------------------------------------------
    Rule(
        "nonfinite_amount",
        "error",
        "表 {table}（{file}）的列 {column} 有 {count} 行为空、NaN 或无穷大，"
        "示例（行键）：{examples}",
        "Table {table} ({file}): {count} rows have a null, NaN or infinite {column}; first "
        "examples (row keys): {examples}",
    ),
    Rule(
        "tier_encoding",
        "info",
        "表 {table}（{file}）的列 {column} 的档位顺序：{order_zh}；可在设置 tiers.encoding 与 "
        "tiers.named_order 中更改。",
        "Table {table} ({file}): the order of {column} is taken as {order_en}; settings "
        "tiers.encoding and tiers.named_order change it.",
    ),
    Rule(
        "returns",
        "info",
        "表 {table}（{file}）有 {count} 行 {column} 为负数，按退货处理，示例（行键）：{examples}",
        "Table {table} ({file}): {count} lines have a negative {column} and are counted as "
        "returns; first examples (row keys): {examples}",
    ),
    Rule(
        "sign_mismatch",
        "warning",
        "表 {table}（{file}）有 {count} 行的 {column} 与 {other} 正负号相反，"
        "示例（行键）：{examples}",
        "Table {table} ({file}): {count} lines have {column} and {other} of opposite signs; "
        "first examples (row keys): {examples}",
    ),
    Rule(
        "score_range",
        "error",
        "表 {table}（{file}）的列 {column} 有 {count} 个值不在 {limit} 之间，示例：{examples}",
        "Table {table} ({file}): {count} values of {column} are outside {limit}; first "
        "examples: {examples}",
    ),
    Rule(
        "issues_resolved_exceed_raised",
        "error",
        "表 {table}（{file}）有 {count} 行的 {column} 大于 {other}，示例（行键）：{examples}",
        "Table {table} ({file}): {count} rows have {column} greater than {other}; first "
        "examples (row keys): {examples}",
    ),
    Rule(
        "bad_choice",
        "error",
        "表 {table}（{file}）的列 {column} 有 {count} 个值不在允许范围（{choices}）内，"
        "示例：{examples}",
        "Table {table} ({file}): {count} values of {column} are not one of {choices}; first "
        "examples: {examples}",
    ),
)

# ---- value rules the contract states in prose only (contract.py has no field for them) -------
#: (table, column, low, high): inclusive numeric range.
VALUE_RANGES: tuple[tuple[str, str, float, float], ...] = (("feedback", "score", 1.0, 5.0),)
#: (table, column, ceiling column): column may not exceed the ceiling on the same row.
NOT_ABOVE: tuple[tuple[str, str, str], ...] = (("visits", "issues_resolved", "issues_raised"),)
#: (table, column): a month is stored as its first day.
FIRST_OF_MONTH: tuple[tuple[str, str], ...] = (("targets", "month"),)
#: (table, status column, value, date column): that status needs that date set.
STATUS_NEEDS_DATE: tuple[tuple[str, str, str, str], ...] = (
    ("managers", "status", "left", "left_date"),
)
