"""Alert rules as data: `alerts.toml` beside the dataset, checked like the settings file
(unknown keys, wrong types and bad values are refused naming the file and the key).

    [[rule]]                      # one table per rule
    id = "coverage-low"
    kind = "kpi"                  # kpi | coaching | silent
    kpi = "coverage"              # kind kpi: a KPI id, compared per manager and full month
    op = "<"                      # < <= > >=
    threshold = 85                # in the unit the `kpis` command prints
    months = 2                    # this many full months running
    scope = "district=东川城东片区"  # optional: district=, region= or manager=
    recipients = ["li.na@example.com"]

kind coaching: `type` (a coaching type id) newly flagged at the as-of date (not flagged a
month before). kind silent: customers of `min_tier` or above (tiers compared as numbers),
or in `tiers`, with no order for `days` days.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cmdash.errors import InputError

ALERTS_FILE = "alerts.toml"
OPS = ("<", "<=", ">", ">=")
SCOPE_LEVELS = {"district": "districts", "region": "regions", "manager": "managers"}

#: kind -> {key: (type, required)}; common keys are checked for every kind
COMMON = {"id": (str, True), "kind": (str, True), "scope": (str, False),
          "recipients": (list, True)}
KINDS: dict[str, dict[str, tuple[type, bool]]] = {
    "kpi": {"kpi": (str, True), "op": (str, True), "threshold": (float, True),
            "months": (int, False)},
    "coaching": {"type": (str, True)},
    "silent": {"days": (int, True), "min_tier": (int, False), "tiers": (list, False)},
}
SENDERS: dict[str, dict[str, tuple[type, bool]]] = {
    "smtp": {"kind": (str, True), "host": (str, True), "port": (int, False),
             "from": (str, True), "starttls": (bool, False), "user_env": (str, False),
             "password_env": (str, False), "timeout": (float, False)},
    "webhook": {"kind": (str, True), "url_env": (str, True), "style": (str, False),
                "timeout": (float, False)},
}
WEBHOOK_STYLES = ("wecom", "dingtalk", "json")


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    recipients: tuple[str, ...]
    scope: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (Filters field, values)
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)


@dataclass(frozen=True)
class AlertFile:
    rules: tuple[Rule, ...]
    sender: dict[str, Any] | None  # a checked [sender] table, or None: print only


def load(path: Path) -> AlertFile:
    if not path.is_file():
        raise InputError("Alert rules file not found", file=str(path))
    try:
        tree = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"Not valid TOML: {exc}", file=str(path)) from exc
    return parse(tree, str(path))


def parse(tree: dict[str, Any], source: str) -> AlertFile:
    from cmdash.coaching.types import BY_ID
    from cmdash.kpi import KPIS

    unknown = set(tree) - {"rule", "sender"}
    if unknown:
        raise InputError(f"Unknown table(s) {', '.join(sorted(unknown))}: only [[rule]] and "
                         "[sender]", file=source)
    raw = tree.get("rule", [])
    if not isinstance(raw, list) or not raw:
        raise InputError("No [[rule]] tables", file=source)
    rules, seen = [], set()
    for i, r in enumerate(raw, start=1):
        where = f"rule {i}"
        if not isinstance(r, dict):
            raise InputError(f"{where} is not a table", file=source)
        kind = r.get("kind")
        if kind not in KINDS:
            raise InputError(f"{where}: kind must be one of {list(KINDS)}", file=source,
                             column="kind")
        values = _checked(r, COMMON | KINDS[kind], source, where)
        if values["id"] in seen:
            raise InputError(f"{where}: id {values['id']!r} is used twice", file=source,
                             column="id")
        seen.add(values["id"])
        if kind == "kpi":
            if values["kpi"] not in KPIS:
                raise InputError(f"{where}: unknown KPI {values['kpi']!r}", file=source,
                                 column="kpi")
            if values["op"] not in OPS:
                raise InputError(f"{where}: op must be one of {list(OPS)}", file=source,
                                 column="op")
            if not 1 <= values.get("months", 1) <= 24:
                raise InputError(f"{where}: months must be 1–24", file=source,
                                 column="months")
        if kind == "coaching" and values["type"] not in BY_ID:
            raise InputError(f"{where}: unknown coaching type {values['type']!r}; one of "
                             f"{sorted(BY_ID)}", file=source, column="type")
        if kind == "silent":
            if not 1 <= values["days"] <= 3650:
                raise InputError(f"{where}: days must be 1–3650", file=source,
                                 column="days")
            if ("min_tier" in values) == ("tiers" in values):
                raise InputError(f"{where}: give min_tier or tiers (one of them)",
                                 file=source, column="min_tier")
        rules.append(Rule(values["id"], kind, tuple(str(x) for x in values["recipients"]),
                          _scope(values.get("scope"), source, where),
                          {k: v for k, v in values.items() if k not in COMMON}))
    return AlertFile(tuple(rules), _sender(tree.get("sender"), source))


def _checked(table: dict[str, Any], spec: dict[str, tuple[type, bool]], source: str,
             where: str) -> dict[str, Any]:
    extra = set(table) - set(spec)
    if extra:
        raise InputError(f"{where}: unknown key(s) {', '.join(sorted(extra))}", file=source,
                         column=sorted(extra)[0])
    out: dict[str, Any] = {}
    for key, (kind, required) in spec.items():
        if key not in table:
            if required:
                raise InputError(f"{where}: {key} is missing", file=source, column=key)
            continue
        value = table[key]
        ok = (isinstance(value, int | float) and not isinstance(value, bool)) \
            if kind is float else isinstance(value, kind) and not (
                kind is int and isinstance(value, bool))
        if not ok:
            raise InputError(f"{where}: {key} must be a {kind.__name__}, got {value!r}",
                             file=source, column=key)
        if kind is list and not all(isinstance(x, str) for x in value):
            raise InputError(f"{where}: {key} must be a list of strings", file=source,
                             column=key)
        out[key] = float(value) if kind is float else value
    return out


def _scope(text: str | None, source: str, where: str) -> tuple:
    if not text:
        return ()
    level, _, ids = text.partition("=")
    values = tuple(v.strip() for v in ids.split(",") if v.strip())
    if level not in SCOPE_LEVELS or not values:
        raise InputError(f"{where}: scope must be LEVEL=ID[,ID] with LEVEL one of "
                         f"{list(SCOPE_LEVELS)}", file=source, column="scope")
    return ((SCOPE_LEVELS[level], values),)


def _sender(table: Any, source: str) -> dict[str, Any] | None:
    if table is None:
        return None
    if not isinstance(table, dict) or table.get("kind") not in SENDERS:
        raise InputError(f"[sender] kind must be one of {list(SENDERS)}", file=source,
                         column="kind")
    values = _checked(table, SENDERS[table["kind"]], source, "[sender]")
    if ("user_env" in values) != ("password_env" in values):
        raise InputError("[sender] user_env and password_env go together", file=source,
                         column="password_env")
    if values.get("style", "json") not in WEBHOOK_STYLES:
        raise InputError(f"[sender] style must be one of {list(WEBHOOK_STYLES)}",
                         file=source, column="style")
    return values
