"""The bulletin's and the alerts' tunable numbers, collected by `cmdash.all_settings`."""

from __future__ import annotations

from cmdash.grades.ladder import LADDER_DIR
from cmdash.settings.spec import Setting

#: The shipped ladders, one file each (a ladder's id is its file's name): adding a file
#: adds a choice, with no list to keep in step.
LADDERS = tuple(sorted(p.stem for p in LADDER_DIR.glob("*.toml")))

REPORT_SETTINGS: tuple[Setting, ...] = (
    Setting("report.top_n", 5, "通报：前后各列几名", "Bulletin: top and bottom performers shown",
            1, 50, 1, "", "default"),
    Setting("report.movers_n", 5, "通报：进步/退步各列几名", "Bulletin: movers shown each way",
            1, 50, 1, "", "default"),
    Setting("report.ladder", "tobacco_demo", "通报：晋降级所用等级阶梯",
            "Bulletin: grade ladder for promotions and demotions", source="default",
            choices=LADDERS),
)
