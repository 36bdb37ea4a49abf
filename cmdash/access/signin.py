"""Which access.toml entry a provider's identity claims sign in as, or why they may not.

Pure (no Streamlit): `st.user` holds the ID token's claims, which the app passes in on every
rerun, so a session past its age limit or a user removed from access.toml is refused at
their next click. Two ways in:

- by issuer + subject (`issuer`/`subject` in the user's entry): the provider's own stable id,
  which no user can edit; use it where emails are not verified (Microsoft Entra);
- by email, only when the provider says `email_verified` is true. A self-chosen, unverified
  email is never trusted: anyone could claim a listed address.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from cmdash.access.file import AccessFile
from cmdash.access.model import Access

HOUR = 3600.0
CLOCK_SKEW_S = 300.0  # a sign-in "from the future" by more than this is refused


@dataclass(frozen=True)
class Verdict:
    access: Access | None
    who: str  # what the page shows as the signed-in person: email, else the subject
    refusal: str = ""  # "" when signed in; else a key: expired, missing_claim, unverified, …
    detail: dict[str, str] = field(default_factory=dict)  # values for the refusal's message


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def verified(value: object) -> bool:
    """`email_verified` as providers send it: JSON true, or the text "true" (some do)."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def session_refusal(claims: Mapping[str, object], rules: AccessFile | None,
                    now: float) -> tuple[str, dict[str, str]] | None:
    """Why this sign-in is too old (or undated), or None while it is within its limits."""
    rules = rules or AccessFile()
    started = _number(claims.get("auth_time")) or _number(claims.get("iat"))
    if started is None:
        return "missing_claim", {"claim": "iat"}
    expires = _number(claims.get("exp"))
    if (started > now + CLOCK_SKEW_S  # dated in the future: a clock or a forgery
            or now - started > rules.max_session_hours * HOUR
            or (rules.end_at_token_expiry and expires is not None and now > expires)):
        return "expired", {"hours": f"{rules.max_session_hours:g}"}
    return None


def sign_in(claims: Mapping[str, object], rules: AccessFile | None, now: float) -> Verdict:
    """The viewer these claims sign in as, or a refusal saying why not."""
    email = str(claims.get("email") or "").strip()
    subject = str(claims.get("sub") or "").strip()
    issuer = str(claims.get("iss") or "").strip()
    who = email or subject
    too_old = session_refusal(claims, rules, now)
    if too_old is not None:
        return Verdict(None, who, *too_old)
    if rules is not None and issuer and subject:
        access = rules.by_subject(issuer, subject)
        if access is not None:
            return Verdict(access, who)
    ids = {"issuer": issuer, "subject": subject}  # what an administrator lists instead
    if not email:
        return Verdict(None, who, "missing_claim", {"claim": "email", **ids})
    if not verified(claims.get("email_verified")):
        return Verdict(None, who, "unverified", {"who": email, **ids})
    access = rules.by_email(email) if rules is not None else None
    if access is None:
        return Verdict(None, who, "no_access", {"who": email, **ids})
    return Verdict(access, who)
