"""Upload import: CSV / Excel / Parquet into a new dataset folder, never touching the base."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cmdash import ingest
from cmdash.errors import InputError
from cmdash.ingest import import_table
from cmdash.validation import validate
from tests.fixtures import CUSTOMERS, FIXTURE_TODAY, SALES, arrow_table, write_tiny_dataset


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def csv_bytes(rows: tuple[tuple[object, ...], ...], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([["" if v is None else v for v in row] for row in rows])
    return out.getvalue().encode(encoding)


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return write_tiny_dataset(tmp_path / "base")


def test_csv_keeps_leading_zeros_and_carries_the_base_over(base: Path, tmp_path: Path) -> None:
    before = snapshot(base)
    new = ("0042", "新店", "KM-0004", "梁溪片区", "B", None, None, "2025/6/1", None, "是")
    rows = (*CUSTOMERS, new)
    folder = import_table("customers", csv_bytes(rows), "客户.csv", base, tmp_path / "out")

    assert folder.parent == tmp_path / "out" and folder.name.startswith("upload-")
    assert folder.name.endswith("-customers")
    assert snapshot(base) == before  # the base dataset is untouched
    assert {p.name for p in folder.iterdir()} == {p.name for p in base.iterdir()}
    table = pq.read_table(folder / "customers.parquet")
    assert table.schema.field("customer_id").type == pa.string()
    assert table.schema.field("opened_date").type == pa.date32()
    last = table.to_pylist()[-1]
    assert last["customer_id"] == "0042" and last["opened_date"] == date(2025, 6, 1)
    assert last["is_sample_store"] is True and last["format"] is None
    assert validate(folder, FIXTURE_TODAY).ok


def test_gb18030_csv_and_messy_headers(tmp_path: Path) -> None:
    rows = (("Manager_ID ", " event_date", "KIND", "detail", "ignored"),
            ("KM-0001", "2025年3月1日", "award", "优秀客户经理", "x"))
    folder = import_table("events", csv_bytes(rows, "gb18030"), "events.csv", None, tmp_path)
    table = pq.read_table(folder / "events.parquet")
    assert table.column_names == ["manager_id", "event_date", "kind", "detail"]
    assert table.to_pylist() == [{"manager_id": "KM-0001", "event_date": date(2025, 3, 1),
                                  "kind": "award", "detail": "优秀客户经理"}]


def test_excel_upload(tmp_path: Path) -> None:
    frame = pd.DataFrame({
        "manager_id": ["0042", "KM-0002"],
        "month": [datetime(2025, 4, 1), datetime(2025, 5, 1)],
        "sales_target": [40, 35.5],
        "forecast": [None, 30.0],
        "visit_target": [20, 22],
    })
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, engine="openpyxl")
    folder = import_table("targets", buffer.getvalue(), "targets.xlsx", None, tmp_path)
    table = pq.read_table(folder / "targets.parquet")
    assert table.schema.field("visit_target").type == pa.int32()
    assert table.to_pylist()[0] == {"manager_id": "0042", "month": date(2025, 4, 1),
                                    "sales_target": 40.0, "forecast": None, "visit_target": 20}


def test_parquet_upload_is_cast_to_the_contract(tmp_path: Path) -> None:
    table = arrow_table("products")
    flags = pa.array([0, 1, 0, 0], pa.int64())  # 0/1 flags become booleans
    table = table.set_column(5, "is_cultivation_brand", flags)
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    folder = import_table("products", buffer.getvalue(), "p.parquet", None, tmp_path)
    written = pq.read_table(folder / "products.parquet")
    assert written.schema.field("is_cultivation_brand").type == pa.bool_()
    assert written.column("is_cultivation_brand").to_pylist() == [False, True, False, False]


def test_bad_dates_name_file_column_and_count(tmp_path: Path) -> None:
    rows = [list(r) for r in SALES]
    for i, bad in ((1, "2025-02-30"), (2, "yesterday"), (3, "")):
        rows[i][1] = bad  # "" is a null, reported by the validator, not here
    rows[4][1] = "13/01/2025"
    with pytest.raises(InputError) as caught:
        import_table("sales", csv_bytes(tuple(rows)), "sales.csv", None, tmp_path / "out")
    error = caught.value
    assert (error.file, error.column, error.rows) == ("sales.csv", "order_date", 3)
    assert "order_date: 3 rows are not dates" in str(error) and "2025-02-30" in str(error)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_missing_required_column(tmp_path: Path) -> None:
    rows = tuple(r[:-2] for r in SALES)  # without amount (and the optional ordered_quantity)
    with pytest.raises(InputError) as caught:
        import_table("sales", csv_bytes(rows), "sales.csv", None, tmp_path)
    assert caught.value.column == "amount"


def test_refusals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = csv_bytes(SALES)
    with pytest.raises(InputError, match="Unsupported file type"):
        import_table("sales", data, "sales.txt", None, tmp_path)
    with pytest.raises(InputError, match="Unknown table"):
        import_table("orders", data, "sales.csv", None, tmp_path)
    monkeypatch.setattr(ingest, "MAX_UPLOAD_BYTES", 100)
    with pytest.raises(InputError, match="limit"):
        import_table("sales", data, "sales.csv", None, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_filename_never_builds_a_path(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b"
    upload = tmp_path / "upload.bin"
    upload.write_bytes(csv_bytes(SALES))
    folder = import_table("sales", upload, "../../../evil.CSV", None, out)
    assert folder.parent == out and [p.name for p in folder.iterdir()] == ["sales.parquet"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "upload.bin"]
    again = import_table("sales", upload, "evil.csv", None, out)  # same second: a new name
    assert again != folder and folder.is_dir()
