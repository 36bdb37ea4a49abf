"""Turn one uploaded CSV / Excel / Parquet file into a new dataset folder in contract form.

The upload never touches an existing dataset: a fresh folder is created under `out_root`,
the converted table is written there as `<table>.parquet`, and the other tables of `base`
(if given) are hard-linked or copied in. The caller then validates the new folder.

Text is parsed strictly and column by column: CSV is read with every column as a string so
ids such as 0042 keep their zeros; Excel cells are turned into the same text first; a value
that does not parse is an InputError naming the file, the column and how many rows failed.
"""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from datetime import date, datetime, time
from pathlib import Path, PureWindowsPath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from cmdash.contract import ARROW_TYPES, TABLES, Column, Table
from cmdash.dataset import Dataset
from cmdash.errors import InputError
from cmdash.validation.schema import INT_BOUNDS, type_fit
from cmdash.validation.values import invalid_utf8

MAX_UPLOAD_BYTES = 200 * 1024 * 1024  # refuse larger uploads outright
ALLOWED_SUFFIXES = (".csv", ".xlsx", ".parquet")
FOLDER_PREFIX = "upload"  # new folders are named upload-YYYYmmdd-HHMMSS-<table>[-n]
LINK_BASE_FILES = True  # hard-link the base dataset's files (copy when linking fails)

