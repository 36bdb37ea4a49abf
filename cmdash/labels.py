"""Every UI string in 中文 and English: (zh, en), keyed by a stable id."""

LABELS: dict[str, tuple[str, str]] = {
    # app frame
    "app.title": ("客户经理分析看板", "Customer-manager dashboard"),
    "app.language": ("语言", "Language"),
    "app.first_run": (
        "首次运行：正在生成演示数据（约 40 名客户经理、4000 户零售户、24 个月）…",
        "First run: generating the demo data (about 40 managers, 4,000 retailers, 24 months)…",
    ),
    "app.first_run_done": ("演示数据已生成。", "Demo data generated."),
    "app.data_errors": (
        "当前数据集有 {n} 个错误，部分数字可能不可靠。详见“数据”页。",
        "The current dataset has {n} error(s); some numbers may be unreliable. See the Data page.",
    ),
    "app.no_data": (
        "未找到数据集。请在“数据”页选择一个数据文件夹。",
        "No dataset found. Choose a data folder on the Data page.",
    ),
    "app.bad_data": ("无法打开数据集：{msg}", "Cannot open the dataset: {msg}"),
    # navigation
    "nav.section.performance": ("业绩", "Performance"),
    "nav.section.people": ("队伍", "People"),
    "nav.section.admin": ("数据与设置", "Data & settings"),
    "nav.overview": ("总览", "Overview"),
    "nav.managers": ("客户经理", "Managers"),
    "nav.profile": ("经理档案", "Manager profile"),
    "nav.coaching": ("分型辅导", "Coaching"),
    "nav.retention": ("客户留存", "Retention"),
    "nav.whatif": ("假设分析", "What-if"),
    "nav.data": ("数据", "Data"),
    # filters
    "filter.header": ("筛选", "Filters"),
    "filter.dates": ("日期范围", "Date range"),
    "filter.region": ("区域", "Region"),
    "filter.district": ("片区", "District"),
    "filter.manager": ("客户经理", "Manager"),
    "filter.all": ("全部", "All"),
    "filter.reset": ("清除筛选", "Clear filters"),
    "filter.share": (
        "筛选条件已写入网址，复制地址栏即可分享当前视图。",
        "The filters are in the URL: copy the address bar to share this view.",
    ),
    # placeholders
    "placeholder.coming": (
        "此页面将在后续版本中提供。", "This page arrives in a later release."
    ),
    # overview (shell)
    "overview.scope": ("当前范围", "Current scope"),
    "overview.managers": ("客户经理（人）", "Managers"),
    "overview.cases": ("销量（箱）", "Volume (cases)"),
    "overview.amount": ("销售额（万元）", "Sales (10k yuan)"),
    "overview.customers": ("有订单客户（户）", "Ordering customers"),
    "overview.monthly": ("月度销量（箱）", "Monthly volume (cases)"),
    "overview.month": ("月份", "Month"),
    "overview.empty": ("当前筛选下没有数据。", "No data for the current filters."),
    # data page
    "data.title": ("数据", "Data"),
    "data.current": ("当前数据集", "Current dataset"),
    "data.folder": ("文件夹", "Folder"),
    "data.choose": ("打开其他数据文件夹", "Open another data folder"),
    "data.choose_help": (
        "在侧边栏切换数据集；仅列出已配置数据根目录（CMDASH_DATA_ROOTS）下的文件夹。",
        "Switch datasets in the sidebar; only folders under the configured data roots "
        "(CMDASH_DATA_ROOTS) are listed.",
    ),
    "data.open": ("打开", "Open"),
    "data.row_counts": ("各表行数", "Rows per table"),
    "data.table": ("表", "Table"),
    "data.rows": ("行数", "Rows"),
    "data.present": ("是否提供", "Present"),
    "data.report": ("校验报告", "Validation report"),
    "data.ok": ("校验通过：没有错误。", "Validation passed: no errors."),
    "data.errors": ("{n} 个错误", "{n} error(s)"),
    "data.warnings": ("{n} 个警告", "{n} warning(s)"),
    "data.infos": ("{n} 条提示", "{n} note(s)"),
    "data.severity": ("级别", "Severity"),
    "data.rule": ("规则", "Rule"),
    "data.file": ("文件", "File"),
    "data.column": ("列", "Column"),
    "data.count": ("行数", "Rows"),
    "data.examples": ("示例", "Examples"),
    "data.message": ("说明", "Message"),
    "data.upload": ("上传表格", "Upload a table"),
    "data.upload_help": (
        "上传 CSV、Excel 或 Parquet 文件替换某张表。会生成新的数据集文件夹，原文件不会被修改。",
        "Upload a CSV, Excel or Parquet file for one table. A new dataset folder is created; "
        "the source files are never modified.",
    ),
    "data.upload_table": ("对应的表", "Table"),
    "data.upload_file": ("文件", "File"),
    "data.upload_go": ("校验并导入", "Validate and import"),
    "data.upload_done": ("已导入到新数据集：{name}", "Imported into a new dataset: {name}"),
    "data.upload_failed": ("导入失败：{msg}", "Import failed: {msg}"),
    "data.yes": ("是", "yes"),
    "data.no": ("否（空表）", "no (empty)"),
    "severity.error": ("错误", "error"),
    "severity.warning": ("警告", "warning"),
    "severity.info": ("提示", "note"),
}
