"""Every data command answers the same on Spark as on DuckDB (within 1e-9 relative).

One SparkSession serves all commands (the CLI's engines share it through getOrCreate), and
the data is the small demo cut to one district over a year: enough history for the lapse
model and the backtest, small enough that ten Spark runs stay in budget on two cores.
Each engine has its own workspace (shared by its runs in this module), so a model the
DuckDB runs trained and saved is never what the Spark runs score with (each engine trains
its own, once), and the alert ledger of one engine never hides the other's firings.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from cmdash.alerts.rules import ALERTS_FILE, load
from cmdash.cli import main
from cmdash.dataset import Dataset
from cmdash.i18n import t

pytestmark = pytest.mark.spark

END = dt.date(2026, 10, 31)
COMMANDS = {
    "kpis": ["kpis"],
    "score": ["score"],
    "segments": ["segments", "--lang", "en"],
    "risk": ["risk", "--lang", "en"],
    "risk_managers": ["risk", "--managers", "--lang", "en"],
    "backtest": ["backtest", "--as-of", str(END - dt.timedelta(days=100))],
    "stock": ["stock"],
    "grades": ["grades", "--ladder", "tobacco_demo"],
    "alerts": ["alerts", "--all", "--lang", "en"],  # the rules: RULES, beside the data
}
#: One rule of each kind, each firing on the district at its last day (the test checks).
RULES = """
[[rule]]
id = "coverage-low"
kind = "kpi"
kpi = "coverage"
op = "<"
threshold = 90
months = 2
recipients = ["coach@example.com"]

[[rule]]
id = "attainment-low"
kind = "kpi"
kpi = "target_attainment"
op = "<"
threshold = 100
recipients = ["coach@example.com"]

[[rule]]
id = "lacking-drive"
kind = "coaching"
type = "lacking_drive"
recipients = ["coach@example.com"]

[[rule]]
id = "top-silent"
kind = "silent"
tiers = ["A", "B"]
days = 10
recipients = ["coach@example.com"]
"""
#: the manager-keyed tables, cut to one district's managers
_BY_MANAGER = ("visits", "targets", "checkins", "inspections", "events", "feedback")


def one_district(src: Path, out: Path) -> Path:
    """The demo cut to the first district's managers, their customers and their rows."""
    ds = Dataset.open(src)
    managers = pq.read_table(ds.source("managers").path)
    district = sorted(set(managers["district"].to_pylist()))[0]
    managers = managers.filter(pc.equal(managers["district"], district))
    ids = managers["manager_id"]
    out.mkdir(parents=True)
    pq.write_table(managers, out / "managers.parquet")
    customers = pq.read_table(ds.source("customers").path)
    customers = customers.filter(pc.is_in(customers["manager_id"], ids))
    pq.write_table(customers, out / "customers.parquet")
    pq.write_table(pq.read_table(ds.source("products").path), out / "products.parquet")
    for name in ("sales", *_BY_MANAGER):
        source = ds.source(name)
        if source is None:
            continue
        table = pq.ParquetDataset([str(p) for p in source.files()]).read()
        keep = pc.is_in(table["manager_id"], ids)
        if "customer_id" in table.column_names:
            keep = pc.and_(keep, pc.or_kleene(pc.is_null(table["customer_id"]), pc.is_in(
                table["customer_id"], customers["customer_id"])))
        pq.write_table(table.filter(keep), out / f"{name}.parquet")
    return out


@pytest.fixture(scope="module")
def lean(tmp_path_factory: pytest.TempPathFactory, spark_session) -> Path:
    """(`spark_session` is the one the CLI's engines find.)"""
    from cmdash.demo import generate

    base = tmp_path_factory.mktemp("spark-commands")
    generate(base / "full", size="small", seed=7, end=END, months=12)
    lean = one_district(base / "full", base / "lean")
    (lean / ALERTS_FILE).write_text(RULES, encoding="utf-8")
    return lean


