"""access.toml next to a dataset: users (by login email or CLI name) → role and scope.

    [options]
    k_anonymity = 5

    [users."li.na@example.com"]
    role = "coach"
    districts = ["东城一片区"]       # or: supervisor = "KM0003"

Checked like a settings file: an unknown role, key or value type is an error naming the
file and the user.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from cmdash.access.model import Access
from cmdash.access.roles import K_ANONYMITY_DEFAULT, ROLES
from cmdash.errors import InputError

ACCESS_FILE = "access.toml"
_LIST_KEYS = ("regions", "districts", "managers")


@dataclass(frozen=True)
class AccessFile:
    users: dict[str, Access] = field(default_factory=dict)
    k_anonymity: int = K_ANONYMITY_DEFAULT

    def lookup(self, user: str) -> Access | None:
        return self.users.get(user) or self.users.get(user.lower())


def parse(tree: dict, where: str = ACCESS_FILE) -> AccessFile:
    users: dict[str, Access] = {}
    for name, entry in tree.get("users", {}).items():
        if not isinstance(entry, dict):
            raise InputError(f"User {name} must be a table", file=where, column=name)
        unknown = set(entry) - {"role", "supervisor", *_LIST_KEYS}
        if unknown:
            raise InputError(f"Unknown key(s) {sorted(unknown)} for user {name}", file=where,
                             column=name)
        role = entry.get("role")
        if role not in ROLES:
            raise InputError(f"User {name} has role {role!r}; choose one of {list(ROLES)}",
                             file=where, column=name)
        lists = {}
        for key in _LIST_KEYS:
            value = entry.get(key, [])
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise InputError(f"{key} of user {name} must be a list of text", file=where,
                                 column=name)
            lists[key] = tuple(value)
        supervisor = entry.get("supervisor")
        if supervisor is not None and not isinstance(supervisor, str):
            raise InputError(f"supervisor of user {name} must be a manager id", file=where,
                             column=name)
        access = Access(name, role, supervisor=supervisor, **lists)
        needs = ROLES[role].scope
        if needs != "all" and not (access.regions or access.districts or access.managers
                                   or access.supervisor):
            raise InputError(f"User {name} ({role}) needs a scope: regions, districts, "
                             "managers or supervisor", file=where, column=name)
        users[name.lower()] = access
    k = tree.get("options", {}).get("k_anonymity", K_ANONYMITY_DEFAULT)
    if not isinstance(k, int) or k < 2:
        raise InputError("options.k_anonymity must be a whole number ≥ 2", file=where)
    return AccessFile(users, k)


def load(path: str | Path) -> AccessFile | None:
    """The access file, or None when there is none (the embedded demo)."""
    p = Path(path)
    if not p.is_file():
        return None
    try:
        tree = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"Not valid TOML: {exc}", file=str(p)) from exc
    return parse(tree, str(p))
