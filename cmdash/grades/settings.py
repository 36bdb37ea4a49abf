"""The default ladder's thresholds as settings, so the What-if page and settings files can
move them: `ladder.<grade>.<promote|keep>.<indicator>`."""

from __future__ import annotations

from cmdash.grades.ladder import LADDER_DIR, Ladder, load
from cmdash.settings.spec import Setting

DEFAULT_LADDER = "tobacco_demo"


def default_ladder() -> Ladder:
    return load(LADDER_DIR / f"{DEFAULT_LADDER}.toml")


def _key(grade, kind: str, indicator: str) -> str:
    return f"ladder.{grade.label_en.lower().replace(' ', '_')}.{kind}.{indicator}"


def ladder_settings(ladder: Ladder | None = None) -> tuple[Setting, ...]:
    ladder = ladder or default_ladder()
    out = []
    for g in ladder.grades:
        for kind in ("promote", "keep"):
            for ind, value in getattr(g, kind).items():
                i = ladder.indicators[ind]
                out.append(Setting(
                    _key(g, kind, ind), float(value),
                    f"{g.label_zh} · {'晋升' if kind == 'promote' else '保级'} · {i.label_zh}",
                    f"{g.label_en} · {kind} · {i.label_en}", 0.0, max(200.0, value * 2), 1.0,
                    i.unit if i.unit in ("pct", "score") else "",
                    f"ladder {ladder.id}"))
    return tuple(out)


def apply(ladder: Ladder, settings) -> Ladder:
    """The ladder with thresholds taken from the settings (for the default ladder)."""
    if ladder.id != DEFAULT_LADDER:
        return ladder
    for g in ladder.grades:
        for kind in ("promote", "keep"):
            for ind in getattr(g, kind):
                value = settings[_key(g, kind, ind)]
                if value != getattr(g, kind)[ind]:
                    ladder = ladder.with_threshold(g.id, kind, ind, value)
    return ladder