#: Text read as null in every format (after trimming whitespace).
NULL_TEXT = ("", "NULL", "null", "NaN", "N/A", "#N/A")
#: Text read as booleans (compared in lower case).
TRUE_TEXT = ("true", "t", "1", "yes", "y", "是")
FALSE_TEXT = ("false", "f", "0", "no", "n", "否")
#: Date and time layouts tried in order; pandas parses strictly (2025-02-30 is rejected).
#: ISO8601 covers 2025-03-01, 2025-3-1, 2025/03/01 and 2025-03-01 10:20[:30[.123]].
DATE_FORMATS = ("ISO8601", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y%m%d", "%Y年%m月%d日")
_KIND = {"date": "dates", "timestamp": "date-times", "double": "finite numbers",
         "int16": "whole numbers in int16 range", "int32": "whole numbers in int32 range",
         "bool": "true/false (1/0, 是/否)", "string": "text"}
_EXAMPLES = 5


def import_table(
    table: str, upload: bytes | Path, filename: str, base: Path | None, out_root: Path
) -> Path:
    """Convert an upload for `table` and write it into a new dataset folder; return the folder.

    `filename` only supplies the suffix and the name shown in messages. Raises InputError for
    an unknown table, a refused or unreadable file, or values that do not fit the contract.
    """
    if table not in TABLES:
        raise InputError(f"Unknown table {table!r}; expected one of {', '.join(TABLES)}")
    shown = PureWindowsPath(filename).name or "upload"  # handles / and \ separators
    suffix = PureWindowsPath(filename).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise InputError(
            f"Unsupported file type {suffix or '(none)'}; upload {', '.join(ALLOWED_SUFFIXES)}",
            file=shown,
        )
    data = _bounded_bytes(upload, shown)
    raw = _read(data, suffix, shown, TABLES[table].column_names)
    converted = to_contract(raw, TABLES[table], shown)
    return _write_dataset(converted, table, base, Path(out_root))


def _bounded_bytes(upload: bytes | Path, shown: str) -> bytes:
    size = len(upload) if isinstance(upload, bytes) else Path(upload).stat().st_size
    if size > MAX_UPLOAD_BYTES:
        raise InputError(
            f"File is {size / 2**20:.1f} MB; the limit is {MAX_UPLOAD_BYTES / 2**20:.0f} MB",
            file=shown,
        )
    return upload if isinstance(upload, bytes) else Path(upload).read_bytes()


# ---- reading ---------------------------------------------------------------------------------


def _read(data: bytes, suffix: str, shown: str, expected: list[str] | None = None
          ) -> pa.Table:
    """The upload as an Arrow table with trimmed lower-case column names."""
    try:
        if suffix == ".csv":
            table = _read_csv(data)
        elif suffix == ".xlsx":
            table = _read_excel(data, expected or [])
        else:
            table = pq.read_table(pa.BufferReader(data))
    except (pa.ArrowException, ValueError, KeyError, OSError, zipfile.BadZipFile) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise InputError(f"Cannot read the file as {suffix[1:]}: {first}", file=shown) from exc
    names = [str(n).strip().lstrip("\ufeff").lower() for n in table.column_names]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InputError(f"Column names repeat: {', '.join(dupes)}", file=shown, column=dupes[0])
    return table.rename_columns(names)


def _read_csv(data: bytes) -> pa.Table:
    """Every column as text; UTF-8 (with or without BOM), else GB18030 (Excel's Chinese CSV)."""
    try:
        data.decode("utf-8")
        encoding = "utf8"
    except UnicodeDecodeError:
        encoding = "gb18030"
    read = pacsv.ReadOptions(encoding=encoding)
    names = pacsv.open_csv(io.BytesIO(data), read_options=read).schema.names
    convert = pacsv.ConvertOptions(column_types={n: pa.string() for n in names})
    return pacsv.read_csv(io.BytesIO(data), read_options=read, convert_options=convert)


#: rows searched for the header when the first row is a title above it
HEADER_SEARCH_ROWS = 10


def _read_excel(data: bytes, expected: list[str]) -> pa.Table:
    """The first sheet, each cell turned into the text a user would type for it. The header
    is the first row, unless a row further down (a title above the table is common) holds
    more of the contract's column names."""
    frame = pd.read_excel(io.BytesIO(data), sheet_name=0, dtype=object, engine="openpyxl",
                          header=None)
    header = _header_row(frame, expected)
    frame.columns = [_cell_text(v) or f"unnamed_{i}" for i, v in
                     enumerate(frame.iloc[header])] if len(frame) else []
    frame = frame.iloc[header + 1:].reset_index(drop=True)
    return pa.table({str(name): pa.array([_cell_text(v) for v in frame[name]], pa.string())
                     for name in frame.columns})


def _header_row(frame: pd.DataFrame, expected: list[str]) -> int:
    """The row (0-based) among the first few with the most contract column names."""
    wanted = set(expected)

    def hits(i: int) -> int:
        return sum(str(v).strip().lower() in wanted for v in frame.iloc[i] if v is not None)

    rows = range(min(len(frame), HEADER_SEARCH_ROWS))
    best = max(rows, key=lambda i: (hits(i), -i), default=0)
    return best if wanted and best and hits(best) > hits(0) else 0


def _cell_text(value: object) -> str | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an id typed as a number: 3205001.0 -> "3205001"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# ---- converting ------------------------------------------------------------------------------


def to_contract(raw: pa.Table, table: Table, shown: str) -> pa.Table:
    """Cast the contract's columns (extra columns are dropped, absent optional ones stay absent).

    Raises one InputError listing every failing column; its `column` and `rows` are the first.
    """
    problems: list[tuple[str, int, str]] = []
    arrays: dict[str, pa.Array] = {}
    for col in table.columns:
        if col.name not in raw.column_names:
            if not col.optional:
                problems.append((col.name, raw.num_rows, f"column {col.name} is missing"))
            continue
        try:
            values, count, examples = _convert(raw.column(col.name), col)
        except pa.ArrowException as exc:
            bad = invalid_utf8(raw.column(col.name)) if _textual(raw.column(col.name)) else 0
            reason = "not valid UTF-8 text" if bad else (
                f"unreadable ({(str(exc).splitlines() or ['Arrow error'])[0][:120]})")
            problems.append((col.name, bad or raw.num_rows,
                             f"column {col.name}: {bad or raw.num_rows} rows are {reason}"))
            continue
        if count:
            problems.append((col.name, count, f"column {col.name}: {count} rows are not "
                             f"{_KIND[col.type]}, first examples: {', '.join(examples)}"))
        else:
            arrays[col.name] = values
    if problems:
        column, rows, _ = problems[0]
        raise InputError("; ".join(p[2] for p in problems), file=shown, column=column, rows=rows)
    fields = [pa.field(c.name, ARROW_TYPES[c.type]) for c in table.columns if c.name in arrays]
    return pa.table([arrays[f.name] for f in fields], schema=pa.schema(fields))


def _textual(chunked: pa.ChunkedArray) -> bool:
    return pa.types.is_string(chunked.type) or pa.types.is_large_string(chunked.type)


def _convert(chunked: pa.ChunkedArray, col: Column) -> tuple[pa.Array, int, list[str]]:
    """The column in its contract type, the count of values that fail, the first of them."""
    arr = chunked.combine_chunks()
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    target = ARROW_TYPES[col.type]
    fit = type_fit(col.type, arr.type)
    textual = pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)
    if fit == "ok" and not textual:
        values = arr.cast(target)
        if col.type == "double":
            bad = values.filter(pc.and_(values.is_valid(), pc.invert(pc.is_finite(values))))
            return values, len(bad), [str(v) for v in bad[:_EXAMPLES].to_pylist()]
        return values, 0, []
    if fit == "convert" and pa.types.is_timestamp(arr.type):
        local = pc.local_timestamp(arr) if arr.type.tz else arr
        return local.cast(target, safe=False), 0, []  # a date column stored as date-time
    if not textual:
        if pa.types.is_timestamp(arr.type) and arr.type.tz:
            arr = pc.local_timestamp(arr)
        arr = arr.cast(pa.string())
    return _parse_text(arr, col)


