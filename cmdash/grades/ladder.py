"""Grade ladders as data (职级评定, docs/ladders.md): grades, thresholds and review rules, read from
TOML so a company describes its own ladder without code.

A threshold is a number or `k*P` with P a parameter of the ladder (bancassurance states
its premium thresholds as multiples of company parameters P and q).
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cmdash.errors import InputError
from cmdash.i18n import pick
from cmdash.kpi.catalog import KPIS

LADDER_DIR = Path(__file__).parent / "ladders"
_MULTIPLE = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*\*?\s*([A-Za-z_]\w*)\s*$")


@dataclass(frozen=True)
class Indicator:
    id: str
    label_zh: str
    label_en: str
    kpi: str | None = None  # where cmdash computes it from (None: supplied with the data)
    agg: str = "mean"  # how the review window's periods combine: mean or sum
    unit: str = ""


@dataclass(frozen=True)
class Grade:
    id: str
    label_zh: str
    label_en: str
    promote: dict[str, float] = field(default_factory=dict)  # to move into this grade
    keep: dict[str, float] = field(default_factory=dict)  # to stay in it
    base_pay: float | None = None  # 元 per month, for the pay what-if
    formal_contract: bool = False  # on a formal labour contract: 五险一金 is paid (a setting)
    illustrative: bool = False  # the source names the tier but not its numbers: ours

    def label(self, lang: str) -> str:
        return pick(self.label_zh, self.label_en, lang)


@dataclass(frozen=True)
class Ladder:
    id: str
    label_zh: str
    label_en: str
    review: str  # month, quarter or year
    grades: tuple[Grade, ...]  # bottom first
    indicators: dict[str, Indicator]
    skip_levels: bool = False  # promotion may jump several grades (bank)
    straight_demotion: bool = False  # demotion goes straight to the supported grade (bank)
    transfer_after: int | None = None  # reviews in a row below the bottom → transfer (oil)
    grace_reviews: int = 0  # failures at the bottom tolerated before the contract ends
    #: the lowest graded grade that misses its keep lines is demoted to the entry grade below
    #: it (bancassurance: 初级 → 助理), instead of grace and transfer
    demote_to_entry: bool = False
    #: an entry-grade manager's first review does not count against them (bancassurance:
    #: 助理 may skip the first review period, not the second)
    first_review_optional: bool = False
    #: months an entry grade lasts (oil: 见习 for 3 months): from then the manager is graded
    #: at least at the lowest graded grade, by results; before, neither promoted nor failed.
    #: Needs a `tenure_months` indicator (months since hire at the review period's end).
    probation_months: int | None = None
    note_zh: str = ""
    note_en: str = ""
    source: str = ""

    def index(self, grade: str) -> int | None:
        return next((i for i, g in enumerate(self.grades) if g.id == grade), None)

    def label(self, lang: str) -> str:
        return pick(self.label_zh, self.label_en, lang)

    @property
    def kpis(self) -> tuple[str, ...]:
        """The catalog KPIs its indicators read: what a scan for it must hold."""
        return tuple(dict.fromkeys(i.kpi for i in self.indicators.values() if i.kpi in KPIS))

    def with_threshold(self, grade: str, kind: str, indicator: str, value: float) -> Ladder:
        """A copy with one threshold moved (the what-if sliders)."""
        grades = []
        for g in self.grades:
            if g.id == grade:
                table = dict(getattr(g, kind))
                table[indicator] = value
                g = dataclasses.replace(g, **{kind: table})
            grades.append(g)
        return Ladder(**{**self.__dict__, "grades": tuple(grades)})


def _threshold(value: Any, params: dict[str, float], where: str) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and (m := _MULTIPLE.match(value)):
        factor, name = m.groups()
        if name not in params:
            raise InputError(f"Unknown parameter {name} in {value!r}", file=where)
        return float(factor) * params[name]
    raise InputError(f"A threshold must be a number or k*P, got {value!r}", file=where)


def parse(tree: dict[str, Any], where: str = "ladder") -> Ladder:
    """A ladder from its TOML tree, with every name checked."""
    try:
        params = {k: float(v) for k, v in tree.get("params", {}).items()}
        indicators = {
            k: Indicator(k, v.get("label_zh", k), v.get("label_en", k), v.get("kpi"),
                         v.get("agg", "mean"), v.get("unit", ""))
            for k, v in tree["indicators"].items()
        }
        grades = []
        for g in tree["grades"]:
            for kind in ("promote", "keep"):
                unknown = set(g.get(kind, {})) - set(indicators)
                if unknown:
                    raise InputError(f"Grade {g['id']} uses undeclared indicator(s) "
                                     f"{sorted(unknown)}", file=where, column=kind)
            grades.append(Grade(
                g["id"], g.get("label_zh", g["id"]), g.get("label_en", g["id"]),
                {k: _threshold(v, params, where) for k, v in g.get("promote", {}).items()},
                {k: _threshold(v, params, where) for k, v in g.get("keep", {}).items()},
                g.get("base_pay"), bool(g.get("formal_contract", False)),
                bool(g.get("illustrative", False)),
            ))
        rules = tree.get("rules", {})
        review = tree.get("review", "quarter")
        if review not in ("month", "quarter", "year"):
            raise InputError(f"review must be month, quarter or year, got {review!r}",
                             file=where, column="review")
        return Ladder(
            tree["id"], tree.get("label_zh", tree["id"]), tree.get("label_en", tree["id"]),
            review, tuple(grades), indicators,
            bool(rules.get("skip_levels", False)), bool(rules.get("straight_demotion", False)),
            rules.get("transfer_after"), int(rules.get("grace_reviews", 0)),
            bool(rules.get("demote_to_entry", False)),
            bool(rules.get("first_review_optional", False)), rules.get("probation_months"),
            tree.get("note_zh", ""), tree.get("note_en", ""), tree.get("source", ""),
        )
    except KeyError as exc:
        raise InputError(f"Ladder is missing {exc.args[0]!r}", file=where) from exc


def load(path: str | Path) -> Ladder:
    p = Path(path)
    if not p.is_file():
        raise InputError("Ladder file not found", file=str(p))
    try:
        tree = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"Not valid TOML: {exc}", file=str(p)) from exc
    return parse(tree, str(p))


def shipped() -> dict[str, Ladder]:
    """The example ladders cmdash carries (docs/ladders.md) and the demo's own."""
    return {(ladder := load(p)).id: ladder for p in sorted(LADDER_DIR.glob("*.toml"))}
