"""Injection: SQL and path strings in every text a user can type or send do nothing.

Filters, the viewer's scope, settings files, access files, coach notes, the audit log,
upload file names and CLI arguments each get the same hostile strings; every table must
still be there with the same row count, no file may appear outside the workspace or the
uploads folder, and the answer is either an empty result, the value stored as plain text,
or a clear message (InputError / exit 1 with one line) — never a traceback.
"""

from __future__ import annotations

import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pandas as pd
import pytest

from cmdash import access
from cmdash.access import Access, audit
from cmdash.all_settings import Settings
from cmdash.cli import main
from cmdash.coaching import verdicts
from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.errors import InputError
from cmdash.ingest import ALLOWED_SUFFIXES, MAX_UPLOAD_BYTES, import_table
from cmdash.kpi import compute
from cmdash.query import Filters, run
from tests.fixtures import write_tiny_dataset

HOSTILE = (
    "x' OR '1'='1",
    "'; DROP TABLE sales; --",
    "\"; DROP TABLE managers; --",
    "1); DELETE FROM customers; --",
    "../../etc/passwd",
    "..\\..\\windows\\system32",
    "%00",
    "a\x00b",
    "$start",
    "' UNION SELECT * FROM read_csv('/etc/passwd') --",
    "x" * 100_000,
    "东城一片区'; --",
)
TABLES = ("managers", "customers", "sales", "visits", "feedback", "targets")


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return write_tiny_dataset(tmp_path / "tiny")


def counts(engine) -> dict[str, int]:
    return {t: int(engine.query(f"SELECT count(*) AS n FROM {t}", {})["n"].iloc[0])
            for t in TABLES}


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")}


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_filters_bind_hostile_text_as_values(tiny: Path, text: str) -> None:
    engine = open_engine(Dataset.open(tiny))
    before = counts(engine)
    for filters in (Filters(regions=(text,)), Filters(districts=(text,)),
                    Filters(managers=(text,)), Filters(regions=(text, "苏州"))):
        people = run(engine, "manager_directory", filters)
        assert text not in set(people["region"]) | set(people["district"])
        values = compute(engine, ["sales_cases"], ("manager",), "all", filters).values
        assert set(values["manager"]) <= set(people["manager_id"])
    assert run(engine, "scope_managers", Filters(districts=(text,))).empty
    assert counts(engine) == before


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_a_hostile_scope_sees_nothing(tiny: Path, text: str) -> None:
    engine = open_engine(Dataset.open(tiny))
    before = counts(engine)
    for viewer in (Access(text, "coach", districts=(text,)),
                   Access(text, "region_head", regions=(text,)),
                   Access(text, "manager", managers=(text,)),
                   Access(text, "coach", supervisor=text)):
        assert run(engine, "scope_managers", Filters(access=viewer)).empty
        assert compute(engine, ["sales_cases"], (), "all",
                       Filters(access=viewer)).values["sales_cases"].fillna(0).sum() == 0
    assert counts(engine) == before


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_access_file_values_are_checked_text(text: str) -> None:
    with pytest.raises(InputError, match="role"):
        access.parse({"users": {"a@x": {"role": text, "districts": ["d"]}}})
    with pytest.raises(InputError, match="Unknown key"):
        access.parse({"users": {"a@x": {"role": "coach", text: ["d"]}}})
    rules = access.parse({"users": {text: {"role": "coach", "districts": [text]}}})
    assert rules.lookup(text).districts == (text,)  # plain text, bound as a value later


def test_access_file_refuses_wrong_types_and_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="list of text"):
        access.parse({"users": {"a@x": {"role": "coach", "districts": "'; DROP TABLE x"}}})
    bad = tmp_path / "access.toml"
    bad.write_text('[users."a@x"]\nrole = "coach\ndistricts = [', encoding="utf-8")
    with pytest.raises(InputError, match="Not valid TOML"):
        access.load(bad)


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_settings_text_values_are_checked(text: str) -> None:
    with pytest.raises(InputError):
        Settings().with_values({"coaching.peer_group": text})
    with pytest.raises(InputError, match="Unknown setting"):
        Settings().with_values({text: 1})
    if len(text) > 200:
        with pytest.raises(InputError, match="longer than"):
            Settings().with_values({"stock.profitable_tiers": text})
    else:  # free text stays text: split on commas in pandas, never put into SQL
        assert Settings().with_values({"stock.profitable_tiers": text})[
            "stock.profitable_tiers"] == text


