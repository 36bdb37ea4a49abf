"""Safety-stock settings (分类安全系数法, docs/whatif.md)."""

from cmdash.settings.spec import Setting

STOCK_SETTINGS = (
    Setting("stock.coef_steady", 1.2, "常销品种安全系数", "Coefficient, steady sellers",
            1.0, 2.0, 0.05, "", "docs/whatif.md (1.2)"),
    Setting("stock.coef_profitable", 1.3, "盈利品种安全系数", "Coefficient, profitable lines",
            1.0, 2.0, 0.05, "", "docs/whatif.md (1.3)"),
    Setting("stock.profitable_tiers", "一类,二类", "盈利品种所在价类（逗号分隔）",
            "Price tiers counted as profitable lines (comma-separated)", source="default"),
    Setting("stock.slow_per_cycle", 0.5, "慢销规格门槛（条/周期）",
            "Slow line below (units per order cycle): not rounded up to 1 every cycle",
            0.0, 2.0, 0.1, "", "default"),
    Setting("stock.window_weeks", 12, "测算窗口（周）", "Weeks of history averaged", 4, 52,
            1, "", "default"),
)
