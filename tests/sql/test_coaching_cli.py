"""`python -m cmdash segments`: the columns the issue names, one `none` row per untyped
manager, strengths in 0–1, one primary per typed manager, JSON and --as-of."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from cmdash.cli import main


def test_segments_csv(demo_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "seg.csv"
    assert main(["segments", str(demo_root), "--out", str(out)]) == 0
    frame = pd.read_csv(out, keep_default_na=False)
    assert list(frame.columns) == ["manager_id", "type", "strength", "primary", "evidence"]
    assert frame["strength"].between(0, 1).all()
    typed = frame[frame["type"] != "none"]
    assert (typed["evidence"] != "").all()
    primaries = typed[typed["primary"]].groupby("manager_id").size()
    assert (primaries == 1).all()
    none = frame[frame["type"] == "none"]
    assert not set(none["manager_id"]) & set(typed["manager_id"])
    assert frame.drop_duplicates(["manager_id", "type"]).shape[0] == len(frame)


def test_segments_json_as_of_and_settings(demo_root: Path, tmp_path: Path, capsys) -> None:
    settings = tmp_path / "s.toml"
    settings.write_text("[coaching]\npeer_group = \"region\"\n", encoding="utf-8")
    assert main(["segments", str(demo_root), "--format", "json", "--as-of", "2026-06-30",
                 "--settings", str(settings), "--lang", "zh"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and set(rows[0]) == {"manager_id", "type", "strength", "primary", "evidence"}


def test_segments_bad_settings_is_exit_1(demo_root: Path, tmp_path: Path) -> None:
    settings = tmp_path / "bad.toml"
    settings.write_text("[coaching]\npeer_group = \"galaxy\"\n", encoding="utf-8")
    assert main(["segments", str(demo_root), "--settings", str(settings)]) == 1
