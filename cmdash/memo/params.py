"""The memory settings: how many bytes of computed results one server process keeps, and
how much working memory each DuckDB may use before it spills to disk.

Declared here once; the settings registry collects them. A process reads them at start
(`CMDASH_CACHE_MIB` and `CMDASH_DUCKDB_MIB` in the environment override them for it).
"""

from __future__ import annotations

from cmdash.settings.spec import Setting

MEMORY_SETTINGS: tuple[Setting, ...] = (
    Setting("memory.cache_mib", 2048, "缓存内存上限（每个服务进程，MiB）",
            "Cache memory budget (per server process, MiB)", 64, 65536, 64, "",
            "2 GiB per server process: room for a year of scans and reviews"),
    Setting("memory.duckdb_mib", 1024, "DuckDB 工作内存上限（每个连接，MiB）",
            "DuckDB working memory (per connection, MiB)", 256, 65536, 256, "",
            "DuckDB spills to disk beyond it: validating, preparing and reading an "
            "extract of any size stays near this much"),
)


def _mib(key: str, env_name: str, environ: dict[str, str] | None) -> int:
    """This process's value of a memory setting: from the environment, else the default."""
    import os

    from cmdash.settings.store import check

    declared = {s.key: s for s in MEMORY_SETTINGS}
    raw = (os.environ if environ is None else environ).get(env_name)
    if not raw:
        return int(declared[key].default)
    try:
        value: float = float(raw)
    except ValueError:
        value = float("nan")  # named in check's message below
    return int(check(declared, key, value if value == value else raw, env_name))


def limit_bytes(environ: dict[str, str] | None = None) -> int:
    """This process's cache budget in bytes: `CMDASH_CACHE_MIB`, else the default."""
    return _mib("memory.cache_mib", "CMDASH_CACHE_MIB", environ) * 1024 * 1024


def duckdb_mib(environ: dict[str, str] | None = None) -> int:
    """Each DuckDB's working memory in MiB: `CMDASH_DUCKDB_MIB`, else the default."""
    return _mib("memory.duckdb_mib", "CMDASH_DUCKDB_MIB", environ)