@pytest.fixture(scope="module")
def workspaces(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each engine's own workspace: saved models and ledgers are never shared across."""
    base = tmp_path_factory.mktemp("spark-commands-workspaces")
    return {engine: base / engine for engine in ("duckdb", "spark")}


def _run(args: list[str], out: Path, workspace: Path,
         monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """The command in this workspace; (exit code, standard error)."""
    monkeypatch.setenv("CMDASH_WORKSPACE", str(workspace))
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main([*args, "--out", str(out)])
    return code, err.getvalue()


def _table(path: Path) -> pd.DataFrame:
    if path.suffix == ".json":
        flat = dict(_flatten(json.loads(path.read_text(encoding="utf-8"))))
        return pd.DataFrame({k: [v] for k, v in flat.items()})
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _flatten(value, key: str = ""):
    """(path, text) for every leaf of a JSON value, lists by index."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _flatten(v, f"{key}.{k}" if key else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _flatten(v, f"{key}[{i}]")
    else:
        yield key, "" if value is None else str(value)


def assert_same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Same columns and rows (in any order); numbers within 1e-9 relative, text equal."""
    assert list(left.columns) == list(right.columns)
    assert len(left) == len(right)
    numeric = [c for c in left.columns
               if pd.to_numeric(left[c].replace("", np.nan), errors="coerce").notna().sum()
               == (left[c] != "").sum() and (left[c] != "").any()]
    text = [c for c in left.columns if c not in numeric]
    left, right = (f.sort_values(text, kind="stable").reset_index(drop=True) if text else f
                   for f in (left, right))
    for c in left.columns:
        if c in numeric:
            a = pd.to_numeric(left[c].replace("", np.nan)).to_numpy(dtype="float64")
            b = pd.to_numeric(right[c].replace("", np.nan)).to_numpy(dtype="float64")
            np.testing.assert_allclose(b, a, rtol=1e-9, atol=0, equal_nan=True, err_msg=c)
        else:
            assert left[c].tolist() == right[c].tolist(), c


@pytest.mark.parametrize("name", list(COMMANDS))
def test_command_same_on_both_engines(lean: Path, workspaces: dict[str, Path], tmp_path: Path,
                                      name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    args = COMMANDS[name]
    suffix = ".json" if name == "backtest" else ".csv"
    results = {}
    for engine in ("duckdb", "spark"):
        out = tmp_path / f"{engine}{suffix}"
        code, err = _run([args[0], str(lean), *args[1:], "--engine", engine], out,
                         workspaces[engine], monkeypatch)
        assert code == 0, f"{engine}: {err[-2000:]}"
        results[engine] = _table(out)
    assert len(results["duckdb"]) > 0, f"{name} answered nothing: the check would be empty"
    if name == "alerts":  # every kind of rule fired: each kind's queries are compared
        assert set(results["duckdb"]["rule"]) == {r.id for r in load(lean / ALERTS_FILE).rules}
    assert_same(results["duckdb"], results["spark"])


def test_bulletin_same_on_both_engines(lean: Path, workspaces: dict[str, Path], tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """`report` as a workbook: every sheet, cell by cell (numbers within 1e-9 relative,
    text equal), but for the footnote's time of making."""
    month = f"{END:%Y-%m}"
    books = {}
    for engine in ("duckdb", "spark"):
        out = tmp_path / f"{engine}.xlsx"
        code, err = _run(["report", str(lean), "--month", month, "--format", "xlsx",
                          "--lang", "en", "--engine", engine], out, workspaces[engine],
                         monkeypatch)
        assert code == 0, f"{engine}: {err[-2000:]}"
        books[engine] = _sheets(out)
    assert list(books["duckdb"]) == list(books["spark"])
    numbers = 0
    for title, rows in books["duckdb"].items():
        other = books["spark"][title]
        assert len(rows) == len(other), title
        for i, (a, b) in enumerate(zip(rows, other, strict=True)):
            assert len(a) == len(b), f"{title} row {i}"
            for j, (x, y) in enumerate(zip(a, b, strict=True)):
                where = f"{title} row {i} column {j}"
                if isinstance(x, int | float) and not isinstance(x, bool):
                    assert isinstance(y, int | float), where
                    np.testing.assert_allclose(y, x, rtol=1e-9, atol=0, err_msg=where)
                    numbers += 1
                else:
                    assert x == y, where
    assert numbers > 100  # the ranking, headline and movers are compared, not only labels


def _sheets(path: Path) -> dict[str, list[tuple]]:
    """Each sheet's rows as cell values, without the footnote's time of making."""
    from openpyxl import load_workbook

    made = t("report.foot.made", "en")
    book = load_workbook(path, read_only=True)
    return {ws.title: [row for row in ws.iter_rows(values_only=True) if row[0] != made]
            for ws in book.worksheets}
