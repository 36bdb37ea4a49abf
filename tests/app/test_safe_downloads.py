"""The pages' downloads, as the browser would receive them, are safe in a spreadsheet: a
manager or product named like a formula arrives quoted, as text, never as a formula. Most
are built on the click (a deferred download): the spy calls the callable as a click would."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from tests.app.opener import open_page
from tests.fixtures import arrow_table, write_tiny_dataset

PAYLOAD = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture
def downloads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """A dataset whose first manager and first product carry the payload; the files the
    pages hand to download buttons, by file name."""
    root = write_tiny_dataset(tmp_path / "root" / "demo")
    for table, column in (("managers", "name"), ("products", "name")):
        t = arrow_table(table)
        values = t.column(column).to_pylist()
        values[0] = PAYLOAD
        t = t.set_column(t.schema.get_field_index(column), column, pa.array(values))
        pq.write_table(t, root / f"{table}.parquet")
    monkeypatch.setenv("CMDASH_DATA_ROOTS", str(root.parent))
    files: dict[str, bytes] = {}
    keep = MemoryMediaFileStorage.load_and_get_id

    def spy(self, data, mimetype, kind, filename=None):
        if isinstance(data, bytes) and filename:
            files[filename] = data
        return keep(self, data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    defer = MediaFileManager.add_deferred

    def spy_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        if file_name:  # built on the click: the test clicks, i.e. calls it, here
            files[file_name] = data_callable()
        return defer(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy_deferred)
    return files


def _cells(data: bytes) -> list[str]:
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str,
                        keep_default_na=False)
    return [v for c in frame.columns for v in frame[c]]


def test_managers_page_downloads(downloads: dict[str, bytes]) -> None:
    open_page("managers")
    assert "'" + PAYLOAD in _cells(downloads["managers.csv"])
    sheet = openpyxl.load_workbook(io.BytesIO(downloads["managers.xlsx"])).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert "'" + PAYLOAD in [c.value for c in cells if c.data_type == "s"]
    assert not [c for c in cells if c.data_type == "f"]


def test_profile_stock_download(downloads: dict[str, bytes]) -> None:
    open_page("profile", who="KM-0001")  # KM-0001 sells P01, the product with the payload
    name = next(n for n in downloads if n.startswith("stock-"))
    assert "'" + PAYLOAD in _cells(downloads[name])


def test_retention_visit_plan_downloads(downloads: dict[str, bytes]) -> None:
    at = open_page("retention")
    assert not at.exception
    names = [n for n in downloads if n.startswith("visit-plan-")]
    assert {n.rsplit(".", 1)[1] for n in names} == {"csv", "xlsx"}
    csv_file = next(n for n in names if n.endswith(".csv"))
    sheet = openpyxl.load_workbook(io.BytesIO(downloads[csv_file[:-3] + "xlsx"])).active
    assert _cells(downloads[csv_file])  # the plan's rows, readable as CSV
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
