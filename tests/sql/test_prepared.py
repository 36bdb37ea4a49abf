"""The prepared layer (cmdash.prepared): scans cut from it equal scans of the fact files;
it is written atomically, keyed by data and settings, and `prepare` speaks plainly."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import threading
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from cmdash.cli import main
from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.kpi import KPIS, kpi_table
from cmdash.kpi.catalog import RANGE_KPIS
from cmdash.kpi.facts import FACTS
from cmdash.kpi.scan import CUSTOMER_ATTRS, MANAGER_ATTRS, carry_attributes, scan
from cmdash.memo.budget import Budget
from cmdash.prepared import Store, attach, prepare
from cmdash.prepared import build as build_mod
from cmdash.prepared.layer import COMBINE, FACTS_PREPARED, MANIFEST
from cmdash.prepared.read import MONTH_RANGE_START, Piece, Reader, pieces
from cmdash.query import Filters
from tests.fixtures import write_tiny_dataset

D = dt.date
ALL_KPIS = [k for k in KPIS if k not in RANGE_KPIS]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("prepared-ws")


@pytest.fixture(scope="module")
def engines(demo_root: Path, workspace: Path):
    """(direct engine, engine reading the prepared layer) on the small demo."""
    ds = Dataset.open(demo_root)
    direct, layered = open_engine(ds), open_engine(ds)
    prepare(direct, ds, workspace=workspace)
    layered.prepared = Store(workspace, ds.version())
    assert layered.prepared.layer() is not None
    yield direct, layered
    direct.close()
    layered.close()


def _same(a: pd.DataFrame, b: pd.DataFrame, keys: list[str]) -> None:
    """Equal frames, rows matched by key: exact for keys and counts, 1e-9 for floats."""
    assert list(a.columns) == list(b.columns)
    assert len(a) == len(b)
    # keys as text, a missing key (a complaint not yet resolved) as its own word
    a, b = (f.assign(**{k: f[k].astype(str).fillna("<null>") for k in keys}).sort_values(
        keys, ignore_index=True) for f in (a, b))
    for col in a.columns:
        if pd.api.types.is_float_dtype(a[col]):
            np.testing.assert_allclose(a[col].to_numpy(), b[col].to_numpy(), rtol=1e-9,
                                       atol=1e-9, err_msg=col)
        else:
            assert (a[col].astype(str) == b[col].astype(str)).all(), col


CASES = [
    (Filters(), "month", ("manager",)),
    (Filters(start=D(2026, 3, 17), end=D(2026, 8, 9)), "month", ("region",)),
    (Filters(start=D(2026, 3, 17), end=D(2026, 8, 9)), "week", ("district",)),
    (Filters(start=D(2026, 5, 3), end=D(2026, 5, 20)), "day", ("manager",)),
    (Filters(start=D(2025, 12, 1), end=D(2026, 2, 28)), "quarter", ()),
    (Filters(start=D(2026, 1, 6), end=D(2026, 6, 30)), "all", ("tier",)),
]


@pytest.mark.parametrize(("filters", "period", "by"), CASES)
def test_kpis_from_the_layer_equal_the_direct_scan(engines, filters, period, by) -> None:
    direct, layered = engines
    base = "day" if period == "day" else "week" if period == "week" else "month"
    a, b = scan(direct, filters, base), scan(layered, filters, base)
    for name in a.facts:
        keys = [c for c in ("manager", "customer", "day", "period", "in_range")
                if c in a.facts[name]]
        _same(a.facts[name], b.facts[name], keys)
    ka = kpi_table(a, ALL_KPIS, by, period, ("prior",) if period == "month" else ())
    kb = kpi_table(b, ALL_KPIS, by, period, ("prior",) if period == "month" else ())
    _same(ka.values, kb.values, list(ka.keys))


def test_a_scope_is_cut_from_the_layer(engines, demo_root: Path) -> None:
    direct, layered = engines
    region = sorted(direct.query("SELECT DISTINCT region FROM managers", {})["region"])[1]
    filters = Filters(start=D(2026, 2, 11), end=D(2026, 9, 30), regions=(region,))
    a, b = scan(direct, filters, "month"), scan(layered, filters, "month")
    assert a.scope == b.scope and a.scope
    for name in a.facts:
        assert set(b.facts[name]["manager"].astype(str)) <= set(a.scope)
        _same(a.facts[name], b.facts[name], [c for c in ("manager", "customer", "day",
                                                         "period", "in_range")
                                             if c in a.facts[name]])
    ka = kpi_table(a, ALL_KPIS, ("manager",), "month")
    kb = kpi_table(b, ALL_KPIS, ("manager",), "month")
    _same(ka.values, kb.values, list(ka.keys))


def test_a_new_date_range_does_not_touch_the_fact_files(demo_root: Path, tmp_path: Path) -> None:
    data = shutil.copytree(demo_root, tmp_path / "data")
    ds = Dataset.open(data)
    engine = open_engine(ds)
    prepare(engine, ds, workspace=tmp_path / "ws")
    engine.prepared = Store(tmp_path / "ws", ds.version())
    filters = Filters(start=D(2026, 4, 9), end=D(2026, 7, 22))
    expected = kpi_table(scan(open_engine(ds), filters, "month"), ALL_KPIS, ("district",),
                         "month")
    # the fact files leave; managers, customers, products stay
    for table in {FACTS[name].table for name in FACTS_PREPARED}:
        source = ds.source(table)
        source.path.rename(source.path.with_name(source.path.name + ".gone"))
    with pytest.raises(duckdb.Error):  # the proof the files are gone for the engine
        engine.query("SELECT count(*) FROM sales", {})
    got = kpi_table(scan(engine, filters, "month"), ALL_KPIS, ("district",), "month")
    _same(expected.values, got.values, list(expected.keys))


WINDOWS = [  # (scan_start, start, end): lead-ins before the data, mid-month, whole months
    (D(2024, 12, 1), D(2026, 1, 1), D(2026, 10, 31)),
    (D(2025, 2, 10), D(2026, 3, 17), D(2026, 8, 9)),
    (D(2025, 3, 27), D(2026, 5, 3), D(2026, 5, 20)),
    (D(2026, 1, 1), D(2026, 2, 1), D(2026, 2, 28)),
    (D(2031, 1, 1), D(2031, 2, 1), D(2031, 3, 5)),  # after the data: no rows
]


@pytest.mark.parametrize("period", ["month", "week", "day"])
def test_a_cut_from_memory_equals_the_cut_from_the_files(engines, period) -> None:
    """The same layer read through a budget that holds its tables and through one that
    holds none (a layer too large for memory reads its files): equal frames, for every
    fact, window and scope (whole periods sliced, partial ones and weeks summed from the
    days in memory against DuckDB summing them from the files)."""
    _, layered = engines
    layer = layered.prepared.layer()
    held, files = Reader(layer, Budget(1 << 31)), Reader(layer, Budget(1))
    managers = sorted(layered.query("SELECT manager_id FROM managers", {})["manager_id"])
    for name in FACTS_PREPARED:
        measures = tuple(layer.manifest["facts"][name]["measures"])
        keys = [c for c in (*FACTS[name].grain, "period", "in_range")]
        held.fact(name, measures, period, *WINDOWS[1])  # a month's part: days read later
        held.settle()
        for scan_start, start, end in WINDOWS:
            for scope in (None, frozenset(managers[::3]), frozenset()):
                a = held.fact(name, measures, period, scan_start, start, end, scope)
                b = files.fact(name, measures, period, scan_start, start, end, scope)
                _same(a, b, keys)
                kinds = [[d.name for d in f.dtypes] for f in (a, b)]
                assert kinds[0] == kinds[1], (name, period)
    assert len(files.budget) == 0  # nothing fits: every cut read the files
    kept = held.budget.keys()  # the period's tables and the daily ones were held
    assert {k[-2:] for k in kept} == {(f, g) for f in FACTS_PREPARED
                                      for g in {period, "day"} & set(layer.grains(f))}


@pytest.mark.parametrize("period", ["month", "week"])
def test_attributes_are_carried_once_per_table_in_memory(engines, period) -> None:
    """Tables kept in memory carry their keys' attributes once; every later cut (whole
    periods sliced, partial ones summed from the days) brings them along, equal in value
    and type to carrying them onto the cut from the files. The first cut, whose daily
    table is still being read, gets none from memory and carries them itself."""
    _, layered = engines
    layer = layered.prepared.layer()
    held, files = Reader(layer, Budget(1 << 31)), Reader(layer, Budget(1))
    base = scan(layered, Filters(start=D(2026, 2, 11), end=D(2026, 9, 30)), "month")
    calls: list[int] = []

    def attach(frame: pd.DataFrame) -> None:
        calls.append(len(frame))
        carry_attributes(frame, base)

    name = "sales"
    measures = tuple(layer.manifest["facts"][name]["measures"])
    keys = [*FACTS[name].grain, "period", "in_range"]
    attrs = [*MANAGER_ATTRS, *CUSTOMER_ATTRS]
    first = held.fact(name, measures, period, *WINDOWS[1], attach=attach)
    held.settle()
    for scan_start, start, end in [WINDOWS[1], *WINDOWS]:
        for scope in (None, frozenset(base.facts[name]["manager"].astype(str).unique()[::3])):
            a = held.fact(name, measures, period, scan_start, start, end, scope, attach=attach)
            b = files.fact(name, measures, period, scan_start, start, end, scope)
            assert set(attrs) <= set(a.columns)
            carry_attributes(b, base)
            _same(a, b, keys)
            assert [d.name for d in a.dtypes] == [d.name for d in b.dtypes]
    # carried once per table kept (the period's, the days'), not once per cut
    assert len(calls) == len({period, "day"} & set(layer.grains(name)))
    assert set(attrs) <= set(first.columns) or not set(attrs) & set(first.columns)


def test_cuts_from_memory_share_one_dictionary_and_their_carriers(engines) -> None:
    """Two scans of different dates from the layer: every fact's keys carry the layer's one
    set of categories, so the attributes' carriers built for the first are reused by the
    second, and the attribute look-ups are asked once per layer."""
    _, layered = engines
    a = scan(layered, Filters(start=D(2026, 2, 11), end=D(2026, 9, 30)), "month")
    kept = dict(layered.prepared.layer().reader.carriers)
    b = scan(layered, Filters(start=D(2026, 3, 5), end=D(2026, 7, 14)), "month")
    assert b.customers is a.customers and b.managers is a.managers
    for name in ("sales", "visits", "feedback"):  # one customer dictionary for the layer
        assert b.facts[name]["customer"].cat.categories is b.facts["sales"][
            "customer"].cat.categories
    assert layered.prepared.layer().reader.carriers == kept  # none built again


def test_hand_computed_split_of_a_month(tmp_path: Path) -> None:
    """Tiny fixture: KM-0004 in May 2025 sold 14 条 on the 15th and took 2 back on the 20th.
    A range starting on the 18th splits May: 14 条 before it, −2 (one return) in it."""
    root = write_tiny_dataset(tmp_path / "tiny")
    ds = Dataset.open(root)
    engine = open_engine(ds)
    prepare(engine, ds, workspace=tmp_path / "ws")
    engine.prepared = Store(tmp_path / "ws", ds.version())
    s = scan(engine, Filters(start=D(2025, 5, 18), end=D(2025, 6, 30)), "month")
    sales = s.facts["sales"]
    may = sales[(sales["manager"].astype(str) == "KM-0004")
                & (sales["period"] == pd.Timestamp("2025-05-01"))].set_index("in_range")
    assert may.loc[False, "units"] == 14.0 and may.loc[False, "order_lines"] == 1.0
    assert may.loc[True, "units"] == -2.0 and may.loc[True, "return_lines"] == 1.0
    assert may.loc[True, "active_lines"] == 0.0 and np.isnan(may.loc[True, "first_order_day"])
    # 2025-05-15 is day 20223 since 1970-01-01
    assert may.loc[False, "first_order_day"] == (D(2025, 5, 15) - D(1970, 1, 1)).days == 20223


def test_pieces_hand_computed() -> None:
    # mid-month to mid-month: a part, two whole months, a part
    assert pieces(D(2026, 3, 17), D(2026, 6, 9), "month", True) == [
        Piece(D(2026, 3, 17), D(2026, 3, 31), False, True),
        Piece(D(2026, 4, 1), D(2026, 5, 31), True, True),
        Piece(D(2026, 6, 1), D(2026, 6, 9), False, True)]
    # inside one month: one part; whole months: one piece
    assert pieces(D(2026, 2, 3), D(2026, 2, 20), "month", False) == [
        Piece(D(2026, 2, 3), D(2026, 2, 20), False, False)]
    assert pieces(D(2026, 1, 1), D(2026, 2, 28), "month", True) == [
        Piece(D(2026, 1, 1), D(2026, 2, 28), True, True)]
    # weeks start on Monday: 2026-03-04 is a Wednesday, 2026-03-16 a Monday
    assert pieces(D(2026, 3, 4), D(2026, 3, 16), "week", True) == [
        Piece(D(2026, 3, 4), D(2026, 3, 8), False, True),
        Piece(D(2026, 3, 9), D(2026, 3, 15), True, True),
        Piece(D(2026, 3, 16), D(2026, 3, 16), False, True)]
    assert pieces(D(2026, 3, 5), D(2026, 3, 4), "day", True) == []


def test_every_min_or_max_measure_declares_how_it_combines() -> None:
    for fact in FACTS.values():
        for measure, sql in fact.measures.items():
            head = sql.strip().lower()
            want = "min" if head.startswith("min(") else "max" if head.startswith(
                "max(") else None
            assert COMBINE.get(measure) == want, (fact.name, measure)
    # the facts whose range starts elsewhere than the range's first day are the declared ones
    assert {f.name for f in FACTS.values() if f.range_start != "$start"} == set(
        MONTH_RANGE_START)


# ── atomicity, versions, concurrency ────────────────────────────────────────────────────


@pytest.fixture
def tiny(tmp_path: Path) -> tuple[Dataset, Path]:
    return Dataset.open(write_tiny_dataset(tmp_path / "tiny")), tmp_path / "ws"


def test_a_failed_build_leaves_no_readable_layer(tiny, monkeypatch) -> None:
    ds, ws = tiny
    calls = {"n": 0}
    real = build_mod._write_grains

    def failing(con, day, fact, folder):
        calls["n"] += 1
        if calls["n"] == 3:  # two facts' files are written, the third fails
            assert len(list(folder.glob("*.parquet"))) >= 2
            raise OSError("disk full (simulated)")
        return real(con, day, fact, folder)

    monkeypatch.setattr(build_mod, "_write_grains", failing)
    with pytest.raises(OSError, match="simulated"):
        prepare(open_engine(ds), ds, workspace=ws)
    store = Store(ws, ds.version())
    assert store.layer() is None
    assert not store.path().exists()
    assert [p.name for p in store.folder.iterdir() if p.is_dir()] == []  # nothing left over


def test_a_killed_build_is_never_read_and_is_cleared(tiny) -> None:
    """A builder killed after writing everything but before the rename leaves a temporary
    folder with a manifest: it is not the layer, and the next build removes it."""
    ds, ws = tiny
    store = Store(ws, ds.version())
    done = prepare(open_engine(ds), ds, workspace=ws)
    leftover = store.folder / f".tmp-{store.path().name}-killed"
    shutil.copytree(done.path, leftover)
    shutil.rmtree(done.path)
    store = Store(ws, ds.version())
    assert (leftover / MANIFEST).is_file() and store.layer() is None
    again = prepare(open_engine(ds), ds, workspace=ws)
    assert again.path == store.path() and not leftover.exists()
    # a layer of another format version is never read either
    manifest = json.loads((again.path / MANIFEST).read_text(encoding="utf-8"))
    (again.path / MANIFEST).write_text(json.dumps(manifest | {"format": -1}), "utf-8")
    assert Store(ws, ds.version()).layer() is None


def test_a_layer_built_again_is_read_afresh(tiny) -> None:
    """`prepare --force` replaces the folder under a reader: the reader's next scan reads
    the new files, never the removed ones."""
    ds, ws = tiny
    prepare(open_engine(ds), ds, workspace=ws)
    engine = open_engine(ds)
    engine.prepared = Store(ws, ds.version())
    filters = Filters(start=D(2025, 3, 10), end=D(2025, 6, 20))
    before = kpi_table(scan(engine, filters, "month"), ALL_KPIS, ("manager",), "month")
    old = engine.prepared.layer()
    prepare(open_engine(ds), ds, workspace=ws, force=True)
    assert engine.prepared.layer() is not old
    after = kpi_table(scan(engine, filters, "month"), ALL_KPIS, ("manager",), "month")
    _same(before.values, after.values, list(before.keys))


def test_settings_or_data_change_make_a_new_layer(tiny) -> None:
    ds, ws = tiny
    first = prepare(open_engine(ds), ds, workspace=ws)
    store = Store(ws, ds.version())
    assert store.layer({"log_hours": 24, "lost_days": 120}).path == first.path  # not SQL
    assert store.layer({"log_hours": 12}) is None
    other = prepare(open_engine(ds), ds, {"log_hours": 12}, workspace=ws)
    assert other.path != first.path and other.manifest["params"]["log_hours"] == 12.0
    # fewer visit logs are on time within 12 hours than within 24
    on_time = [pd.read_parquet(lay.file("visits", "day"))["logs_on_time"].sum()
               for lay in (first, other)]
    assert on_time[1] < on_time[0]
    # new data: a changed file is a new version, whose layer does not exist yet
    visits = ds.source("visits").path
    frame = pd.read_parquet(visits)
    frame.iloc[:-1].to_parquet(visits)
    assert ds.version() != store.version
    assert Store(ws, ds.version()).layer() is None


def test_two_processes_preparing_at_once_build_once(tiny, monkeypatch) -> None:
    ds, ws = tiny
    builds = []
    real = build_mod.write_tables

    def counted(*args, **kwargs):
        builds.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(build_mod, "write_tables", counted)
    out: list = []
    threads = [threading.Thread(target=lambda: out.append(
        prepare(open_engine(ds), ds, workspace=ws))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(out) == 3 and len({lay.path for lay in out}) == 1
    assert len(builds) == 1  # the others waited on the lock, then read the layer


# ── the command ─────────────────────────────────────────────────────────────────────────


def test_prepare_command(tiny, monkeypatch, capsys) -> None:
    ds, ws = tiny
    monkeypatch.setenv("CMDASH_WORKSPACE", str(ws))
    assert main(["prepare", str(ds.root), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "(written)" in out and "sales: day" in out
    assert Store(ds.workspace, ds.version()).layer() is not None
    assert main(["prepare", str(ds.root), "--quiet"]) == 0
    assert "(already there)" in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "words"), [
    (["prepare", "/no/such/folder"], "Dataset folder not found"),
    (["prepare", "{tiny}", "--spark-remote", "sc://h:15002"], "--spark-remote needs"),
    (["prepare", "{tiny}", "--engine", "oracle"], "invalid choice"),
])
def test_prepare_command_bad_input(tiny, capsys, argv, words) -> None:
    ds, _ = tiny
    argv = [a.replace("{tiny}", str(ds.root)) for a in argv]
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own refusals
        code = exc.code
    err = capsys.readouterr().err
    assert code == 1 and words in err and "Traceback" not in err


def test_prepare_refuses_an_invalid_dataset(tmp_path: Path, capsys) -> None:
    root = write_tiny_dataset(tmp_path / "bad")
    (root / "managers.parquet").write_bytes(b"not parquet")
    assert main(["prepare", str(root)]) == 1
    err = capsys.readouterr().err
    assert "managers" in err and "Traceback" not in err


def test_data_commands_read_the_layer(tiny, monkeypatch, capsys) -> None:
    """After `prepare`, `kpis` gives the same numbers with the fact files gone."""
    ds, ws = tiny
    monkeypatch.setenv("CMDASH_WORKSPACE", str(ws))
    argv = ["kpis", str(ds.root), "--by", "region", "--format", "json",
            "--kpi", "sales_cases", "visits", "coverage"]
    assert main(argv) == 0
    before = json.loads(capsys.readouterr().out)
    assert main(["prepare", str(ds.root), "--quiet"]) == 0
    capsys.readouterr()
    assert attach(open_engine(ds), ds).layer() is not None
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out) == before


@pytest.mark.parametrize("case", ["sales", "visits", "no_optional_tables"])
def test_empty_or_missing_tables_prepare_and_read(tmp_path: Path, case: str) -> None:
    """A table emptied or absent: the layer holds its empty tables, and scans from it equal
    the direct scans (no rows invented, none dropped)."""
    from tests.emptied import emptied

    ds = Dataset.open(emptied(tmp_path, case))
    direct = open_engine(ds)
    layer = prepare(direct, ds, workspace=tmp_path / "ws")
    assert all(n >= 0 for f in layer.manifest["facts"].values() for n in f["rows"].values())
    layered = open_engine(ds)
    layered.prepared = Store(tmp_path / "ws", ds.version())
    for filters in (Filters(start=D(2025, 2, 10), end=D(2025, 5, 31)), Filters()):
        a, b = scan(direct, filters, "month"), scan(layered, filters, "month")
        assert (a.start, a.end) == (b.start, b.end)  # the data's own range, from the layer
        for name in a.facts:
            _same(a.facts[name], b.facts[name], [c for c in ("manager", "customer", "day",
                                                             "period", "in_range")
                                                 if c in a.facts[name]])


def test_a_build_within_a_small_memory_limit_writes_the_same_layer(
        demo_root: Path, engines, workspace: Path, tmp_path: Path) -> None:
    """DuckDB spills beyond `memory.duckdb_mib` instead of holding a table: the build at the
    setting's least (256 MiB) writes the same files as the default build, and nothing of
    its scratch (engine output, spill files) is left in the layer."""
    ds = Dataset.open(demo_root)
    wide = engines[1].prepared.layer()
    small = prepare(open_engine(ds, memory_mib=256), ds, workspace=tmp_path)
    assert sorted(p.name for p in small.path.iterdir()) == sorted(
        [MANIFEST, *(build_mod.table_file(f, g) for f, held in small.manifest["facts"].items()
                     for g in held["grains"])])
    assert small.manifest["facts"] == wide.manifest["facts"]
    for fact, held in small.manifest["facts"].items():
        for grain in held["grains"]:
            a, b = (pd.read_parquet(lay.file(fact, grain)) for lay in (wide, small))
            _same(a, b, [*held["keys"], "period"])
