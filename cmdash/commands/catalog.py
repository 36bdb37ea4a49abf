"""`catalog`: the KPI catalog as a Markdown table (docs/kpis.md's copy is checked against it)."""

from __future__ import annotations

import argparse

from cmdash.i18n import pick


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("catalog", help="print the KPI catalog as a Markdown table",
                       description="Every KPI: id, 中文 and English label, unit, direction, "
                       "definition.")
    p.add_argument("--lang", choices=("zh", "en"), default="en", help="notes' language")
    p.set_defaults(run=run)


def markdown(lang: str = "en") -> str:
    from cmdash.kpi.catalog import KPIS
    from cmdash.kpi.units import UNITS

    # no source column: the sources are internal notes, not documents in the repository
    rows = ["| id | 中文 | English | unit | better | definition |",
            "|---|---|---|---|---|---|"]
    for k in KPIS.values():
        u = UNITS[k.unit]
        ratio = f"{k.numerator} ÷ {k.denominator}" if k.denominator else k.numerator
        if k.complement:
            ratio = f"1 − {ratio}"
        if k.scale != 1:
            ratio = f"{ratio} × {k.scale:g}"
        note = pick(k.note_zh, k.note_en, lang)
        definition = f"{ratio}" + (f" — {note}" if note else "")
        rows.append(f"| `{k.id}` | {k.label_zh} | {k.label_en} | {u.zh} / {u.en} | "
                    f"{k.direction} | {definition} |")
    return "\n".join(rows) + "\n"


def run(args: argparse.Namespace) -> int:
    print(markdown(args.lang), end="")
    return 0
