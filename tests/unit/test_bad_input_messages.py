"""Smaller bad inputs get a message that says what and where (issue 17, item 7)."""

from __future__ import annotations

import contextlib
import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cmdash.cli import main
from cmdash.errors import InputError
from cmdash.ingest import import_table
from cmdash.validate import validate
from tests.fixtures import arrow_table, write_tiny_dataset


def _cli(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(args))
    return code, err.getvalue()


def test_non_utf8_text_names_column_and_rows(tmp_path: Path) -> None:
    root = write_tiny_dataset(tmp_path / "d")
    table = arrow_table("managers")
    names = [n.encode("utf-8") for n in table.column("name").to_pylist()]
    names[1], names[2] = "李娜".encode("gbk"), b"\xff\xfe"  # two rows in GBK / garbage
    column = pa.array(names, pa.binary()).view(pa.string())
    pq.write_table(table.set_column(table.schema.get_field_index("name"), "name", column),
                   root / "managers.parquet")
    errors = validate(root).errors
    bad = [f for f in errors if f.rule == "bad_encoding"]
    assert [(f.table, f.column, f.count) for f in bad] == [("managers", "name", 2)]
    assert "2 rows of column name" in bad[0].message("en")
    assert not [f for f in errors if f.rule == "check_failed"]


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_excel_header_below_a_title_is_found(tmp_path: Path) -> None:
    rows = [["2025 年 4 月 客户经理目标"], [],
            ["manager_id", "month", "sales_target", "forecast", "visit_target"],
            ["KM-0001", datetime(2025, 4, 1), 40, 38, 20]]
    folder = import_table("targets", _xlsx(rows), "targets.xlsx", None, tmp_path)
    got = pq.read_table(folder / "targets.parquet").to_pylist()
    assert got == [{"manager_id": "KM-0001", "month": date(2025, 4, 1), "sales_target": 40.0,
                    "forecast": 38.0, "visit_target": 20}]


def test_excel_without_a_header_still_names_the_missing_column(tmp_path: Path) -> None:
    rows = [["a title"], ["x", "y"], [1, 2]]
    with pytest.raises(InputError, match="column manager_id is missing"):
        import_table("targets", _xlsx(rows), "targets.xlsx", None, tmp_path)


def test_unknown_ladder_lists_the_shipped_ones(tmp_path: Path) -> None:
    from cmdash.grades import shipped

    root = write_tiny_dataset(tmp_path / "d")
    code, err = _cli("grades", str(root), "--ladder", "nonexistent")
    assert code == 1
    assert all(ladder in err for ladder in shipped()), err


def test_risk_as_of_long_after_the_data_explains(tmp_path: Path) -> None:
    root = write_tiny_dataset(tmp_path / "d")  # sales end on 2025-06-24
    code, err = _cli("risk", str(root), "--as-of", "2026-06-24", "--out", str(tmp_path / "o"))
    assert code == 1
    assert "365 days after" in err and "2025-06-24" in err, err


def test_risk_as_of_shortly_after_the_data_notes_it(tmp_path: Path) -> None:
    root = write_tiny_dataset(tmp_path / "d")
    code, err = _cli("risk", str(root), "--as-of", "2025-07-04", "--out", str(tmp_path / "o"))
    assert code == 0
    assert "10 days after" in err, err


def test_non_utf8_upload_names_column_and_rows(tmp_path: Path) -> None:
    """Found by the fuzzed upload test: this used to raise an ArrowException."""
    table = arrow_table("events")
    details = [b"\xff\xfe", *(d.encode("utf-8") if d else None
                              for d in table.column("detail").to_pylist()[1:])]
    table = table.set_column(3, "detail", pa.array(details, pa.binary()).view(pa.string()))
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    with pytest.raises(InputError, match="column detail: 1 rows are not valid UTF-8"):
        import_table("events", buffer.getvalue(), "events.parquet", None, tmp_path)


def test_engine_failure_is_one_paragraph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    """A Spark AnalysisException carries its query plan; only CMDASH_DEBUG shows it."""
    from cmdash.commands import stock

    plan = "\n".join(f"+- Project [col{i}]" for i in range(500))

    def fail(args):
        raise RuntimeError(f"[DATATYPE_MISMATCH] cannot compare INTERVAL DAY and INT\n{plan}")

    monkeypatch.setattr(stock, "run", fail)
    monkeypatch.delenv("CMDASH_DEBUG", raising=False)
    code, err = _cli("stock", str(tmp_path))
    assert code == 2 and "DATATYPE_MISMATCH" in err
    assert "Project" not in err and len(err.splitlines()) == 1, err
    monkeypatch.setenv("CMDASH_DEBUG", "1")
    with pytest.raises(RuntimeError, match="Project"):
        _cli("stock", str(tmp_path))
