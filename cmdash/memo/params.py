"""The memory settings: how many bytes of computed results one server process keeps, and
how much working memory DuckDB may use while it builds the prepared layer.

Declared here once; the settings registry collects it. A server process reads it at start
(`CMDASH_CACHE_MIB` in the environment overrides it for that process).
"""

from __future__ import annotations

from cmdash.settings.spec import Setting

MEMORY_SETTINGS: tuple[Setting, ...] = (
    Setting("memory.cache_mib", 2048, "缓存内存上限（每个服务进程，MiB）",
            "Cache memory budget (per server process, MiB)", 64, 65536, 64, "",
            "2 GiB per server process: room for a year of scans and reviews"),
    Setting("memory.build_mib", 1024, "预聚合构建内存上限（DuckDB，MiB）",
            "Memory for building the prepared layer (DuckDB, MiB)", 256, 65536, 256, "",
            "DuckDB spills to disk beyond it, so a build of any size stays near this much"),
)


def limit_bytes(environ: dict[str, str] | None = None) -> int:
    """This process's budget in bytes: `CMDASH_CACHE_MIB`, else the setting's default."""
    import os

    from cmdash.settings.store import check

    env = os.environ if environ is None else environ
    raw = env.get("CMDASH_CACHE_MIB")
    if not raw:
        return int(MEMORY_SETTINGS[0].default) * 1024 * 1024
    try:
        value: float = float(raw)
    except ValueError:
        value = float("nan")  # named in check's message below
    declared = {s.key: s for s in MEMORY_SETTINGS}
    mib = check(declared, "memory.cache_mib", value if value == value else raw,
                "CMDASH_CACHE_MIB")
    return int(mib) * 1024 * 1024


def build_mib() -> int:
    """The build's DuckDB memory by default (a settings file passes its own value)."""
    return int(next(s for s in MEMORY_SETTINGS if s.key == "memory.build_mib").default)
