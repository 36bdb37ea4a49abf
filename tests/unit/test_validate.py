"""The validator on the tiny fixture and on copies of it with one thing broken each."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from cmdash.validation import RULES, Finding, Report, validate
from tests.fixtures import FIXTURE_TODAY, write_tiny_dataset


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_dataset(tmp_path_factory.mktemp("tiny") / "data")


@pytest.fixture
def copy(original: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(original, tmp_path / "data"))


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def check(root: Path, today: date = FIXTURE_TODAY) -> Report:
    """Validate and prove the files were left exactly as they were."""
    before = snapshot(root)
    report = validate(root, today)
    assert snapshot(root) == before
    return report


def rewrite(path: Path, change: Callable[[pa.Table], pa.Table]) -> None:
    pq.write_table(change(pq.read_table(path)), path)


def set_value(table: pa.Table, column: str, row: int, value: object) -> pa.Table:
    values = table.column(column).to_pylist()
    values[row] = value
    field = table.schema.field(column)
    return table.set_column(table.column_names.index(column), field, pa.array(values, field.type))


def only(report: Report, rule: str, *, table: str, file: str, column: str | None,
         count: int | None) -> Finding:
    """The single finding of `rule`, with its facts checked and named in both languages."""
    found = [f for f in report.find(rule) if f.table == table and f.column == column]
    assert len(found) == 1, report.render("en")
    finding = found[0]
    assert (finding.file, finding.count) == (file, count)
    assert finding.severity == RULES[rule].severity
    for lang in ("zh", "en"):
        text = finding.message(lang)
        assert table in text and file in text and (column is None or column in text), text
        assert count is None or f"{count:,}" in text, text
    return finding


def test_tiny_fixture_is_valid(original: Path) -> None:
    report = check(original)
    assert report.ok and not report.warnings, report.render("en")
    # notes: the tier order assumed (letters in the fixture) and the 2 return lines
    assert [f.rule for f in report.findings] == ["tier_encoding", "returns"]
    assert report.find("returns")[0].count == 2
    assert report.row_counts["sales"] == 30 and report.row_counts["managers"] == 4
    assert json.loads(json.dumps(report.to_dict()))["ok"] is True
    assert "通过" in report.render() and "OK" in report.render("en")


def test_hive_partitioned_folder_is_validated(tmp_path: Path) -> None:
    root = write_tiny_dataset(tmp_path / "data", partition_sales=True)
    assert (root / "sales" / "year=2025" / "month=03" / "part-0.parquet").is_file()
    report = check(root)
    assert report.ok and report.row_counts["sales"] == 30
    only(report, "returns", table="sales", file="sales/", column="quantity", count=2)


def test_unreadable_partition_is_named(tmp_path: Path) -> None:
    root = write_tiny_dataset(tmp_path / "data", partition_sales=True)
    (root / "sales" / "year=2025" / "month=03" / "part-0.parquet").write_bytes(b"not parquet")
    report = check(root)
    only(report, "unreadable_file", table="sales",
         file="sales/year=2025/month=03/part-0.parquet", column=None, count=None)
    assert report.row_counts["sales"] == 25  # the other partitions are still checked


def test_partition_missing_a_column(tmp_path: Path) -> None:
    root = write_tiny_dataset(tmp_path / "data", partition_sales=True)
    rewrite(root / "sales" / "year=2025" / "month=02" / "part-0.parquet",
            lambda t: t.drop_columns(["manager_id"]))
    only(check(root), "missing_column", table="sales",
         file="sales/year=2025/month=02/part-0.parquet", column="manager_id", count=None)


def test_unreadable_file(copy: Path) -> None:
    (copy / "feedback.parquet").write_bytes(b"PAR1 this is not really parquet")
    report = check(copy)
    only(report, "unreadable_file", table="feedback", file="feedback.parquet", column=None,
         count=None)
    assert "feedback" not in report.row_counts or report.row_counts["feedback"] == 0


def test_missing_column(copy: Path) -> None:
    rewrite(copy / "sales.parquet", lambda t: t.drop_columns(["amount"]))
    only(check(copy), "missing_column", table="sales", file="sales.parquet", column="amount",
         count=None)


def test_wrong_type_id_stored_as_integer(copy: Path) -> None:
    rewrite(copy / "customers.parquet",
            lambda t: t.set_column(0, "customer_id", pc.cast(t.column(0), pa.int64())))
    finding = only(check(copy), "wrong_type", table="customers", file="customers.parquet",
                   column="customer_id", count=None)
    assert dict(finding.details) == {"expected": "string", "found": "int64"}
    assert "int64" in finding.message("zh") and "string" in finding.message("en")


def test_compatible_types_are_accepted_or_warned(copy: Path) -> None:
    def widen(t: pa.Table) -> pa.Table:
        t = t.set_column(t.column_names.index("birth_year"), "birth_year",
                         pc.cast(t.column("birth_year"), pa.int64()))
        return t.set_column(t.column_names.index("hire_date"), "hire_date",
                            pc.cast(t.column("hire_date"), pa.timestamp("ns")))

    rewrite(copy / "managers.parquet", widen)
    report = check(copy)
    assert report.ok, report.render("en")
    only(report, "converted_type", table="managers", file="managers.parquet",
         column="hire_date", count=None)  # int64 birth_year fits int16: accepted silently


def test_integer_column_stored_as_float_must_hold_whole_numbers(copy: Path) -> None:
    rewrite(copy / "visits.parquet", lambda t: set_value(
        t.set_column(t.column_names.index("issues_raised"), "issues_raised",
                     pc.cast(t.column("issues_raised"), pa.float64())), "issues_raised", 0, 1.5))
    report = check(copy)
    only(report, "integer_out_of_range", table="visits", file="visits.parquet",
         column="issues_raised", count=1)


def test_duplicate_key(copy: Path) -> None:
    rewrite(copy / "managers.parquet", lambda t: pa.concat_tables([t, t.slice(1, 1)]))
    finding = only(check(copy), "duplicate_key", table="managers", file="managers.parquet",
                   column="manager_id", count=2)
    assert finding.examples == ("KM-0002",)


def test_company_calendar_a_date_twice_and_a_workday_left_blank(copy: Path) -> None:
    # the fixture's calendar already holds a day in 2026, after today: allowed (planned)
    rewrite(copy / "calendar.parquet", lambda t: set_value(
        pa.concat_tables([t, t.slice(0, 1)]), "is_workday", 1, None))
    report = check(copy)
    only(report, "duplicate_key", table="calendar", file="calendar.parquet", column="date",
         count=2)
    only(report, "null_value", table="calendar", file="calendar.parquet",
         column="is_workday", count=1)
    assert not [f for f in report.find("future_date") if f.table == "calendar"]


def test_orphan_foreign_key(copy: Path) -> None:
    def orphan(t: pa.Table) -> pa.Table:
        for row in (0, 5, 9):
            t = set_value(t, "product_id", row, "P99")
        return t

    rewrite(copy / "sales.parquet", orphan)
    finding = only(check(copy), "orphan_key", table="sales", file="sales.parquet",
                   column="product_id", count=3)
    assert finding.examples == ("P99",)
    assert "products" in finding.message("en")


def test_nullable_foreign_key_checked_only_when_set(copy: Path) -> None:
    rewrite(copy / "visits.parquet", lambda t: set_value(t, "accompanied_by", 0, "KM-9999"))
    report = check(copy)
    only(report, "orphan_key", table="visits", file="visits.parquet", column="accompanied_by",
         count=1)  # the 7 null accompanied_by values are fine


def test_future_date(copy: Path) -> None:
    rewrite(copy / "visits.parquet",
            lambda t: set_value(t, "visit_start", 2, datetime(2099, 1, 1, 9, 0)))
    finding = only(check(copy), "future_date", table="visits", file="visits.parquet",
                   column="visit_start", count=1)
    assert finding.examples == ("2099-01-01 09:00:00",)
    assert "2025-07-02" in finding.message("zh")  # today + 1 day


def test_early_date_is_a_warning_and_date_order_an_error(copy: Path) -> None:
    rewrite(copy / "managers.parquet", lambda t: set_value(t, "hire_date", 2, date(1900, 1, 1)))
    rewrite(copy / "customers.parquet",
            lambda t: set_value(t, "closed_date", 0, date(2009, 1, 1)))
    report = check(copy)
    only(report, "early_date", table="managers", file="managers.parquet", column="hire_date",
         count=1)
    only(report, "date_order", table="customers", file="customers.parquet",
         column="closed_date", count=1)
    assert [f.rule for f in report.errors] == ["date_order"]


def test_left_manager_without_left_date(copy: Path) -> None:
    rewrite(copy / "managers.parquet", lambda t: set_value(t, "left_date", 2, None))
    report = check(copy)
    assert report.ok
    only(report, "left_without_date", table="managers", file="managers.parquet",
         column="left_date", count=1)


def test_nan_amount(copy: Path) -> None:
    rewrite(copy / "sales.parquet", lambda t: set_value(
        set_value(t, "amount", 3, float("nan")), "amount", 4, float("inf")))
    only(check(copy), "nonfinite_amount", table="sales", file="sales.parquet", column="amount",
         count=2)


def test_score_out_of_range(copy: Path) -> None:
    rewrite(copy / "feedback.parquet", lambda t: set_value(t, "score", 0, 7.0))
    finding = only(check(copy), "score_range", table="feedback", file="feedback.parquet",
                   column="score", count=1)
    assert finding.examples == ("7.0",)


def test_issues_resolved_above_raised(copy: Path) -> None:
    rewrite(copy / "visits.parquet", lambda t: set_value(t, "issues_resolved", 0, 3))
    finding = only(check(copy), "issues_resolved_exceed_raised", table="visits",
                   file="visits.parquet", column="issues_resolved", count=1)
    assert finding.examples == ("V001",)


def test_bad_channel(copy: Path) -> None:
    rewrite(copy / "visits.parquet", lambda t: set_value(t, "channel", 4, "wechat"))
    finding = only(check(copy), "bad_choice", table="visits", file="visits.parquet",
                   column="channel", count=1)
    assert finding.examples == ("wechat",)
    assert "on_site" in finding.message("en")


def test_tables_missing_or_empty(copy: Path) -> None:
    (copy / "targets.parquet").unlink()
    (copy / "events.parquet").unlink()
    rewrite(copy / "visits.parquet", lambda t: t.slice(0, 0))
    report = check(copy)
    assert [f.table for f in report.find("missing_table")] == ["targets"]
    assert [f.table for f in report.find("optional_table_missing")] == ["events"]
    only(report, "empty_table", table="visits", file="visits.parquet", column=None, count=None)


def test_every_rule_renders_in_both_languages() -> None:
    facts = dict(table="t", file="f", column="c", count=3, examples=("a", "b"))
    details = tuple((k, k.upper()) for k in
                    ("expected", "found", "target", "limit", "other", "choices", "reason",
                     "order_zh", "order_en"))
    for rule in RULES.values():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", rule.id)
        finding = Finding(rule.id, details=details, **facts)  # type: ignore[arg-type]
        for lang in ("zh", "en"):
            assert "{" not in finding.message(lang) and "t" in finding.message(lang)
