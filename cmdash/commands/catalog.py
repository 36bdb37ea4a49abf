"""`catalog`: the KPI catalog, or the measures KPIs divide, as a Markdown table
(docs/kpis.md's copies are checked against them)."""

from __future__ import annotations

import argparse

from cmdash.i18n import pick


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("catalog", help="print the KPI catalog as a Markdown table",
                       description="Every KPI: id, 中文 and English label, unit, direction, "
                       "definition.")
    p.add_argument("--lang", choices=("zh", "en"), default="en", help="notes' language")
    p.add_argument("--measures", action="store_true",
                   help="the measures instead: each one's fact and aggregate")
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


def measures_markdown() -> str:
    """Every measure: the fact it is measured on, its declared aggregate, the KPIs using it."""
    from cmdash.kpi.catalog import KPIS
    from cmdash.kpi.measures import (
        COMPUTATIONS,
        MEASURES,
        Count,
        CountDistinct,
        Derived,
        Sum,
        inputs,
    )

    def condition(c) -> str:
        return {"positive": f"{c.column} > 0", "same": f"{c.column} = {c.other}",
                "in_or_after_period": f"{c.column} ≥ the period's start",
                "workday": f"{c.column} is a workday"}[c.test]

    def aggregate(a) -> str:
        where = " and ".join(condition(c) for c in getattr(a, "where", ()))
        where = f" where {where}" if where else ""
        match a:
            case Sum():
                return f"sum of `{a.column}`"
            case Count():
                return f"rows{where}"
            case CountDistinct():
                return f"distinct `{a.key}`{where}"
            case Derived():
                return f"`{a.expr}`"
        joined = " (joined, adds owed groups)" if COMPUTATIONS[a.name].attach else ""
        return f"computed: {a.name}{joined}"

    users = {m: [k.id for k in KPIS.values() if m in inputs(set(k.measures))]
             for m in MEASURES}
    rows = ["| measure | fact | aggregate | KPIs |", "|---|---|---|---|"]
    for m, d in MEASURES.items():
        rows.append(f"| `{m}` | {d.fact} | {aggregate(d.agg)} | "
                    f"{', '.join(users[m]) or '–'} |")
    return "\n".join(rows) + "\n"


def run(args: argparse.Namespace) -> int:
    print(measures_markdown() if args.measures else markdown(args.lang), end="")
    return 0
