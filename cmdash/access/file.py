"""access.toml next to a dataset: users (by login email or CLI name) → role and scope.

    [options]                        # see cmdash.access.options
    k_anonymity = 5
    max_session_hours = 12

    [users."li.na@example.com"]      # signs in with this email, if the provider verified it
    role = "coach"
    districts = ["东城一片区"]       # or: supervisor = "KM0003"

    [users."wang.qiang"]             # signs in as the provider's (issuer, subject) pair
    issuer = "https://login.example.com/realms/acme"
    subject = "5f0c…"
    role = "region_head"
    regions = ["华东"]

Checked like a settings file: an unknown role, key or value type is an error naming the
file and the user.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from cmdash.access.model import Access
from cmdash.access.options import OPTIONS, check
from cmdash.access.roles import ROLES
from cmdash.errors import InputError

ACCESS_FILE = "access.toml"
_LIST_KEYS = ("regions", "districts", "managers")
_TEXT_KEYS = ("supervisor", "issuer", "subject")


@dataclass(frozen=True)
class AccessFile:
    users: dict[str, Access] = field(default_factory=dict)  # table name (lower case) → access
    # (issuer, subject) → table name: these users sign in by the provider's id, never by email
    subjects: dict[tuple[str, str], str] = field(default_factory=dict)
    k_anonymity: int = OPTIONS["k_anonymity"].default
    max_session_hours: float = OPTIONS["max_session_hours"].default
    end_at_token_expiry: bool = OPTIONS["end_at_token_expiry"].default

    def lookup(self, user: str) -> Access | None:
        """By table name (the CLI's --as)."""
        return self.users.get(user) or self.users.get(user.lower())

    def by_email(self, email: str) -> Access | None:
        """A verified login email; entries keyed by issuer + subject never match an email."""
        name = email.lower()
        if name in self.subjects.values():
            return None
        return self.users.get(name)

    def by_subject(self, issuer: str, subject: str) -> Access | None:
        name = self.subjects.get((issuer, subject))
        return self.users[name] if name is not None else None


def _user(name: str, entry: object, where: str) -> tuple[Access, tuple[str, str] | None]:
    if not isinstance(entry, dict):
        raise InputError(f"User {name} must be a table", file=where, column=name)
    unknown = set(entry) - {"role", *_TEXT_KEYS, *_LIST_KEYS}
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
    for key in _TEXT_KEYS:
        if key in entry and not (isinstance(entry[key], str) and entry[key]):
            raise InputError(f"{key} of user {name} must be text", file=where, column=name)
    if ("issuer" in entry) != ("subject" in entry):
        raise InputError(f"User {name} needs both issuer and subject, or neither", file=where,
                         column=name)
    access = Access(name, role, supervisor=entry.get("supervisor"), **lists)
    if ROLES[role].scope != "all" and not (access.regions or access.districts
                                           or access.managers or access.supervisor):
        raise InputError(f"User {name} ({role}) needs a scope: regions, districts, "
                         "managers or supervisor", file=where, column=name)
    key = (entry["issuer"], entry["subject"]) if "issuer" in entry else None
    return access, key


def parse(tree: dict, where: str = ACCESS_FILE) -> AccessFile:
    users: dict[str, Access] = {}
    subjects: dict[tuple[str, str], str] = {}
    for name, entry in tree.get("users", {}).items():
        access, key = _user(name, entry, where)
        users[name.lower()] = access
        if key is not None:
            if key in subjects:
                raise InputError(f"Users {subjects[key]} and {name} share issuer and subject",
                                 file=where, column=name)
            subjects[key] = name.lower()
    options = tree.get("options", {})
    if not isinstance(options, dict):
        raise InputError("[options] must be a table", file=where)
    values = {k: check(k, v, where) for k, v in options.items()}
    rules = AccessFile(users, subjects, **values)
    # every user carries the file's k, so the pages read it from the viewer's access
    rules.users.update({name: replace(a, k_anonymity=rules.k_anonymity)
                        for name, a in users.items()})
    return rules


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


_READ: dict[str, tuple[tuple[int, int] | None, AccessFile | None]] = {}


def current(path: str | Path) -> AccessFile | None:
    """The file as it is now: re-read whenever its modification time or size changes, so
    removing a user takes effect at that user's next rerun (no time-based cache)."""
    try:
        st = os.stat(path)
        stamp: tuple[int, int] | None = (st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = None
    key = str(path)
    seen = _READ.get(key)
    if seen is not None and seen[0] == stamp and stamp is not None:
        return seen[1]
    rules = load(path)  # raises on a bad file: nothing cached, so the fix shows at once
    _READ[key] = (stamp, rules)
    return rules
