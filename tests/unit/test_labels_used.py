"""Every label key is used somewhere: a key no code asks for is dead text that still has to
be translated and reviewed. Keys built at run time share one of the prefixes listed here."""

from __future__ import annotations

from pathlib import Path

from cmdash.labels import LABELS

ROOT = Path(__file__).resolve().parents[2]
#: prefixes of keys composed at run time (`t(f"grades.action.{action}")` and the like)
DYNAMIC = ("access.refused.", "coaching.status.", "coaching.verdict.", "coaching.why.",
           "grades.action.", "managers.status.", "profile.class.", "retention.method.",
           "retention.reason.", "retention.signal.", "severity.", "stock.basis.", "tiers.",
           "whatif.field.", "whatif.total.", "report.section.", "report.col.",
           "overview.span.", "retention.band.", "nav.")


def _source() -> str:
    files = [*(ROOT / "cmdash").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"]
    return "\n".join(p.read_text(encoding="utf-8") for p in files if p.name != "labels.py")


def test_every_label_key_is_used() -> None:
    source = _source()
    unused = [k for k in LABELS if not k.startswith(DYNAMIC)
              and f'"{k}"' not in source and f"'{k}'" not in source]
    assert not unused, f"label keys nothing uses: {unused}"


def test_every_dynamic_prefix_is_built_somewhere() -> None:
    source = _source()
    stale = [p for p in DYNAMIC if f'f"{p}{{' not in source and f"f'{p}{{" not in source]
    assert not stale, f"prefixes no code composes a key from: {stale}"
