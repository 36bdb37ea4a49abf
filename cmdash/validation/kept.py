"""A dataset version's validation report kept in its workspace, so that a restarted server
(or a second server process) opens its first page without checking every file again.

The report is a pure function of the files, the validator's code and the day (the
future-date rule reads today): the file name hashes all three, so new data, a changed rule
or a new day is checked afresh; an unreadable or foreign file is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from datetime import date
from functools import lru_cache
from pathlib import Path

from cmdash.dataset import Dataset
from cmdash.validation.report import Finding, Report
from cmdash.validation.validator import validate

FOLDER = "validation"
#: Bumped when the file's layout changes.
FORMAT_VERSION = 1


@lru_cache(maxsize=1)
def _code() -> str:
    """The validator's source and the contract it checks: a changed check is a new report."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha1()
    for path in [*sorted(here.glob("*.py")), here.parent / "contract.py"]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def report_path(dataset: Dataset, version: str, today: date) -> Path:
    key = json.dumps({"format": FORMAT_VERSION, "version": version, "today": today.isoformat(),
                      "code": _code(), "root": str(dataset.root)}, sort_keys=True)
    name = hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
    return dataset.workspace / FOLDER / f"{name}.json"


def to_json(report: Report) -> str:
    return json.dumps({
        "root": report.root, "today": report.today.isoformat(),
        "row_counts": report.row_counts,
        "findings": [{"rule": f.rule, "table": f.table, "file": f.file, "column": f.column,
                      "count": f.count, "examples": list(f.examples),
                      "details": [list(d) for d in f.details]} for f in report.findings],
    }, ensure_ascii=False)


def from_json(text: str) -> Report:
    raw = json.loads(text)
    findings = tuple(Finding(f["rule"], f["table"], f["file"], f["column"], f["count"],
                             tuple(f["examples"]), tuple(tuple(d) for d in f["details"]))
                     for f in raw["findings"])
    return Report(raw["root"], date.fromisoformat(raw["today"]), findings,
                  {k: int(v) for k, v in raw["row_counts"].items()})


def kept_report(root: str | Path, version: str | None = None,
                today: date | None = None) -> Report:
    """`validate(root)`, read back from the workspace when this version was checked today
    with this code; else checked and kept (written atomically; a read-only workspace only
    means it is checked again next time)."""
    dataset = Dataset.open(root)
    today = today or date.today()
    path = report_path(dataset, version or dataset.version(), today)
    try:
        return from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    report = validate(root, today)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".report-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(to_json(report))
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return report
