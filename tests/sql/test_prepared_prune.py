"""Old prepared layers are removed (cmdash/prepared/prune.py): after a build, those unused
for `prepared.prune_days`; with `prepare --prune`, all but the current one; never the one
kept, one a reader holds open or one a builder is writing."""

from __future__ import annotations

import fcntl
import json
import os
import time
from pathlib import Path

import pytest

from cmdash.all_settings import Settings
from cmdash.cli import main
from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.prepared import Store, prepare
from cmdash.prepared.layer import MANIFEST
from cmdash.prepared.prune import HELD, LAST_USED, hold, prune
from tests.fixtures import write_tiny_dataset

DAY = 86400.0
NOW = 2_000_000_000.0  # a fixed "now" for the fake layers' ages


def _layer(folder: Path, key: str, days_old: float, now: float = NOW) -> Path:
    """A fake layer folder whose manifest was written `days_old` days before `now`."""
    path = folder / key
    path.mkdir(parents=True)
    (path / MANIFEST).write_text(json.dumps({"format": 1}), encoding="utf-8")
    (path / "sales.day.parquet").write_bytes(b"x")
    _age(path / MANIFEST, days_old, now)
    return path


def _age(path: Path, days_old: float, now: float = NOW) -> None:
    when = now - days_old * DAY
    os.utime(path, (when, when))


def test_only_old_unused_layers_go(tmp_path: Path) -> None:
    folder = tmp_path / "prepared"
    current = _layer(folder, "a" * 16, 30)  # kept however old: the current one
    old = _layer(folder, "b" * 16, 8)
    recent = _layer(folder, "c" * 16, 6)
    read_lately = _layer(folder, "d" * 16, 30)
    (read_lately / LAST_USED).touch()
    _age(read_lately / LAST_USED, 1)
    held = _layer(folder, "e" * 16, 30)
    building = _layer(folder, "f" * 16, 30)
    leftover = folder / (".tmp-" + "9" * 16 + "-x1")  # a dead builder's temporary folder
    leftover.mkdir()
    _age(leftover, 30)
    mine = folder / (".tmp-" + "a" * 16 + "-x2")  # the current key's: build.py's to clear
    mine.mkdir()
    _age(mine, 30)
    reader = hold(held)
    with open(folder / ("f" * 16 + ".lock"), "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        got = prune(folder, current.name, 7, now=NOW)
    assert set(got.removed) == {old.name, leftover.name}
    assert set(got.in_use) == {held.name, building.name}
    assert not old.exists() and not leftover.exists()
    for kept in (current, recent, read_lately, held, building, mine):
        assert kept.is_dir() and (kept.name.startswith(".tmp") or (kept / MANIFEST).is_file())
    # nothing half-removed is left under another name
    assert {p.name for p in folder.iterdir() if p.is_dir()} == {
        p.name for p in (current, recent, read_lately, held, building, mine)}
    # --prune: every other layer whatever its age, still not one held open
    got = prune(folder, current.name, None, now=NOW)
    assert set(got.removed) == {recent.name, read_lately.name, building.name}
    assert got.in_use == (held.name,)
    reader.close()
    assert prune(folder, current.name, None, now=NOW).removed == (held.name,)
    assert {p.name for p in folder.iterdir() if p.is_dir()} == {current.name, mine.name}


def test_a_missing_folder_prunes_nothing(tmp_path: Path) -> None:
    got = prune(tmp_path / "nowhere", "a" * 16, 7)
    assert got.removed == got.in_use == ()


def test_readers_mark_and_hold_a_real_layer(tmp_path: Path) -> None:
    """A look-up touches `last_used`; an open reader holds the layer until it is closed."""
    ds = Dataset.open(write_tiny_dataset(tmp_path / "tiny"))
    built = prepare(open_engine(ds), ds, workspace=tmp_path / "ws")
    _age(built.path / MANIFEST, 30, time.time())
    layer = Store(tmp_path / "ws", ds.version()).layer()
    assert layer is not None
    assert time.time() - (layer.path / LAST_USED).stat().st_mtime < 60  # marked used now
    assert prune(layer.path.parent, "other", 7).removed == ()  # used lately: kept
    reader = layer.reader
    assert (layer.path / HELD).is_file()
    assert prune(layer.path.parent, "other", None).in_use == (layer.path.name,)
    reader.close()
    assert prune(layer.path.parent, "other", None).removed == (layer.path.name,)
    assert Store(tmp_path / "ws", ds.version()).layer() is None


def test_prepare_prunes_after_a_build_and_on_request(tmp_path: Path, monkeypatch,
                                                     capsys) -> None:
    ds = Dataset.open(write_tiny_dataset(tmp_path / "tiny"))
    monkeypatch.setenv("CMDASH_WORKSPACE", str(tmp_path / "ws"))
    folder = ds.workspace / "prepared"
    days = int(Settings()["prepared.prune_days"])
    now = time.time()
    stale = _layer(folder, "b" * 16, days + 1, now)  # an older data version's
    fresh = _layer(folder, "c" * 16, days - 1, now)  # still read by some server
    assert main(["prepare", str(ds.root), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "(written)" in out and f"old layers removed: {stale.name}" in out
    assert not stale.exists() and fresh.is_dir()
    current = Store(ds.workspace, ds.version()).path()
    # reused: nothing is pruned unless asked
    assert main(["prepare", str(ds.root), "--quiet"]) == 0
    assert "old layers" not in capsys.readouterr().out and fresh.is_dir()
    assert main(["prepare", str(ds.root), "--quiet", "--prune"]) == 0
    assert f"old layers removed: {fresh.name}" in capsys.readouterr().out
    assert [p.name for p in folder.iterdir() if p.is_dir()] == [current.name]
    assert Store(ds.workspace, ds.version()).layer() is not None


@pytest.mark.parametrize("days", [0, "x"])
def test_prune_days_is_checked_like_every_setting(days) -> None:
    from cmdash.errors import InputError

    with pytest.raises((InputError, ValueError, TypeError)):
        Settings().with_values({"prepared.prune_days": days})
