"""`contract`: the data contract as Markdown, generated from `cmdash.contract`
(docs/DATA-CONTRACT.md is this output, checked by a test)."""

from __future__ import annotations

import argparse

from cmdash.contract import (
    CONTRACT_VERSION,
    DATE_ORDER_RULES,
    EARLIEST_PLAUSIBLE_YEAR,
    SIGNED_AMOUNTS,
    TABLES,
    Table,
)

INTRO = """\
The extracts that cmdash reads: one folder, one table per name below, each either
`NAME.parquet` or a folder `NAME/` of Parquet files (hive partitions such as
`sales/year=2025/month=03/part-0.parquet` allowed). This is the interface between a
company's systems and the dashboard: the demo generator writes it, the validator checks it,
every query reads it. Column names are exact and lower-case. Extra columns are allowed and
ignored. A column marked `opt` may be absent or null; every other column must be present.

Types are Arrow logical types. `string` ids may hold any text (company ids such as
`KM-0042` or `3401020005`); never assume they are integers.
"""

OPTIONAL = ("Optional tables (features that need them say so and hide themselves when "
            "absent)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("contract", help="print the data contract as Markdown",
                       description="Every table and column of the data contract, with its "
                       "type, keys and meaning, and the rules the validator enforces.")
    p.set_defaults(run=run)


def _table(t: Table) -> list[str]:
    keys = {fk.column: fk.table for fk in t.foreign_keys}
    lines = [f"### {t.name}" + (f" — {t.description}" if t.description else ""),
             "| column | type | notes |", "|---|---|---|"]
    for c in t.columns:
        notes = [n for n in (
            "primary key" if c.name == t.primary_key else "",
            f"foreign key to {keys[c.name]}" if c.name in keys else "",
            c.note or ", ".join(f"`{v}`" for v in c.choices)) if n]
        cell = "; ".join(notes)
        lines.append(f"| {c.name} | {c.type}{' opt' if c.optional else ''} |"
                     + (f" {cell} |" if cell else " |"))
    return lines + ([t.note] if t.note else []) + [""]


def _rules() -> list[str]:
    order = "; ".join(f"`{hi}` ≥ `{lo}`" for _, lo, hi in DATE_ORDER_RULES)
    signed = " and ".join(f"`{c}`" for _, c in SIGNED_AMOUNTS)
    return [
        "## Integrity rules the validator enforces",
        "- Every primary key unique and non-null; every foreign key resolves (an orphan is "
        "reported with its count and the first examples, never silently dropped).",
        f"- No date after today + 1 day (an error); dates before {EARLIEST_PLAUSIBLE_YEAR} "
        "are a warning (often a placeholder such as 1900-01-01), not an error — "
        f"long-standing customers and managers are real; {order}.",
        f"- {signed} finite; negative only on return lines (reported as returns, not "
        "errors).",
        "- `score` within 1–5; `issues_resolved` ≤ `issues_raised`; booleans are booleans.",
        "- A table that is unreadable, lacks a required column, or has a column of the wrong "
        "type is an error naming the file and column; the files themselves are never "
        "modified.",
        "- Text must be UTF-8: a text column holding other bytes (GBK exported as is, say) is "
        "an error naming the file, the column and how many rows.",
        "- A required table that is present but empty (a company with no visit logs, say) is "
        "a warning, not an error: the features that need it say so and the rest keep "
        "working.",
    ]


def markdown() -> str:
    lines = [f"# cmdash data contract, v{CONTRACT_VERSION}", "", INTRO,
             "## Required tables", ""]
    for t in TABLES.values():
        if not t.optional_table:
            lines += _table(t)
    lines += [f"## {OPTIONAL}", ""]
    for t in TABLES.values():
        if t.optional_table:
            lines += _table(t)
    return "\n".join(lines + _rules()) + "\n"


def run(args: argparse.Namespace) -> int:
    del args
    print(markdown(), end="")
    return 0
