"""Which colour a card's change and sparkline take: by the KPI's better direction over the
span the sparkline shows (not by the last month alone), or 红涨绿跌 when the viewer's
company reads colours that way (a setting)."""

from __future__ import annotations

from collections.abc import Sequence

from cmdash.settings.spec import Setting

RED_UP = "display.red_up"
DISPLAY_SETTINGS = (
    Setting(RED_UP, False, "红涨绿跌（红色表示上升，绿色表示下降）",
            "Red for up, green for down (the Chinese market convention)",
            source="default: green is better, red is worse"),
)
GOOD, BAD, FLAT = "green", "red", "gray"


def span_colour(trend: Sequence[float], direction: str, red_up: bool = False) -> str:
    """The colour of a KPI's movement from the first to the last point of `trend`:
    better/worse by `direction` ("higher", "lower", "neutral"), or with `red_up` simply
    red when it rose and green when it fell. Fewer than two points, or no change: grey."""
    points = [float(v) for v in trend]
    if len(points) < 2 or points[-1] == points[0]:
        return FLAT
    rising = points[-1] > points[0]
    if red_up:
        return "red" if rising else "green"
    if direction not in ("higher", "lower"):
        return FLAT
    return GOOD if rising == (direction == "higher") else BAD
