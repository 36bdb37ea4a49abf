"""Every CSV and Excel file cmdash writes goes through here, made safe to open in a
spreadsheet (OWASP CSV injection): a text cell that begins with = + - @ tab or CR gets a
single quote in front, so Excel or WPS shows it as text instead of running it as a formula.
Numbers (negative ones too) stay numbers; only text is touched. See docs/robustness.md.
"""

from __future__ import annotations

import csv
import io

import pandas as pd

#: what a spreadsheet reads as the start of a formula (or of a DDE payload)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value, with a quote in front if it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell (headers included) made safe; other cells unchanged."""
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        if _is_text(s):
            out[col] = s.map(safe_cell, na_action="ignore")
    out.columns = [safe_cell(c) for c in out.columns]
    return out


def _is_text(s: pd.Series) -> bool:
    return pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)


def csv_text(frame: pd.DataFrame) -> str:
    """CSV text of the safe frame. The csv writer leaves a carriage return inside a cell
    unquoted (it only quotes the line terminator, "\n"), which a spreadsheet reads as a new
    row whose first cell could be a formula: such a frame has all its text quoted."""
    safe = safe_frame(frame)
    has_cr = any(safe[c].astype("string").str.contains("\r", regex=False).any()
                 for c in safe.columns if _is_text(safe[c]))
    return safe.to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC if has_cr else
                       csv.QUOTE_MINIMAL)


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Chinese text correctly."""
    return csv_text(frame).encode("utf-8-sig")


def to_excel(frame: pd.DataFrame, sheet: str = "cmdash") -> bytes:
    """One sheet; every text cell is stored as a string, never as a formula."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe_frame(frame).to_excel(writer, index=False, sheet_name=sheet[:31])
        for row in writer.sheets[sheet[:31]].iter_rows():
            for cell in row:
                if cell.data_type == "f":  # openpyxl reads a leading "=" as a formula
                    cell.data_type = "s"
    return buffer.getvalue()
