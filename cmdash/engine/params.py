"""The engine's setting: which Spark Connect server `--engine spark` talks to.

Declared here once; the settings registry collects it. A data command resolves it in the
order people expect: `--spark-remote`, then `$CMDASH_SPARK_REMOTE`, then this setting in the
`--settings` file; with none of them a local Spark session starts (docs/spark.md).
"""

from __future__ import annotations

from cmdash.settings.spec import Setting

ENGINE_SETTINGS: tuple[Setting, ...] = (
    Setting("engine.spark_remote", "", "Spark Connect 服务地址（sc://主机:端口，空则本机 Spark）",
            "Spark Connect server (sc://HOST:PORT; empty: a local Spark)", unit="",
            source="default: empty, a local session; a cluster's address is set once here "
            "instead of on every command"),
)
