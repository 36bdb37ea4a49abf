"""The bulletin's and the alerts' tunable numbers, collected by cmdash.settings.registry.

Plain rows in `cmdash.settings.spec.Setting`'s field order (key, default, zh, en, low, high,
step, unit, source, choices): this module imports nothing of cmdash.settings.
"""

from __future__ import annotations

from typing import Any

LADDERS = ("tobacco_demo", "bancassurance", "brokerage", "oil_wholesale", "bank")

SETTINGS: tuple[tuple[Any, ...], ...] = (
    ("report.top_n", 5, "通报：前后各列几名", "Bulletin: top and bottom performers shown",
     1, 50, 1, "", "default"),
    ("report.movers_n", 5, "通报：进步/退步各列几名", "Bulletin: movers shown each way",
     1, 50, 1, "", "default"),
    ("report.ladder", "tobacco_demo", "通报：晋降级所用等级阶梯",
     "Bulletin: grade ladder for promotions and demotions", None, None, None, "",
     "default", LADDERS),
)
