"""The Coaching page under AppTest: both languages, the disclaimer, a manager card from the
URL, a coach's verdict saved to the workspace (never to the dataset) and counted in "what
coaches said", and the notes on what the data cannot measure."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cmdash.access import audit
from cmdash.coaching import verdicts
from cmdash.dataset import Dataset
from tests.app.opener import open_page


@pytest.fixture
def app(demo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CMDASH_DATA_ROOTS", str(demo_root.parent))
    monkeypatch.setenv("CMDASH_WORKSPACE", str(tmp_path / "workspace"))

    def make(lang: str = "zh", **params: str) -> AppTest:
        return open_page("coaching", lang, 180, **params)

    return make


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_coaching_page_renders(app, lang: str) -> None:
    at = app(lang)
    assert not at.error, [e.value for e in at.error]
    disclaimer = " ".join(w.value for w in at.warning)
    assert ("HR decision" in disclaimer) == (lang == "en")
    assert ("人事决定" in disclaimer) == (lang == "zh")
    # the counts over time (four more reviews) wait for the viewer's request
    assert len(at.get("plotly_chart")) == 2  # results × process, cluster profile
    next(t for t in at.toggle if t.key == "coaching_history").set_value(True).run()
    assert not at.exception, at.exception
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(specs) >= 3  # counts over time, results × process, cluster profile
    titles = " ".join(str(s["layout"].get("title", "")) for s in specs)
    cjk = any("\u4e00" <= ch <= "\u9fff" for ch in titles)
    assert cjk == (lang == "zh"), titles
    assert len(at.dataframe) >= 2
    # a type's members: primary type in words (not a grey checkbox), strength a share of 1
    primary, strength = ("Primary", "Strength") if lang == "en" else ("主类型", "强度")
    members = next(d.value for d in at.dataframe if primary in d.value.columns)
    assert set(members[primary]) <= ({"Yes", "No"} if lang == "en" else {"是", "否"})
    assert members[strength].between(0, 1).all()


def test_manager_card_from_the_url_and_a_saved_verdict(app, demo_root: Path,
                                                       tmp_path: Path) -> None:
    at = app("en")
    box = next(s for s in at.selectbox if s.key == "coaching_manager")
    # the first manager whose card shows a verdict form (has a flagged type)
    flagged = None
    for i in range(len(box.options)):
        box.select_index(i).run()
        box = next(s for s in at.selectbox if s.key == "coaching_manager")
        if any((w.key or "").startswith(f"note_{box.value}_") for w in at.text_input):
            flagged = box.value
            break
    assert flagged is not None, "some manager in the demo is flagged"
    note = next(w for w in at.text_input if w.key.startswith(f"note_{flagged}_"))
    note.input("asked on the ride-along")
    radio = next(r for r in at.radio if (r.key or "").startswith(f"verdict_choice_{flagged}_"))
    assert radio.value is None  # nothing preselected: the coach decides
    next(b for b in at.button if b.label == "Save verdict").click().run()
    assert not at.exception
    assert any("Choose Confirmed or Wrong" in w.value for w in at.warning)
    assert verdicts.load(Dataset.open(demo_root).workspace).empty  # nothing saved unread
    radio = next(r for r in at.radio if (r.key or "").startswith(f"verdict_choice_{flagged}_"))
    radio.set_value("confirmed")
    next(b for b in at.button if b.label == "Save verdict").click().run()
    assert not at.exception
    saved = verdicts.load(Dataset.open(demo_root).workspace)
    assert len(saved) == 1 and saved.iloc[0]["note"] == "asked on the ride-along"
    # who is the viewer (no login here: the demo's default role), when is now
    assert saved.iloc[0]["by"] == "demo:analyst" and saved.iloc[0]["verdict"] == "confirmed"
    assert saved.iloc[0]["at"][:10] == dt.date.today().isoformat()
    logged = audit.load(Dataset.open(demo_root).workspace)
    assert [(e.who, e.action) for e in logged] == [("demo:analyst", "coaching.verdict")]
    assert logged[0].detail["note"] == "asked on the ride-along"
    assert str(Dataset.open(demo_root).workspace).startswith(str(tmp_path))
    # shown next time, and reachable by the URL the profile page links to
    again = app("en", who=saved.iloc[0]["manager_id"])
    box = next(s for s in again.selectbox if s.key == "coaching_manager")
    assert box.value == saved.iloc[0]["manager_id"]
    assert any("Last verdict" in c.value for c in again.caption)
    # what coaches said: one confirmed verdict for that type, so 100 % agree
    assert any(h.value == "What coaches said" for h in again.subheader)
    said = next(d.value for d in again.dataframe if "Coaches agree" in d.value.columns)
    assert said.iloc[0]["Confirmed"] == 1 and said.iloc[0]["Wrong"] == 0
    assert said.iloc[0]["Coaches agree"] == "100%"
    assert any("already match" in c.value for c in again.caption)  # one call, already met


def test_page_says_what_the_data_cannot_measure(app, demo_root: Path) -> None:
    """The demo seed writes 档位 as numbers; the page names the tier order it assumed."""
    at = app("en")
    assert any(i.value.startswith("Tier order: numbers") for i in at.info)


def test_a_missing_optional_table_shows_as_not_measured(demo_root: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Without `checkins` the end-of-day time cannot be measured: the page says so, with the
    reason, and still assesses under-confident from its other signals."""
    copy = tmp_path / "roots" / "no-checkins"
    copy.mkdir(parents=True)
    for entry in demo_root.iterdir():
        if entry.name not in ("checkins.parquet", "checkins"):
            (copy / entry.name).symlink_to(entry)
    monkeypatch.setenv("CMDASH_DATA_ROOTS", str(copy.parent))
    monkeypatch.setenv("CMDASH_WORKSPACE", str(tmp_path / "workspace"))
    at = open_page("coaching", "en", 180)
    notes = " ".join(i.value for i in at.info)
    assert "End-of-day check-in time (table checkins has no rows)" in notes, notes
    assert "Cannot be assessed: Under-confident" not in notes
