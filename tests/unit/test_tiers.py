"""Tier order (档位) in every encoding the contract allows, and the validator's note on it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from cmdash.all_settings import Settings
from cmdash.tiers import describe, rank, tier_order
from cmdash.validation.validator import validate
from tests.fixtures import FIXTURE_TODAY, arrow_table, write_tiny_dataset


@pytest.mark.parametrize(("values", "encoding", "largest", "smallest"), [
    (["01", "30", "12", "7"], "numeric", "30", "01"),
    (["B", "A", "D", "c"], "letters", "A", "D"),
    (["大众", "VIP", "高端"], "named", "VIP", "大众"),
])
def test_each_encoding_is_detected_and_ranks_larger_higher(values, encoding, largest,
                                                           smallest) -> None:
    order = tier_order(values)
    assert order.encoding == encoding and order.detected and order.unranked_count == 0
    r = rank(pd.Series(values), order)
    assert r[values.index(largest)] == r.max() and r[values.index(smallest)] == r.min()
    assert r.notna().all()


def test_letters_rank_a_above_b_above_c_above_d() -> None:
    r = rank(pd.Series(["D", "C", "B", "A", None]), tier_order("ABCD"))
    assert r.iloc[:4].is_monotonic_increasing and r.iloc[:4].is_unique
    assert pd.isna(r.iloc[4])


def test_named_order_is_a_setting_and_unknown_names_are_listed_not_guessed() -> None:
    order = tier_order(["金", "银", "铜", "锡"], named_text="金,银,铜")
    assert order.encoding == "named" and order.unranked == ("锡",)
    r = rank(pd.Series(["金", "银", "铜", "锡"]), order)
    assert r.iloc[0] > r.iloc[1] > r.iloc[2] and pd.isna(r.iloc[3])
    assert "1" in describe(order, "en") and "锡" in describe(order, "zh")


def test_a_set_encoding_overrides_detection() -> None:
    order = tier_order(["1", "2", "3"], encoding="named", named_text="3,2,1")
    assert order.encoding == "named" and not order.detected
    assert rank(pd.Series(["1", "3"]), order).tolist() == [1.0, 3.0]  # "3" is the largest


def test_nothing_recognised_is_said() -> None:
    order = tier_order(["xx", "yy"])
    assert not order.usable and rank(pd.Series(["xx"]), order).isna().all()
    assert "no tier order recognised" in describe(order, "en")
    assert Settings()["tiers.encoding"] == "auto"


def test_validator_notes_the_order_it_assumed(tmp_path: Path) -> None:
    root = write_tiny_dataset(tmp_path / "ds")  # the fixture writes 档位 as A/B/C/D
    notes = [f for f in validate(root, FIXTURE_TODAY).findings if f.rule == "tier_encoding"]
    assert len(notes) == 1 and notes[0].severity == "info"
    assert "letters, A is the largest (detected)" in notes[0].message("en")
    assert "字母档位" in notes[0].message("zh")
    numbers = arrow_table("customers").to_pandas()
    numbers["tier"] = ["30", "12", "05", "01", "18", "07", "25", "03"]
    pq.write_table(arrow_table("customers").from_pandas(
        numbers, schema=arrow_table("customers").schema, preserve_index=False),
        root / "customers.parquet")
    set_named = validate(root, FIXTURE_TODAY, tiers=("named", "30,25,18,12,07,05,03,01"))
    [note] = [f for f in set_named.findings if f.rule == "tier_encoding"]
    assert "(as set)" in note.message("en") and "30 > 25" in note.message("en")
    [auto] = [f for f in validate(root, FIXTURE_TODAY).findings if f.rule == "tier_encoding"]
    assert "numbers" in auto.message("en")


def test_validate_cli_takes_the_tier_settings(tmp_path: Path, capsys) -> None:
    from cmdash.cli import main

    root = write_tiny_dataset(tmp_path / "ds")
    settings = tmp_path / "s.toml"
    settings.write_text('[tiers]\nencoding = "named"\nnamed_order = "D,C,B,A"\n',
                        encoding="utf-8")
    main(["validate", str(root), "--lang", "en", "--settings", str(settings)])
    out = capsys.readouterr().out
    assert "named grades: D > C > B > A (as set)" in out
