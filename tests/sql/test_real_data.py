"""Retention on the real CDNOW purchase log (slow; needs the log, not in the test installs).

Get it with `pip download --no-deps lifetimes==0.11.3 -d DIR` and point CMDASH_CDNOW at the
wheel (or at CDNOW_master.txt); an installed `lifetimes` package is found without it.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from cmdash.cli import main
from cmdash.validate import validate
from scripts.real_data import HORIZON, convert, measure, read_log

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def log():
    source = os.environ.get("CMDASH_CDNOW")
    if not source and importlib.util.find_spec("lifetimes") is None:
        pytest.skip("set CMDASH_CDNOW to the Lifetimes 0.11.3 wheel (see the docstring)")
    return read_log(Path(source) if source else None)


def test_cdnow_converts_scores_and_beats_recency(log, tmp_path: Path, capsys) -> None:
    assert len(log) == 69_659 and log["customer_id"].nunique() == 23_570
    root = convert(log, tmp_path / "cdnow")
    assert validate(root).ok
    # the case: 9 months in, a 273-day horizon: scored, not refused
    assert main(["risk", str(root), "--as-of", "1997-09-30", "--horizon-days",
                 str(HORIZON), "--lang", "en"]) == 0
    err = capsys.readouterr().err
    assert "Trained on a 128-day horizon from 4 as-of dates; asked 273" in err
    m = measure(log, root)
    assert m["customers"] > 4000
    assert m["auc"]["model"] > m["auc"]["recency"] + 0.03
    # our BG/NBD fit agrees with the published one for the 1/10 sample (FHL 2005)
    assert m["bgnbd_params"]["r"] == pytest.approx(0.243, abs=0.03)
    assert m["bgnbd_params"]["alpha"] == pytest.approx(4.414, abs=0.6)
