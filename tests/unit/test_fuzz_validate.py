"""Property-based: whatever a contract table holds (random types, nulls, bad encodings,
extreme values, missing or extra columns), `validate` and the upload path answer with a
report or a message and never raise."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from cmdash.cli import main
from cmdash.contract import TABLES
from cmdash.errors import InputError
from cmdash.ingest import import_table
from tests.fixtures import arrow_table, write_tiny_dataset

FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
TRICKY_TEXT = ["", " ", "NULL", "=1+1", "2025-02-30", "1e309", "-0", "是", "\u0000", "\ufeff",
               "9" * 40, "KM-0001", "3205001", "active", "left"]

_VALUES = {
    "string": st.one_of(st.sampled_from(TRICKY_TEXT), st.text(max_size=6)),
    "int64": st.integers(-(2**63), 2**63 - 1),
    "float64": st.floats(allow_nan=True, allow_infinity=True),
    "bool": st.booleans(),
    "date": st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
    "timestamp": st.datetimes(dt.datetime(1678, 1, 1), dt.datetime(2261, 12, 31)),
    "bytes": st.binary(max_size=6),  # stored as text: often not UTF-8
}
_ARROW = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64(),
          "bool": pa.bool_(), "date": pa.date32(), "timestamp": pa.timestamp("us"),
          "bytes": pa.binary()}


#: the kind of value a contract type is usually given (half the draws use it)
_NATURAL = {"string": "string", "date": "date", "timestamp": "timestamp", "double": "float64",
            "int16": "int64", "int32": "int64", "bool": "bool"}


@st.composite
def columns(draw, rows: int, natural: str = "string") -> pa.Array:
    kind = draw(st.sampled_from([natural] * len(_VALUES) + list(_VALUES)))
    values = draw(st.lists(st.none() | _VALUES[kind], min_size=rows, max_size=rows))
    arr = pa.array(values, _ARROW[kind])
    return arr.view(pa.string()) if kind == "bytes" else arr


@st.composite
def contract_tables(draw) -> tuple[str, pa.Table]:
    """A table named like a contract table: some of its columns (any type), maybe extras."""
    name = draw(st.sampled_from(list(TABLES)))
    rows = draw(st.integers(0, 6))
    contract = {c.name: _NATURAL[c.type] for c in TABLES[name].columns}
    names = [c for c in contract if draw(st.integers(0, 9)) > 0]  # most columns present
    names += draw(st.lists(st.sampled_from(["extra", "备注", "Manager_ID "]), max_size=2,
                           unique=True))
    data = {n: draw(columns(rows, contract.get(n, "string"))) for n in dict.fromkeys(names)}
    return name, pa.table(data) if data else pa.table({"x": pa.array([], pa.int64())})


@st.composite
def perturbed_tables(draw) -> tuple[str, pa.Table]:
    """A valid fixture table with one or two columns dropped, nulled or given random values
    of any type: closer to real mistakes, so uploads get past the first check."""
    name = draw(st.sampled_from(list(TABLES)))
    table = arrow_table(name)
    for col in draw(st.lists(st.sampled_from(table.column_names), min_size=1, max_size=2,
                             unique=True)):
        i = table.schema.get_field_index(col)
        how = draw(st.sampled_from(["drop", "nulls", "random"]))
        if how == "drop":
            table = table.remove_column(i)
        elif how == "nulls":
            table = table.set_column(i, col, pa.nulls(table.num_rows, table.schema.field(i).type))
        else:
            table = table.set_column(i, col, draw(columns(table.num_rows)))
    return name, table


ANY_TABLE = st.one_of(contract_tables(), perturbed_tables())


def _validate_cli(root: Path) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(["validate", str(root), "--lang", "en"])
    return code, out.getvalue()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_dataset(tmp_path_factory.mktemp("fuzz") / "tiny")


@FUZZ
@given(case=ANY_TABLE)
def test_validate_never_raises(tiny: Path, case: tuple[str, pa.Table]) -> None:
    name, table = case
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "d"
        shutil.copytree(tiny, root)
        pq.write_table(table, root / f"{name}.parquet")
        before = (root / f"{name}.parquet").read_bytes()
        code, text = _validate_cli(root)
        assert code in (0, 1), text
        assert "internal error" not in text and text.strip(), text
        assert (root / f"{name}.parquet").read_bytes() == before  # never modified


def _upload_bytes(table: pa.Table, fmt: str, encoding: str) -> bytes:
    if fmt == "parquet":
        buffer = io.BytesIO()
        pq.write_table(table, buffer)
        return buffer.getvalue()
    frame = pd.DataFrame({n: table.column(n).to_pylist() for n in table.column_names})
    if fmt == "csv":
        return frame.to_csv(index=False).encode(encoding, errors="replace")
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, engine="openpyxl")
    return buffer.getvalue()


@FUZZ
@given(case=ANY_TABLE, fmt=st.sampled_from(["csv", "xlsx", "parquet"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "latin-1"]))
def test_upload_answers_or_explains(tiny: Path, case: tuple[str, pa.Table], fmt: str,
                                    encoding: str) -> None:
    name, table = case
    try:
        data = _upload_bytes(table, fmt, encoding)
    except (ValueError, TypeError, UnicodeError, pa.ArrowException, IllegalCharacterError):
        event("the writer refused the table")
        return  # a table the writer itself cannot store is not an upload anyone can make
    with tempfile.TemporaryDirectory() as tmp:
        try:
            folder = import_table(name, data, f"upload.{fmt}", tiny, Path(tmp) / "uploads")
        except InputError as exc:
            assert exc.describe().strip()
            event("upload refused with a message")
            return
        event("upload imported, then validated")
        code, text = _validate_cli(folder)
        assert code in (0, 1), text
        assert "internal error" not in text, text
