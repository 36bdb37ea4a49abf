"""The monthly bulletin: its numbers are the `kpis` and `score` outputs for that month and
scope, a coach's bulletin names nobody outside their district, the xlsx has one sheet per
section with text that never runs as a formula, and a partial month says so."""

from __future__ import annotations

import datetime as dt
import io
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from cmdash.all_settings import Settings
from cmdash.cli import main
from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.report.bulletin import build
from cmdash.report.formats import render
from cmdash.report.gather import Month
from cmdash.report.xlsx import put
from tests.demo_data import DEMO_END

MONTH = f"{DEMO_END:%Y-%m}"
COACH = "coach@example.com"


def cli(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    assert code == 0, err.getvalue()
    return out.getvalue()


def cli_frame(*argv: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(cli(*argv)), dtype={"manager_id": str})


@pytest.fixture(scope="module")
def company(demo_root: Path, tmp_path_factory: pytest.TempPathFactory):
    """Built once, with the session's workspace (the function-scoped autouse fixture that
    sets it runs after module fixtures): the `risk` command then reuses its saved model."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CMDASH_WORKSPACE", str(tmp_path_factory.getbasetemp() / "workspace"))
        ds = Dataset.open(demo_root)
        return build(ds, open_engine(ds), MONTH, Settings(), lang="en")


@pytest.fixture(scope="module")
def access(demo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """An access file outside the dataset (never written into the demo) for one coach."""
    managers = pd.read_parquet(demo_root / "managers.parquet").astype({"manager_id": str})
    district = sorted(managers["district"].unique())[0]
    path = tmp_path_factory.mktemp("bulletin-access") / "access.toml"
    path.write_text(f'[users."{COACH}"]\nrole = "coach"\ndistricts = ["{district}"]\n',
                    encoding="utf-8")
    inside = managers["district"] == district
    return {"path": path, "inside": set(managers.loc[inside, "manager_id"]),
            "outside_names": set(managers.loc[~inside, "name"])
            - set(managers.loc[inside, "name"])}


def test_headline_equals_the_kpis_command(company, demo_root: Path) -> None:
    kpis = cli_frame("kpis", str(demo_root), "--by", "company", "--period", "month",
                     "--to", str(DEMO_END))
    row = kpis[kpis["period"] == f"{MONTH}-01"].iloc[0]
    prior = kpis[kpis["period"] == f"{DEMO_END.year}-{DEMO_END.month - 1:02d}-01"].iloc[0]
    year_ago = kpis[kpis["period"] == f"{DEMO_END.year - 1}-{DEMO_END.month:02d}-01"].iloc[0]
    head = company.section("headline").values.set_index("kpi")
    assert len(head) >= 6
    for kpi, r in head.iterrows():
        for col, source in (("value", row), ("prior", prior), ("yoy", year_ago)):
            if pd.isna(source[kpi]):
                assert pd.isna(r[col]), (kpi, col)
            else:
                assert r[col] == pytest.approx(source[kpi], rel=1e-9), (kpi, col)


def test_ranking_equals_the_score_command(company, demo_root: Path) -> None:
    score = cli_frame("score", str(demo_root), "--period", "month")
    month = score[(score["period"] == f"{MONTH}-01") & score["total"].notna()]
    ranking = company.section("ranking").values.set_index("manager")
    assert set(ranking.index) == set(month["manager_id"])
    for part in ("results", "forecast", "customers", "service", "compliance", "records",
                 "total", "rank"):
        expected = month.set_index("manager_id")[part]
        assert ranking[part].astype(float).to_numpy() == pytest.approx(
            expected.loc[ranking.index].astype(float).to_numpy(), nan_ok=True), part
    top = company.section("top").values
    assert list(top["rank"]) == sorted(ranking["rank"])[:len(top)]
    prior = score[score["period"] == f"{DEMO_END.year}-{DEMO_END.month - 1:02d}-01"]
    prior = prior.set_index("manager_id")
    movers = company.section("movers").values.set_index("manager")
    assert len(movers)
    assert movers["total_prior"].to_numpy() == pytest.approx(
        prior.loc[movers.index, "total"].to_numpy())
    assert movers["delta"].to_numpy() == pytest.approx(
        (movers["total"] - prior.loc[movers.index, "total"]).to_numpy())
    assert (movers["rank_prior"].astype(int) == prior.loc[movers.index, "rank"]).all()


def test_risk_counts_equal_the_risk_command(company, demo_root: Path) -> None:

    risk = pd.read_csv(io.StringIO(cli("risk", str(demo_root), "--as-of", str(DEMO_END))))
    high = risk[risk["risk"] >= Settings()["retention.risk_cutoff"]]
    section = company.section("risk").values
    assert int(section["customers"].iloc[-1]) == len(high)  # the total row
    assert section["customers"].iloc[:-1].sum() == len(high)
    assert section["volume"].iloc[:-1].sum() == pytest.approx(section["volume"].iloc[-1])


def test_company_bulletin_counts_coaching_types_without_names(company) -> None:
    coaching = company.section("coaching")
    assert "names" not in coaching.values
    assert coaching.values["managers"].sum() > 0


def test_a_coaches_bulletin_holds_their_district_only(demo_root: Path, access: dict,
                                                      tmp_path: Path) -> None:
    out = tmp_path / "coach.html"
    cli("report", str(demo_root), "--month", MONTH, "--as", COACH, "--access",
        str(access["path"]), "--out", str(out), "--lang", "en")
    html = out.read_text(encoding="utf-8")
    shown = set(re.findall(r"KM\d{4}", html))
    assert shown, "the ranking names its managers"
    assert shown <= access["inside"], sorted(shown - access["inside"])
    texts = set(re.findall(r">([^<>]+)<", html))  # whole cells and labels (王辉 ≠ 王辉鑫)
    assert not texts & access["outside_names"]
    assert texts & {n for n in pd.read_parquet(demo_root / "managers.parquet")["name"]}
    score = cli_frame("score", str(demo_root), "--as", COACH, "--access",
                      str(access["path"]))
    scored = score[(score["period"] == f"{MONTH}-01") & score["total"].notna()]
    for _, r in scored.iterrows():  # the coach's own ranks, not the company's
        assert re.search(rf"<td class=n>{int(r['rank'])}</td><td>{r['manager_id']}</td>", html)
    assert "Names" in html, "a coach's own bulletin may name the managers per type"


def test_xlsx_has_a_sheet_per_section_and_text_is_never_a_formula(company,
                                                                    tmp_path: Path) -> None:
    book = load_workbook(io.BytesIO(render(company, "xlsx")))
    assert len(book.sheetnames) == len(company.sections) + 1
    ranking = book[book.sheetnames[1]]
    assert ranking.cell(2, 1).value == 1  # numbers stay numbers
    wb = Workbook()
    put(wb.active["A1"], "=HYPERLINK(\"http://x\",\"y\")")
    put(wb.active["A2"], 12.5)
    path = tmp_path / "escaped.xlsx"
    wb.save(path)
    again = load_workbook(path).active
    assert again["A1"].data_type == "s" and again["A1"].value.startswith("'=")  # quoted
    assert again["A2"].value == 12.5


def test_pdf_embeds_a_chinese_font(company) -> None:
    from cmdash.report import html, pdf

    data = pdf.render(html.render(company), compress=False)
    assert data.startswith(b"%PDF")
    fonts = set(re.findall(rb"/BaseFont\s*/([^\s/]+)", data))
    assert any(re.search(rb"WenQuanYi|CJK|Hei|Song|Ming", f) for f in fonts), fonts


def test_a_partial_month_is_said_to_be_partial() -> None:
    m = Month.of(MONTH, dt.date(DEMO_END.year, DEMO_END.month, 12))
    assert m.partial and m.end == dt.date(DEMO_END.year, DEMO_END.month, 12)
    full = Month.of(MONTH, DEMO_END)
    assert not full.partial and full.end == DEMO_END


@pytest.mark.parametrize("month,says", [("2026-13", "YYYY-MM"),
                                         ("2019-01", "outside the data")])
def test_bad_month_is_refused(demo_root: Path, tmp_path: Path, month, says) -> None:
    err = io.StringIO()
    with redirect_stderr(err), redirect_stdout(io.StringIO()):
        code = main(["report", str(demo_root), "--month", month, "--out",
                     str(tmp_path / "x.html")])
    assert code == 1 and says in err.getvalue() and "Traceback" not in err.getvalue()
    assert not (tmp_path / "x.html").exists()


def test_scope_option_reads_as_a_role_and_bad_ones_are_refused() -> None:
    from cmdash.commands.report import scope_access
    from cmdash.errors import InputError

    a = scope_access("district=D1,D2")
    assert (a.role, a.districts, a.everything) == ("coach", ("D1", "D2"), False)
    assert scope_access("region=R").regions == ("R",)
    for bad in ("district=", "team=T", "D1"):
        with pytest.raises(InputError, match="--scope"):
            scope_access(bad)


def test_a_section_its_source_refuses_says_not_measured(company) -> None:
    from dataclasses import replace

    from cmdash.errors import InputError
    from cmdash.report import html
    from cmdash.report.bulletin import _measured

    def refuse():
        raise InputError("Only 29 days of orders", file="sales")

    section = _measured("risk", "en", refuse)
    assert section.values.empty
    page = html.render(replace(company, sections=(section,)))
    assert "Not measured: Only 29 days of orders (file sales)" in page
    book = load_workbook(io.BytesIO(render(replace(company, sections=(section,)), "xlsx")))
    assert book.worksheets[0]["A2"].value.startswith("Not measured")
