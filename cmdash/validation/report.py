"""What the validator found: immutable findings, rendered in Chinese (default) or English."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from cmdash.i18n import pick
from cmdash.validation.rules import MAX_EXAMPLES, RULES, SEVERITY_ORDER, Severity

Lang = Literal["zh", "en"]
_NONE = {"zh": "（无）", "en": "(none)"}


@dataclass(frozen=True)
class Finding:
    """One rule that fired on one table, file or column."""

    rule: str  # a key of RULES
    table: str | None = None
    file: str | None = None  # relative to the dataset root; a folder table ends in '/'
    column: str | None = None
    count: int | None = None  # rows (or values) affected
    examples: tuple[str, ...] = ()  # first offending values or row keys, as text
    details: tuple[tuple[str, str], ...] = ()  # extra template fields: expected, found, …

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"unknown validation rule {self.rule!r}")

    @property
    def severity(self) -> Severity:
        return RULES[self.rule].severity

    def message(self, lang: Lang = "zh") -> str:
        """The rule's template filled with this finding's facts."""
        template = pick(RULES[self.rule].zh, RULES[self.rule].en, lang)
        sep = pick("、", ", ", lang)
        fields = {
            "table": self.table or "",
            "file": self.file or "",
            "column": self.column or "",
            "count": "" if self.count is None else f"{self.count:,}",
            "examples": sep.join(self.examples[:MAX_EXAMPLES]) or _NONE[lang],
            **dict(self.details),
        }
        return template.format_map(fields)

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "rule": self.rule,
            "table": self.table,
            "file": self.file,
            "column": self.column,
            "count": self.count,
            "examples": list(self.examples),
            "details": dict(self.details),
            "message_zh": self.message("zh"),
            "message_en": self.message("en"),
        }


_HEADINGS = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示", "ok": "通过", "fail": "未通过"},
    "en": {"error": "Errors", "warning": "Warnings", "info": "Notes", "ok": "OK", "fail": "FAILED"},
}


@dataclass(frozen=True)
class Report:
    """The result of validate(): findings (errors first) and the rows each table holds."""

    root: str  # the dataset folder that was checked
    today: date  # the reference date for the future-date rule
    findings: tuple[Finding, ...]
    row_counts: dict[str, int] = field(default_factory=dict)  # table -> rows, present tables

    def by_severity(self, severity: Severity) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return self.by_severity("error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return self.by_severity("warning")

    @property
    def infos(self) -> tuple[Finding, ...]:
        return self.by_severity("info")

    @property
    def ok(self) -> bool:
        """True when nothing blocks loading the dataset (warnings and notes allowed)."""
        return not self.errors

    def find(self, rule: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.rule == rule)

    def to_dict(self) -> dict[str, Any]:
        return {
            "root": self.root,
            "today": self.today.isoformat(),
            "ok": self.ok,
            "row_counts": dict(self.row_counts),
            "counts": {s: len(self.by_severity(s)) for s in SEVERITY_ORDER},
            "findings": [f.to_dict() for f in self.findings],
        }

    def render(self, lang: Lang = "zh") -> str:
        """Plain text for a terminal or a log: verdict, row counts, findings by severity."""
        words = _HEADINGS[lang]
        lines = [f"{self.root}: {words['ok'] if self.ok else words['fail']}"]
        lines += [f"  {name}: {rows:,}" for name, rows in self.row_counts.items()]
        for severity in SEVERITY_ORDER:
            found = self.by_severity(severity)
            if found:
                lines.append(f"{words[severity]} ({len(found)}):")
                lines += [f"  - [{f.rule}] {f.message(lang)}" for f in found]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render("zh")
