from cmdash.ui.imports import serialized

with serialized():  # see cmdash/ui/imports.py
    from cmdash.ui import cache, data_panel, page

ctx = page.start("data", needs_data=False)
data_panel.current(ctx)
if ctx.ref is not None:
    report = cache.validation_report(ctx.root, ctx.version)
    data_panel.validation(ctx, report)
    data_panel.row_counts(ctx, report)
data_panel.upload(ctx)
