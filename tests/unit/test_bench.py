"""The benchmark's machinery on the tiny fixture: JSON shape, ratios from the same run,
one scan per fact on a filter change. No absolute times are asserted anywhere."""

from __future__ import annotations

import json
import os
import statistics
from pathlib import Path

import pytest

from cmdash.bench.baselines import day_floor
from cmdash.bench.cases import CASES, DAY_FLOOR, FLOOR, NAIVE
from cmdash.bench.data import ensure_dataset
from cmdash.bench.memory import peak_rss
from cmdash.bench.workload import OVERVIEW_FACTS
from cmdash.cli import main
from cmdash.prepared.layer import FACTS_PREPARED
from tests.fixtures import write_tiny_dataset


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_dataset(tmp_path_factory.mktemp("bench") / "tiny", partition_sales=True)


@pytest.fixture(scope="module")
def result(tiny: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("bench-out") / "bench.json"
    code = main(["bench", "--size", "small", "--data", str(tiny), "--repeats", "2",
                 "--no-memory", "--quiet", "--out", str(out)])
    assert code == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_json_shape(result: dict, tiny: Path) -> None:
    assert set(result) >= {"version", "machine", "dataset", "config", "baselines", "cases",
                           "filter_change", "targets", "facts"}
    m = result["machine"]
    for key in ("date", "cpu_model", "cores", "ram_gib", "python", "duckdb", "pandas"):
        assert key in m
    assert m["cores"] == (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                          else os.cpu_count())
    assert result["dataset"]["how"] == "given"  # someone's data: measured, never overwritten
    assert (tiny / "sales").is_dir()
    assert list(result["cases"]) == [c.name for c in CASES]
    for c in result["cases"].values():
        assert len(c["samples_s"]) == 2 and len(c["cpu_samples_s"]) == 2
        assert c["median_s"] == statistics.median(c["samples_s"])
        assert c["group"] in ("baseline", "a", "b", "c", "d", "e")
    assert {t["id"] for t in result["targets"]} >= {
        "overview_vs_floor", "overview_vs_naive", "peak_rss", "one_scan_per_fact",
        "seen_filter_cached"}
    assert set(result["baselines"][FLOOR]["sql"]) == set(OVERVIEW_FACTS)


def test_ratios_come_from_this_runs_baselines(result: dict) -> None:
    cases = result["cases"]
    floor, naive = cases[FLOOR]["median_s"], cases[NAIVE]["median_s"]
    assert result["baselines"][FLOOR]["median_s"] == floor
    assert result["baselines"][NAIVE]["median_s"] == naive
    assert cases[FLOOR]["ratio_to_floor"] == pytest.approx(1.0)
    assert cases[NAIVE]["speedup_vs_naive"] == pytest.approx(1.0)
    for c in cases.values():
        assert c["ratio_to_floor"] == pytest.approx(c["median_s"] / floor)
        assert c["speedup_vs_naive"] == pytest.approx(naive / c["median_s"])
        assert c["cpu_ratio_to_floor"] == pytest.approx(
            c["cpu_median_s"] / cases[FLOOR]["cpu_median_s"])
    target = {t["id"]: t for t in result["targets"]}
    assert target["overview_vs_floor"]["value"] == cases["overview"]["ratio_to_floor"]


def test_filter_change_is_one_scan_per_fact(result: dict) -> None:
    fc = result["filter_change"]
    assert fc["facts_scanned"] == list(OVERVIEW_FACTS) == fc["facts_expected"]
    assert fc["fact_scans"] == len(OVERVIEW_FACTS) < fc["tables_drawn"] + len(OVERVIEW_FACTS)
    assert fc["statements"] == fc["fact_scans"] + fc["lookups"]
    assert fc["seen_filter_statements"] == 0
    # a new region is cut from the cached scan: one look-up of who is in it, no fact scan
    assert (fc["org_filter_fact_scans"], fc["org_filter_statements"]) == (0, 1)
    assert fc["memo"] == {"hits": 1, "misses": 2}
    assert fc["filter"]["regions"]  # a real region of the dataset


def test_naive_baseline_gives_the_same_numbers(result: dict) -> None:
    check = result["baselines"][NAIVE]["check"]
    assert check["ok"], check
    assert set(check["tables"]) == {"manager_by_month", "company_by_month", "region_range",
                                    "district_range", "manager_range"}


def test_peak_rss_in_a_child(tiny: Path) -> None:
    got = peak_rss(tiny, "filter.seen")
    assert got["peak_rss_mib"] >= got["ready_rss_mib"] > 0


def test_data_is_generated_once_then_reused(tmp_path: Path) -> None:
    folder, how = ensure_dataset("small", tmp_path / "b", months=3)
    assert how == "generated" and (folder / "sales").is_dir()
    assert ensure_dataset("small", folder, months=3)[1] == "reused"
    assert ensure_dataset("small", folder, months=4)[1] == "generated"  # other settings


def test_unknown_case_is_bad_input(tiny: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["bench", "--data", str(tiny), "--case", "nope", "--no-memory"]) == 1
    assert "unknown case" in capsys.readouterr().err


def test_prepared_cases_report_ratios_and_targets(result: dict) -> None:
    cases = result["cases"]
    floor, naive = cases[FLOOR]["median_s"], cases[NAIVE]["median_s"]
    for name in ("prepare.cold", "prepare.scan", "prepare.overview"):
        assert cases[name]["group"] == "e"
        assert cases[name]["ratio_to_floor"] == pytest.approx(cases[name]["median_s"] / floor)
    target = {t["id"]: t for t in result["targets"]}
    assert target["prepare_vs_floor"]["value"] == cases["prepare.cold"]["ratio_to_floor"]
    assert target["prepare_vs_naive"]["value"] == pytest.approx(
        naive / cases["prepare.cold"]["median_s"])
    assert target["warm_vs_floor"]["value"] == cases["prepare.scan"]["ratio_to_floor"]
    # the warm path's new date range sends nothing: no fact scan, and the attribute
    # look-ups were asked once for the layer by the prepared cases before it
    fc = result["filter_change"]
    assert fc["prepared_dates_fact_scans"] == 0 == fc["prepared_dates_statements"]
    assert target["prepared_no_fact_scan"]["met"] is True


def test_a_cold_build_leaves_the_warm_layer_alone(tiny: Path) -> None:
    """The cold case builds from nothing each round in a workspace of its own: the warm
    cases keep reading the one layer a server would hold (a layer rebuilt under them would
    be read afresh, timing a cold read as the warm path)."""
    from types import SimpleNamespace

    from cmdash.bench.prepared import PreparedWork
    from cmdash.dataset import Dataset
    from cmdash.engine import open_engine
    from cmdash.prepared.layer import MANIFEST

    ds = Dataset.open(tiny)
    work = PreparedWork(SimpleNamespace(engine=open_engine(ds), dataset=ds))
    try:
        layer = work.engine.prepared.layer()
        stamp = (layer.path / MANIFEST).stat().st_mtime_ns
        cold = work.cold()
        assert cold.path != layer.path
        assert (layer.path / MANIFEST).stat().st_mtime_ns == stamp
        assert work.engine.prepared.layer() is layer
    finally:
        work.close()


def test_same_work_floor_is_timed_with_the_cold_prepare(result: dict) -> None:
    cases = result["cases"]
    day, cold = cases[DAY_FLOOR], cases["prepare.cold"]
    assert day["group"] == "baseline"
    assert cold["ratio_to_same_work"] == pytest.approx(cold["median_s"] / day["median_s"])
    assert cold["cpu_ratio_to_same_work"] == pytest.approx(
        cold["cpu_median_s"] / day["cpu_median_s"])
    assert result["baselines"][DAY_FLOOR]["median_s"] == day["median_s"]
    assert set(result["baselines"][DAY_FLOOR]["sql"]) == set(FACTS_PREPARED)
    target = {t["id"]: t for t in result["targets"]}["prepare_vs_same_work"]
    assert target["value"] == cold["ratio_to_same_work"]
    assert target["met"] is (cold["ratio_to_same_work"] <= 2.0)
    # the warm cases run before the cold build in each round (its freed memory's page
    # faults would land on them)
    order = list(cases)
    assert order.index("prepare.scan") < order.index("prepare.cold")


def test_same_work_floor_only_runs_with_the_cold_prepare() -> None:
    from cmdash.bench.run import _selected

    assert DAY_FLOOR not in {c.name for c in _selected(("overview",))}
    assert DAY_FLOOR in {c.name for c in _selected(("prepare.cold",))}


def test_same_work_floor_computes_the_layers_day_tables(tiny: Path, tmp_path: Path) -> None:
    """The yardstick is the same work: cell for cell, the bare statements give the
    layer's daily tables (keys as text, measures as numbers, rows in any order)."""
    import pandas as pd

    from cmdash.dataset import Dataset
    from cmdash.engine import open_engine
    from cmdash.prepared.build import prepare
    from cmdash.prepared.layer import table_file

    ds = Dataset.open(tiny)
    engine = open_engine(ds)
    try:
        layer = prepare(engine, ds, workspace=tmp_path)
        bare = day_floor(engine)
    finally:
        engine.close()
    assert set(bare) == set(FACTS_PREPARED)
    for fact, table in bare.items():
        ours = pd.read_parquet(layer.path / table_file(fact, "day"))
        theirs = _comparable(table.to_pandas(), fact)
        assert len(theirs) == len(ours) > 0, fact
        pd.testing.assert_frame_equal(theirs, _comparable(ours, fact), check_dtype=False)


def _comparable(frame, fact: str):
    """Keys as text and days as timestamps, measures as floats, rows sorted by key."""
    import pandas as pd

    from cmdash.kpi.facts import FACTS

    keys = [*FACTS[fact].grain, "period"]
    cols = list(FACTS[fact].measures)
    frame = frame.astype({k: "string" for k in keys if k != "period"})
    frame["period"] = pd.to_datetime(frame["period"])
    frame[cols] = frame[cols].astype("float64")
    return frame[keys + cols].sort_values(keys).reset_index(drop=True)
