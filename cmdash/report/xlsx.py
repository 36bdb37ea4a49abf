"""The bulletin as a workbook: one sheet per section, numbers as numbers, and every text
cell typed as a string (data_type "s"), so a name such as `=HYPERLINK(…)` is never run as
a formula when the file is opened."""

from __future__ import annotations

import io
import math
import re

from openpyxl import Workbook

from cmdash.export import safe_cell
from cmdash.i18n import t
from cmdash.report.bulletin import Bulletin

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def render(b: Bulletin) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for s in b.sections:
        rows = [list(s.headers.values())]
        rows += [[row[c] for c in s.headers] for _, row in s.values.iterrows()]
        rows += [[note] for note in s.notes]
        _sheet(wb, s.title(b.lang), rows)
    _sheet(wb, t("report.section.footnote", b.lang),
           [[b.title()], [b.scope], *[[k, v] for k, v in b.footnote.items()]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet(wb: Workbook, title: str, rows: list[list]) -> None:
    ws = wb.create_sheet(_SHEET_BAD.sub(" ", title)[:31])
    for i, values in enumerate(rows, start=1):
        for j, value in enumerate(values, start=1):
            put(ws.cell(row=i, column=j), value)


def put(cell, value) -> None:
    """Numbers as numbers; anything else as text that Excel will not evaluate."""
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return
    if isinstance(value, bool | int | float):
        cell.value = value
        return
    cell.value = safe_cell(str(value))
    cell.data_type = "s"
