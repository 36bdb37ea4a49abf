"""Files cmdash writes are safe to open in a spreadsheet (OWASP CSV injection): text cells
that begin with = + - @ tab or CR are quoted, numbers stay numbers, Excel holds no formula."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cmdash.cli import main
from cmdash.export import safe_frame, to_csv, to_excel
from tests.fixtures import arrow_table, write_tiny_dataset

ROOT = Path(__file__).resolve().parents[2]
PAYLOADS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)",
            "\t=1", "\r=1"]


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "name": [*PAYLOADS, "张伟", None],
        "value": [-3.5, 1.0, -2.0, 0.0, 4.0, 5.0, 6.0, -7.25],
        "count": pd.array([-1, 2, 3, 4, 5, 6, 7, None], dtype="Int64"),
    })


def _cells(data: bytes) -> list[str]:
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str,
                        keep_default_na=False)
    return [v for col in frame.columns for v in frame[col]]


def test_text_cells_are_quoted_and_numbers_kept() -> None:
    out = safe_frame(_frame())
    assert out["name"].tolist()[:6] == ["'" + p for p in PAYLOADS]
    assert out["name"].iloc[6] == "张伟" and pd.isna(out["name"].iloc[7])
    pd.testing.assert_series_equal(out["value"], _frame()["value"])
    pd.testing.assert_series_equal(out["count"], _frame()["count"])
    assert safe_frame(pd.DataFrame({"=bad": [1]})).columns.tolist() == ["'=bad"]


def test_csv_download_escapes_text() -> None:
    back = pd.read_csv(io.BytesIO(to_csv(_frame())), encoding="utf-8-sig",
                       keep_default_na=False)
    assert back["name"].tolist()[0] == "'" + PAYLOADS[0]
    assert not any(re.match(r"[=+\-@\t\r]", v) for v in back["name"])
    assert back["value"].tolist() == _frame()["value"].tolist()  # -3.5 is still a number


def test_excel_download_has_strings_not_formulas() -> None:
    book = openpyxl.load_workbook(io.BytesIO(to_excel(_frame(), "t")))
    cells = list(book["t"].iter_rows(min_row=2))
    for row, payload in zip(cells, PAYLOADS, strict=False):
        # (XML stores a carriage return as a line feed)
        assert row[0].data_type == "s" and row[0].value == ("'" + payload).replace("\r", "\n")
    assert cells[0][1].data_type == "n" and cells[0][1].value == -3.5
    assert all(c.data_type != "f" for row in book["t"].iter_rows() for c in row)


def test_managers_page_table_exports_safely() -> None:
    """The Managers page's table (a name uploaded verbatim) through its two downloads."""
    from cmdash.present.managers import manager_table

    values = pd.DataFrame({"manager": ["KM-1"], "sales_cases": [-1.5]})
    scores = pd.DataFrame({"manager": ["KM-1"], "total": [80.0]})
    directory = pd.DataFrame({"manager_id": ["KM-1"], "name": [PAYLOADS[0]], "region": ["r"],
                              "district": ["d"], "grade": ["g"], "status": ["active"]})
    table = manager_table(values, scores, directory, ["sales_cases"], "en")
    book = openpyxl.load_workbook(io.BytesIO(to_excel(table)))
    row = list(next(book.active.iter_rows(min_row=2)))
    assert "'" + PAYLOADS[0] in [c.value for c in row]
    assert -1.5 in [c.value for c in row if c.data_type == "n"]
    assert "'" + PAYLOADS[0] in _cells(to_csv(table))


def test_visit_plan_exports_safely() -> None:
    """The Retention page's visit plan (customer names) through its CSV and Excel."""
    from cmdash.present.retention import visit_plan

    day = pd.Timestamp("2025-06-01")
    customers = pd.DataFrame({
        "manager_id": ["KM-1"], "customer_id": ["C1"], "name": ["@cmd|' /C calc'!A0"],
        "risk": [0.9], "baseline_risk": [0.5], "reason_keys": [()], "last_order": [day],
        "last_visit": [day], "next_visit": [day], "expected_units": [2.0]})
    table = visit_plan(customers, "KM-1", 0.5, "en")
    assert "'@cmd|' /C calc'!A0" in _cells(to_csv(table))
    book = openpyxl.load_workbook(io.BytesIO(to_excel(table, "visit-plan")))
    assert "'@cmd|' /C calc'!A0" in [c.value for c in next(book.active.iter_rows(min_row=2))]


#: a CLI command, and the (table, column) whose text it writes out
CLI_PATHS = {"stock": (["stock"], "products", "name"),
             "grades": (["grades", "--ladder", "tobacco_demo"], "managers", "grade")}


@pytest.mark.parametrize("name", list(CLI_PATHS))
def test_cli_csv_escapes_text(tmp_path: Path, name: str) -> None:
    """A product name (stock) or a grade (grades) that looks like a formula, in the CSV."""
    command, table, column = CLI_PATHS[name]
    root = write_tiny_dataset(tmp_path / "d")
    frame = arrow_table(table).to_pandas()
    frame.loc[0, column] = PAYLOADS[0]
    pq.write_table(pa.Table.from_pandas(frame, schema=arrow_table(table).schema,
                                        preserve_index=False), root / f"{table}.parquet")
    out = tmp_path / "out.csv"
    with contextlib.redirect_stderr(io.StringIO()):
        assert main([command[0], str(root), *command[1:], "--out", str(out)]) == 0
    cells = _cells(out.read_bytes())
    assert "'" + PAYLOADS[0] in cells
    assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))]


def test_every_writer_goes_through_export() -> None:
    """No other module writes CSV or Excel itself: one function makes files safe."""
    offenders = []
    for path in [*(ROOT / "cmdash").rglob("*.py"), *(ROOT / "pages").glob("*.py")]:
        if path.relative_to(ROOT).as_posix() == "cmdash/export.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\.to_csv\(|\.to_excel\(|ExcelWriter\(", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, offenders