def _parse_text(arr: pa.Array, col: Column) -> tuple[pa.Array, int, list[str]]:
    text = arr.to_pandas().astype(object).str.strip()
    text = text.where(~text.isin(NULL_TEXT) & text.notna(), None)
    present = text.notna()
    if col.type == "string":
        return pa.array(text.tolist(), pa.string()), 0, []
    if col.type in ("date", "timestamp"):
        parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
        for fmt in DATE_FORMATS:
            todo = present & parsed.isna()
            if not todo.any():
                break
            parsed[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        ok = parsed.notna()
        values = pa.Array.from_pandas(parsed).cast(pa.timestamp("us"))
        values = values.cast(pa.date32(), safe=False) if col.type == "date" else values
    elif col.type == "bool":
        lower = text.str.lower()
        truth = lower.isin(TRUE_TEXT)
        ok = truth | lower.isin(FALSE_TEXT)
        values = pa.array(truth.where(ok & present, None).tolist(), pa.bool_())
    else:
        number = pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce")
        number = number.astype(float)
        ok = pd.Series(np.isfinite(number.to_numpy()), index=text.index)
        if col.type in INT_BOUNDS:
            low, high = INT_BOUNDS[col.type]
            ok &= (number % 1 == 0) & number.between(low, high)
        values = pa.array(number.where(ok & present, np.nan).to_numpy(), from_pandas=True)
        values = values.cast(ARROW_TYPES[col.type])
    bad = text[present & ~ok]
    return values, len(bad), [str(v) for v in bad.drop_duplicates().head(_EXAMPLES)]


# ---- writing ---------------------------------------------------------------------------------


def _write_dataset(converted: pa.Table, table: str, base: Path | None, out_root: Path) -> Path:
    """Create a fresh folder, write the table, carry over the base's other tables."""
    source = Dataset.open(base) if base is not None else None
    out_root.mkdir(parents=True, exist_ok=True)
    if source is not None and out_root.resolve().is_relative_to(source.root):
        raise InputError("The upload folder must not be inside the base dataset",
                         file=str(out_root))
    folder = _fresh_folder(out_root, table)
    try:
        pq.write_table(converted, folder / f"{table}.parquet")
        if source is not None:
            for name, src in source.sources().items():
                if name == table:
                    continue
                for path in src.files():
                    dest = folder / path.relative_to(source.root)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    _link_or_copy(path, dest)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # only ever the folder created just now
        raise
    return folder


def _fresh_folder(out_root: Path, table: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for n in range(1, 1000):
        folder = out_root / f"{FOLDER_PREFIX}-{stamp}-{table}{'' if n == 1 else f'-{n}'}"
        try:
            folder.mkdir()  # exclusive: an existing folder is never reused
            return folder
        except FileExistsError:
            continue
    raise InputError("Could not find a free folder name for the upload", file=str(out_root))


def _link_or_copy(src: Path, dest: Path) -> None:
    if LINK_BASE_FILES:
        try:
            os.link(src, dest)
            return
        except OSError:
            pass  # another file system, or links not allowed: copy instead
    shutil.copy2(src, dest)
