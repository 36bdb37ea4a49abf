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
    # overview
    "overview.latest": ("最新月份：{month}（环比为较上月，同比为较去年同月）",
                        "Latest month: {month} (change vs the month before and vs a year "
                        "earlier)"),
    "overview.yoy": ("同比 {v}", "vs last year {v}"),
    "overview.as_of": ("{month} 数据", "as of {month}"),
    "overview.no_yoy": ("无去年同期数据", "no figure a year earlier"),
    "overview.trend": ("月度趋势", "Monthly trend"),
    "overview.trend_kpi": ("指标", "KPI"),
    "overview.this_year": ("本期", "This period"),
    "overview.last_year": ("去年同期", "A year earlier"),
    "overview.month": ("月份", "Month"),
    "overview.drill": ("分级下钻：区域 → 片区 → 客户经理", "Drill down: region → district → "
                       "manager"),
    "overview.drill_help": ("点击柱形进入下一级，或在下方选择；点击路径返回上一级。",
                            "Click a bar to go down a level, or pick below; click the path to "
                            "go back up."),
    "overview.drill_pick": ("进入", "Go to"),
    "overview.drill_all": ("全部区域", "All regions"),
    "overview.open_profile": ("查看 {name} 的档案", "Open {name}'s profile"),
    "overview.ranking": ("客户经理排名（考核总分均值）", "Manager ranking (mean assessment "
                         "total)"),
    "overview.rank": ("名次", "Rank"),
    "overview.name": ("姓名", "Name"),
    "overview.district": ("片区", "District"),
    "overview.total": ("考核总分（分）", "Assessment total (points)"),
    "overview.spark": ("月度销量走势（箱）", "Monthly volume (cases)"),
    "overview.distribution": ("考核总分分布", "Spread of assessment totals"),
    "overview.managers_n": ("人数", "Managers"),
    "overview.empty": ("当前筛选下没有数据。", "No data for the current filters."),
    "overview.unavailable": ("以下指标缺少数据，未计算：{names}",
                             "Not computed for lack of data: {names}"),
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
