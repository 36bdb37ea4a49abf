"""The access file's `[options]`: limits a deployment sets per dataset, declared as settings.

    [options]
    k_anonymity = 5               # company benchmarks cover at least this many managers
    max_session_hours = 12        # a sign-in older than this is refused (sign in again)
    end_at_token_expiry = false   # also refuse once the provider's ID token has expired

They live in access.toml, not in the dataset's settings file: they decide who gets in, so
the What-if page and URL parameters can never change them.
"""

from __future__ import annotations

from cmdash.access.roles import K_ANONYMITY_DEFAULT
from cmdash.errors import InputError
from cmdash.settings.spec import Setting

OPTIONS: dict[str, Setting] = {
    s.key.removeprefix("options."): s
    for s in (
        Setting("options.k_anonymity", K_ANONYMITY_DEFAULT, "公司基准最少人数",
                "Company benchmarks: at least this many managers", 2, 10_000, 1, "",
                "default"),
        # 0.001 h (3.6 s) is allowed so a test can watch a session end
        Setting("options.max_session_hours", 12.0, "登录最长有效时间（小时）",
                "Longest a sign-in lasts (hours)", 0.001, 24 * 90, None, "", "default"),
        Setting("options.end_at_token_expiry", False, "身份令牌过期即需重新登录",
                "Sign in again when the provider's ID token expires", source="default"),
    )
}


def check(name: str, value: object, where: str) -> object:
    """The option's value in its declared type and range, or an InputError naming it."""
    spec = OPTIONS.get(name)
    if spec is None:
        raise InputError(f"Unknown option options.{name}; choose from {sorted(OPTIONS)}",
                         file=where, column=f"options.{name}")
    default = spec.default
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    if ok and spec.low is not None and spec.high is not None:
        ok = spec.low <= value <= spec.high
    if not ok:
        kind = type(default).__name__
        span = f" between {spec.low:g} and {spec.high:g}" if spec.low is not None else ""
        raise InputError(f"options.{name} must be a {kind}{span}, not {value!r}", file=where,
                         column=f"options.{name}")
    return float(value) if isinstance(default, float) else value
