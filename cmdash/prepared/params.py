"""The prepared layer's setting: how long a layer nobody uses is kept.

Declared here once; the settings registry collects it. `prepare` reads it when it prunes
after a build (`cmdash/prepared/prune.py`).
"""

from __future__ import annotations

from cmdash.settings.spec import Setting

PREPARED_SETTINGS: tuple[Setting, ...] = (
    Setting("prepared.prune_days", 7, "旧预聚合层保留天数（无进程使用时）",
            "Days an unused prepared layer is kept", 1, 3650, 1, "days",
            "default: a week, so a server still showing last week's data keeps its layer"),
)