def test_settings_toml_with_hostile_values(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[coaching]\npeer_group = "all\' OR 1=1 --"\n', encoding="utf-8")
    with pytest.raises(InputError, match="peer_group"):
        Settings.load(path)


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_notes_and_audit_keep_hostile_text_as_text(tmp_path: Path, text: str) -> None:
    ws = tmp_path / "ws"
    verdicts.record(ws, "KM0001", "lacking_drive", "confirmed", text, "demo:coach")
    saved = verdicts.load(ws)
    assert saved.iloc[-1]["note"] == text[:verdicts.MAX_NOTE_CHARS]
    audit.record(ws, text, "coaching.verdict", {"note": text + "\n{\"fake\": 1}"})
    audit.record(ws, "demo:coach", "whatif.save", {"values": {}})
    entries = audit.load(ws)
    assert len(entries) == 2 and entries[0].who == text
    assert entries[0].detail["note"].startswith(text[:audit.MAX_DETAIL_CHARS])
    assert len((ws / audit.FILE).read_text(encoding="utf-8").splitlines()) == 2
    assert files_under(tmp_path) <= {ws, ws / verdicts.FILE, ws / audit.FILE}


CSV = "manager_id,name,region,district\nKM9,张三,苏州,姑苏片区\n".encode()


@pytest.mark.parametrize("name", [
    "../../etc/passwd.csv", "..\\..\\evil.csv", "/etc/cron.d/x.csv", "x%00.csv",
    "x\x00.csv", "'; DROP TABLE sales; --.csv", "客户经理.csv", "a" * 5000 + ".csv",
])
def test_upload_names_cannot_place_files(tiny: Path, tmp_path: Path, name: str) -> None:
    uploads = tmp_path / "uploads"
    outside = files_under(tmp_path) - files_under(uploads)
    try:
        folder = import_table("managers", CSV, name, tiny, uploads)
    except InputError as exc:  # refused with a message naming the file
        assert exc.describe()
        folder = None
    if folder is not None:
        assert folder.resolve().is_relative_to(uploads.resolve())
        assert (folder / "managers.parquet").is_file()
        assert pd.read_parquet(folder / "managers.parquet")["manager_id"].tolist() == ["KM9"]
    assert files_under(tmp_path) - files_under(uploads) == outside  # nothing else appeared
    assert counts(open_engine(Dataset.open(tiny)))["managers"] > 1  # the source untouched


@pytest.mark.parametrize("name", ["x.exe", "x.csv.sh", "x.toml", "x", "x.CSV.py"])
def test_upload_types_are_refused_with_a_message(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError, match="Unsupported file type"):
        import_table("managers", CSV, name, None, tmp_path / "uploads")
    assert not (tmp_path / "uploads").exists()
    assert ".csv" in ALLOWED_SUFFIXES


def test_uploads_are_bounded_in_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import cmdash.ingest as ingest

    monkeypatch.setattr(ingest, "MAX_UPLOAD_BYTES", 1024)
    with pytest.raises(InputError, match="limit"):
        import_table("managers", CSV * 100, "big.csv", None, tmp_path / "uploads")
    assert MAX_UPLOAD_BYTES <= 200 * 1024 * 1024


@pytest.mark.parametrize("table", ["'; DROP TABLE sales; --", "../managers", "sales/../x"])
def test_upload_table_names_come_from_the_contract(tmp_path: Path, table: str) -> None:
    with pytest.raises(InputError, match="Unknown table"):
        import_table(table, CSV, "x.csv", None, tmp_path / "uploads")


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse refuses a bad choice with exit 2
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_cli_arguments(tiny: Path, tmp_path: Path, text: str) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(tiny, copy)
    (copy / "access.toml").write_text('[users."c@x"]\nrole = "coach"\n'
                                      'districts = ["姑苏片区"]\n', encoding="utf-8")
    before = counts(open_engine(Dataset.open(copy)))
    for argv in (("kpis", str(copy), "--kpi", text), ("kpis", str(copy), "--by", text),
                 ("kpis", str(copy), "--from", text), ("kpis", text),
                 ("kpis", str(copy), "--as", text), ("score", str(copy), "--settings", text),
                 ("kpis", str(copy), "--as", "c@x", "--access", text),
                 ("stock", str(copy), "--customer", text)):
        code, out, err = cli(*argv)
        assert "Traceback" not in err
        if argv[0] == "stock":  # an unknown customer: a clear message or no rows
            assert code == 1 or len(out.strip().splitlines()) <= 1, out[:300]
        else:
            assert code in (1, 2), (argv, out[:300])
            assert err.strip(), argv
    assert counts(open_engine(Dataset.open(copy))) == before
    assert {p.name for p in copy.iterdir()} == {p.name for p in tiny.iterdir()} | {
        "access.toml"}
