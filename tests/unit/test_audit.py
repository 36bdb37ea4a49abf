"""The audit log: who, when, what — appended whole from many threads; what-if scenario
saves and loads (good and bad files) recorded with the viewer's name."""

from __future__ import annotations

import datetime as dt
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from cmdash.access import EVERYONE, Access, audit
from cmdash.errors import InputError


def test_entries_round_trip_oldest_first(tmp_path: Path) -> None:
    at = dt.datetime(2026, 11, 1, 9, 30)
    audit.record(tmp_path, "li.na@example.com", "whatif.save", {"values": {"a": 1}}, at=at)
    audit.record(tmp_path, "demo:coach", "coaching.verdict", {"note": "说明"})
    first, second = audit.load(tmp_path)
    assert (first.at, first.who, first.action) == ("2026-11-01T09:30:00", "li.na@example.com",
                                                   "whatif.save")
    assert first.detail == {"values": {"a": 1}}
    assert second.who == "demo:coach" and second.detail["note"] == "说明"
    assert dt.datetime.fromisoformat(second.at) >= dt.datetime.now() - dt.timedelta(minutes=1)
    for line in (tmp_path / audit.FILE).read_text(encoding="utf-8").splitlines():
        assert set(json.loads(line)) == {"at", "who", "action", "detail"}


def test_long_text_is_cut_and_the_log_is_empty_at_first(tmp_path: Path) -> None:
    assert audit.load(tmp_path / "none") == []
    entry = audit.record(tmp_path, "x", "a", {"note": "y" * 10_000, "n": [1, None, True]})
    assert len(entry.detail["note"]) == audit.MAX_DETAIL_CHARS + 1
    assert entry.detail["n"] == [1, None, True]


def test_many_threads_append_whole_lines(tmp_path: Path) -> None:
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: audit.record(tmp_path, f"u{i}", "t", {"i": i, "pad": "z" * 500}),
                      range(200)))
    entries = audit.load(tmp_path)
    assert sorted(e.detail["i"] for e in entries) == list(range(200))


def test_who_is_the_login_or_the_demo_role() -> None:
    assert Access("li.na@example.com", "coach", districts=("d",)).who == "li.na@example.com"
    assert Access("demo", "coach", districts=("d",)).who == "demo:coach"
    assert EVERYONE.who == "demo:analyst"


class _Upload:
    def __init__(self, name: str, data: bytes) -> None:
        self.name, self._data = name, data

    def getvalue(self) -> bytes:
        return self._data


@pytest.fixture
def state(monkeypatch: pytest.MonkeyPatch) -> dict:
    from cmdash.ui import whatif

    fake: dict = {}
    monkeypatch.setattr(whatif.st, "session_state", fake)
    return fake


def test_whatif_save_and_load_are_audited(tmp_path: Path, state: dict) -> None:
    from cmdash.ui import whatif

    whatif._saved(str(tmp_path), "demo:analyst", {"coaching.peer_group": "region"})
    state["wi_file"] = _Upload("s.toml", b'[coaching]\npeer_group = "district"\n')
    whatif._load_file(str(tmp_path), "li.na@example.com")
    assert state[whatif.PREFIX + "coaching.peer_group"] == "district"
    state["wi_file"] = _Upload("../../evil.toml", b'[coaching]\npeer_group = "x\' OR 1=1"\n')
    whatif._load_file(str(tmp_path), "li.na@example.com")
    assert "peer_group" in state.pop("wi_error")
    saved, loaded, failed = audit.load(tmp_path)
    assert (saved.action, saved.who) == ("whatif.save", "demo:analyst")
    assert saved.detail["values"] == {"coaching.peer_group": "region"}
    assert (loaded.action, loaded.who) == ("whatif.load", "li.na@example.com")
    assert loaded.detail == {"file": "s.toml", "values": {"coaching.peer_group": "district"}}
    assert failed.action == "whatif.load_failed" and failed.detail["file"] == "../../evil.toml"
    assert {p.name for p in tmp_path.iterdir()} == {audit.FILE}  # nothing else written


def test_scenario_files_are_bounded_and_text(tmp_path: Path) -> None:
    from cmdash.ui.whatif import MAX_SCENARIO_BYTES, read_scenario

    with pytest.raises(InputError, match="KiB"):
        read_scenario(b"#" * (MAX_SCENARIO_BYTES + 1), "big.toml")
    with pytest.raises(InputError, match="UTF-8"):
        read_scenario(b"\xff\xfe\x00", "bin.toml")
    with pytest.raises(InputError, match="Unknown setting"):
        read_scenario(b"[x]\ny = 1\n", "s.toml")
