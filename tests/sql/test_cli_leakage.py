"""Leakage through the CLI: every data command run `--as` a coach of one 片区 prints only
that 片区's managers and customers, and its totals are the 片区's own."""

from __future__ import annotations

import io
import re
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pandas as pd
import pytest

from cmdash.cli import main
from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.kpi import compute
from cmdash.query import Filters

COACH = "li.na@example.com"
MANAGER = "self@example.com"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def scoped(demo_root: Path, tmp_path_factory: pytest.TempPathFactory):
    """A copy of the demo (never demo_root itself) with an access file."""
    copy = tmp_path_factory.mktemp("cli-leak") / "demo"
    shutil.copytree(demo_root, copy, ignore=shutil.ignore_patterns("_truth"))
    managers = pd.read_parquet(copy / "managers.parquet").astype({"manager_id": str})
    district = sorted(managers["district"].unique())[0]
    sold = pd.read_parquet(copy / "sales", columns=["customer_id", "manager_id"]).astype(str)
    own = sorted(set(sold["manager_id"]))[0]  # a manager with a book (a 市场经理 has none)
    (copy / "access.toml").write_text(
        f'[users."{COACH}"]\nrole = "coach"\ndistricts = ["{district}"]\n\n'
        f'[users."{MANAGER}"]\nrole = "manager"\nmanagers = ["{own}"]\n', encoding="utf-8")
    inside = set(managers.loc[managers["district"] == district, "manager_id"])
    customers = pd.read_parquet(copy / "customers.parquet").astype({"customer_id": str,
                                                                    "manager_id": str})
    own_customers = set(customers.loc[customers["manager_id"].isin(inside), "customer_id"]) \
        | set(sold.loc[sold["manager_id"].isin(inside), "customer_id"])
    return {"root": copy, "district": district, "inside": inside,
            "outside_customers": set(customers["customer_id"]) - own_customers,
            "outside_names": set(managers.loc[~managers["manager_id"].isin(inside), "name"])
            - set(managers.loc[managers["manager_id"].isin(inside), "name"])}


COMMANDS = [
    ("kpis", "--by", "manager", "--period", "month"),
    ("kpis", "--by", "district", "--period", "year"),
    ("score", "--period", "month"),
    ("segments", "--lang", "en"),
    ("grades", "--ladder", "tobacco_demo"),
    ("stock",),
    ("risk",),
    ("risk", "--managers"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_no_command_prints_anything_outside_the_scope(scoped, command) -> None:
    name, *rest = command
    code, out, err = run(name, str(scoped["root"]), *rest, "--as", COACH)
    assert code == 0, err
    assert out.count("\n") >= 2, "the command printed rows"
    managers = set(re.findall(r"KM\d{4}", out))
    if name in ("score", "segments", "grades", "risk") or "manager" in rest:
        assert managers, "rows name their managers"
    assert managers <= scoped["inside"], sorted(managers - scoped["inside"])
    customers = set(re.findall(r"\d{12}", out))
    assert not customers & scoped["outside_customers"]
    assert not [n for n in scoped["outside_names"] if n in out]


def test_scoped_totals_are_the_district_sums(scoped) -> None:
    code, out, _ = run("kpis", str(scoped["root"]), "--by", "company", "--period", "year",
                       "--kpi", "sales_cases", "visits", "--format", "csv", "--as", COACH)
    assert code == 0
    shown = pd.read_csv(io.StringIO(out))
    engine = open_engine(Dataset.open(scoped["root"]))
    expected = compute(engine, ["sales_cases", "visits"], (), "year",
                       Filters(districts=(scoped["district"],))).values
    assert shown["sales_cases"].tolist() == pytest.approx(expected["sales_cases"].tolist())
    assert shown["visits"].tolist() == pytest.approx(expected["visits"].tolist())
    everyone = compute(engine, ["sales_cases"], (), "year", Filters()).values
    assert shown["sales_cases"].sum() < everyone["sales_cases"].sum()


def test_a_manager_sees_only_their_own_rows(scoped) -> None:
    code, out, err = run("score", str(scoped["root"]), "--period", "quarter", "--as", MANAGER)
    assert code == 0, err
    assert len(set(re.findall(r"KM\d{4}", out))) == 1


@pytest.mark.parametrize("who", ["nobody@example.com", "x' OR '1'='1", "../../etc/passwd"])
def test_an_unknown_user_is_refused(scoped, who: str) -> None:
    code, out, err = run("kpis", str(scoped["root"]), "--as", who)
    assert code == 1 and not out
    assert "not in the access file" in err
