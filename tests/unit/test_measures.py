"""Measures are declarations the roll-up executes: each names an aggregate the roll-up
knows, every named computation has its one function, derived inputs are measures, and
docs/kpis.md's measures table is the printed one."""

from __future__ import annotations

from pathlib import Path

from cmdash.commands.catalog import measures_markdown
from cmdash.kpi.catalog import KPIS, RANGE_KPIS
from cmdash.kpi.computations import ATTACHED, KEYED
from cmdash.kpi.facts import FACTS, ON_REQUEST
from cmdash.kpi.measures import (
    COMPUTATIONS,
    MEASURES,
    Computed,
    Count,
    CountDistinct,
    Derived,
    Sum,
    inputs,
    scanned,
)

ROOT = Path(__file__).resolve().parents[2]


def test_every_measure_declares_an_aggregate_on_a_declared_source() -> None:
    for m, d in MEASURES.items():
        assert d.name == m
        match d.agg:
            case Sum():
                assert d.agg.column in FACTS[d.fact].measures, m
            case Count() | CountDistinct():
                assert d.fact in FACTS, m
                assert all(c.test in ("positive", "same", "in_or_after_period", "workday")
                           for c in d.agg.where), m
            case Derived():
                assert set(d.agg.inputs) <= set(MEASURES), m
                assert all(i in d.agg.expr for i in d.agg.inputs), m
            case Computed():
                assert m in COMPUTATIONS[d.agg.name].outputs, m
            case _:
                raise AssertionError(f"{m}: unknown aggregate {d.agg!r}")


def test_every_computation_has_one_function_and_yields_declared_measures() -> None:
    for name, comp in COMPUTATIONS.items():
        assert (name in ATTACHED) != (name in KEYED), name
        assert (name in ATTACHED) == comp.attach, name
        assert set(comp.counts) <= set(comp.outputs), name
        for m in comp.outputs:
            assert MEASURES[m].agg == Computed(name), (name, m)
    assert set(ATTACHED) | set(KEYED) == set(COMPUTATIONS)


def test_derived_inputs_are_read_and_scanned() -> None:
    need = inputs({"gross_cases"})
    assert need == {"gross_cases", "cases", "return_cases"}
    assert scanned(need) == {"sales": ("cases", "return_cases")}


def test_range_kpis_are_those_reading_the_by_product_facts() -> None:
    assert set(RANGE_KPIS) == {"sell_through_rate", "range_listing_rate",
                               "cultivation_stockists"}
    for k in KPIS.values():
        facts = {MEASURES[m].fact for m in inputs(set(k.measures))}
        assert (k.id in RANGE_KPIS) == bool(facts & set(ON_REQUEST)), k.id


def test_docs_measures_table_is_the_printed_one() -> None:
    text = (ROOT / "docs" / "kpis.md").read_text(encoding="utf-8")
    assert measures_markdown() in text, (
        "docs/kpis.md's measures table is stale: paste `python -m cmdash catalog --measures`")
