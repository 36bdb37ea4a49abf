"""The CLI through its real entry point: help, exit codes, messages, and the numbers."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cmdash.commands import COMMANDS
from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.kpi import compute
from tests.fixtures import write_tiny_dataset

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cmdash", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_dataset(tmp_path_factory.mktemp("tiny"))


@pytest.mark.parametrize("command", [c.__name__.rsplit(".", 1)[-1] for c in COMMANDS])
def test_every_command_has_help(command: str) -> None:
    done = cli(command, "--help")
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout


def test_demo_then_validate(tmp_path: Path) -> None:
    out = tmp_path / "d"
    done = cli("demo", "--out", str(out), "--quiet", "--end", "2026-10-31")
    assert done.returncode == 0, done.stderr
    assert cli("validate", str(out)).returncode == 0
    assert cli("demo", "--out", str(out), "--quiet").returncode == 1  # not empty: refused


def test_broken_copy_exits_1_naming_the_problem(tiny: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(tiny, broken)
    import pyarrow.parquet as pq

    sales = pq.read_table(broken / "sales.parquet").drop_columns(["amount"])
    pq.write_table(sales, broken / "sales.parquet")
    done = cli("validate", str(broken), "--lang", "en")
    assert done.returncode == 1
    assert "amount" in done.stdout and "sales" in done.stdout
    kpis = cli("kpis", str(broken))
    assert kpis.returncode == 1
    assert "Traceback" not in kpis.stderr and "amount" in kpis.stderr


@pytest.mark.parametrize("args", [
    ("kpis", "/no/such/folder"),
    ("kpis", "{tiny}", "--kpi", "no_such_kpi"),
    ("kpis", "{tiny}", "--from", "2025-13-01"),
    ("kpis", "{tiny}", "--from", "2025-06-01", "--to", "2025-01-01"),
    ("score", "{tiny}", "--settings", "/no/such.toml"),
    ("kpis", "{tiny}", "--by", "planet"),
])
def test_bad_input_is_one_paragraph_and_exit_1(tiny: Path, args: tuple[str, ...]) -> None:
    done = cli(*[a.format(tiny=tiny) for a in args])
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("cmdash: ")


def test_kpis_csv_matches_the_engine(tiny: Path) -> None:
    done = cli("kpis", str(tiny), "--by", "region", "--period", "quarter", "--kpi",
               "sales_cases", "target_attainment", "coverage")
    assert done.returncode == 0, done.stderr
    got = pd.read_csv(io.StringIO(done.stdout))
    assert list(got.columns) == ["region", "period", "sales_cases", "target_attainment",
                                 "coverage", "partial"]
    # the fixture's sales end on 2025-06-24: Q2 is quarter-to-date
    assert list(got.drop_duplicates("period")["partial"]) == [False, True]
    want = compute(open_engine(Dataset.open(tiny)),
                   ["sales_cases", "target_attainment", "coverage"], ("region",),
                   "quarter").values
    assert got["sales_cases"].to_numpy() == pytest.approx(want["sales_cases"].to_numpy())


def test_score_json_columns(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.json"
    done = cli("score", str(tiny), "--period", "quarter", "--format", "json", "--out",
               str(out))
    assert done.returncode == 0, done.stderr
    rows = json.loads(out.read_text())
    assert set(rows[0]) == {"manager_id", "period", "results", "forecast", "customers",
                            "service", "compliance", "records", "total", "rank", "partial",
                            "status"}
    km1 = [r for r in rows if r["manager_id"] == "KM-0001" and r["period"] == "2025-01-01"]
    assert km1[0]["total"] == pytest.approx(
        (20 * 275 / 3 + 25 * 1000 / 55 + 25 * 100 + 10 * 0 + 10 * 100) / 90)


    q2 = [r for r in rows if r["period"] == "2025-04-01"]
    assert q2 and all(r["partial"] and r["rank"] is None for r in q2)


def test_kpi_doc_catalog_is_current() -> None:
    from cmdash.commands.catalog import markdown

    assert markdown("en") in (ROOT / "docs" / "kpis.md").read_text(encoding="utf-8"), (
        "docs/kpis.md's KPI table is stale: paste `python -m cmdash catalog` into it")


def test_settings_defaults_round_trip(tmp_path: Path) -> None:
    done = cli("settings", "--defaults")
    assert done.returncode == 0
    f = tmp_path / "s.toml"
    f.write_text(done.stdout.replace("results = 20.0", "results = 30.0", 1))
    checked = cli("settings", "--check", str(f))
    assert checked.returncode == 0 and "assessment.weight.results = 30.0" in checked.stdout
    f.write_text("[assessment.weight]\nresultz = 3\n")
    bad = cli("settings", "--check", str(f))
    assert bad.returncode == 1 and "resultz" in bad.stderr
    f.write_text("[assessment.weight]\nresults = 300\n")
    assert "outside" in cli("settings", "--check", str(f)).stderr


def test_grades_and_stock_commands(tiny: Path, tmp_path: Path) -> None:
    done = cli("grades", str(tiny), "--ladder", "tobacco_demo", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert {r["manager_id"] for r in rows} <= {"KM-0001", "KM-0002", "KM-0003", "KM-0004"}
    assert all(r["action"] in ("promote", "keep", "demote", "grace", "below", "transfer",
                               "not_on_ladder") for r in rows)
    ladder = tmp_path / "l.toml"
    ladder.write_text('id = "x"\n[indicators.a]\n[[grades]]\nid = "g"\nkeep = { b = 1 }\n')
    bad = cli("grades", str(tiny), "--ladder", str(ladder))
    assert bad.returncode == 1 and "undeclared indicator" in bad.stderr
    stock = cli("stock", str(tiny), "--customer", "3205002", "--end", "2025-06-30")
    assert stock.returncode == 0, stock.stderr
    frame = pd.read_csv(io.StringIO(stock.stdout), dtype={"customer_id": str})
    assert set(frame["customer_id"]) == {"3205002"}
    assert cli("stock", str(tiny), "--customer", "nobody").returncode == 1


def test_data_contract_doc_is_generated_from_the_contract() -> None:
    from cmdash.commands.contract import markdown

    assert (ROOT / "docs" / "DATA-CONTRACT.md").read_text(encoding="utf-8") == markdown(), (
        "docs/DATA-CONTRACT.md is stale: `python -m cmdash contract > docs/DATA-CONTRACT.md`")


def test_contract_command_prints_every_table_and_column() -> None:
    from cmdash.contract import TABLES

    done = cli("contract")
    assert done.returncode == 0, done.stderr
    for t in TABLES.values():
        assert f"### {t.name}" in done.stdout
        for c in t.columns:
            assert f"| {c.name} | {c.type}" in done.stdout, (t.name, c.name)
