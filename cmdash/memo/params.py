"""The memory settings: how many bytes of computed results one server process keeps, and
how much working memory each DuckDB may use before it spills to disk.

Declared here once; the settings registry collects them. They are a process's, not a
dataset's: a command takes them from its `--settings` file (`use_file_values`), and
`CMDASH_CACHE_MIB` / `CMDASH_DUCKDB_MIB` in the environment override them for any process.
A server serves many datasets from one budget, so it takes them from its environment only,
and says so when a dataset's settings file sets them (`MEMORY_KEYS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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


_DECLARED = {s.key: s for s in MEMORY_SETTINGS}
#: The memory settings' keys: what a server ignores in a dataset's settings file.
MEMORY_KEYS: tuple[str, ...] = tuple(s.key for s in MEMORY_SETTINGS)

#: This process's values from a command's `--settings` file (those changed from default).
_from_file: dict[str, int] = {}


def use_file_values(values: Mapping[str, Any] | None) -> None:
    """A command's settings file sets this process's memory settings (the environment
    still wins); None: the defaults. Every key is set afresh, so a second command in one
    process starts clean."""
    _from_file.clear()
    _from_file.update({k: int(values[k]) for k in MEMORY_KEYS
                       if values is not None and values[k] != _DECLARED[k].default})


def _mib(key: str, env_name: str, environ: dict[str, str] | None) -> int:
    """This process's value of a memory setting: the environment, else a command's
    settings file, else the default."""
    import os

    from cmdash.settings.store import check

    declared = _DECLARED
    raw = (os.environ if environ is None else environ).get(env_name)
    if not raw:
        return int(_from_file.get(key, declared[key].default))
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
