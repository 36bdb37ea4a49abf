"""Sign-in rules: which access.toml entry an identity's claims reach, and when they may not."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from cmdash import access
from cmdash.access import signouts
from cmdash.access.signin import sign_in, verified
from cmdash.errors import InputError

ISSUER = "https://login.example.com/realms/acme"
NOW = 1_800_000_000.0
RULES = access.parse({
    "options": {"max_session_hours": 2},
    "users": {
        "li.na@example.com": {"role": "coach", "districts": ["东城"]},
        "wang.qiang": {"role": "region_head", "regions": ["华东"], "issuer": ISSUER,
                       "subject": "5f0c-77"},
        "boss@example.com": {"role": "analyst", "issuer": ISSUER, "subject": "b-1"},
    },
})
LI_NA = RULES.lookup("li.na@example.com")  # the entry a verified li.na signs in as


def claims(**values: object) -> dict[str, object]:
    base = {"iss": ISSUER, "sub": "li-1", "iat": NOW - 60, "exp": NOW + 240,
            "email": "li.na@example.com", "email_verified": True}
    return {k: v for k, v in (base | values).items() if v is not None}


def test_a_verified_listed_email_signs_in_as_its_entry() -> None:
    verdict = sign_in(claims(email="Li.Na@Example.com"), RULES, NOW)
    assert verdict.access is not None and verdict.access.districts == ("东城",)
    assert verdict.refusal == "" and verdict.who == "Li.Na@Example.com"


@pytest.mark.parametrize("flag", [False, None, "false", "yes", 1])
def test_an_unverified_email_is_refused(flag: object) -> None:
    verdict = sign_in(claims(email_verified=flag), RULES, NOW)
    assert verdict.access is None and verdict.refusal == "unverified"


def test_verified_accepts_json_true_and_the_text_true_only() -> None:
    assert verified(True) and verified("true") and verified(" TRUE ")
    assert not any(verified(v) for v in (False, "false", 1, "1", None, "yes"))


def test_issuer_and_subject_sign_in_without_email_or_verification() -> None:
    verdict = sign_in(claims(sub="5f0c-77", email=None, email_verified=None), RULES, NOW)
    assert verdict.access is not None and verdict.access.regions == ("华东",)
    assert verdict.who == "5f0c-77"


def test_the_same_subject_from_another_issuer_gets_nothing() -> None:
    verdict = sign_in(claims(iss="https://evil.example", sub="5f0c-77", email=None), RULES, NOW)
    assert verdict.access is None and verdict.refusal == "missing_claim"


def test_an_entry_keyed_by_subject_never_matches_an_email() -> None:
    """boss@example.com is listed by issuer + subject: the address alone, even verified,
    does not reach it."""
    verdict = sign_in(claims(sub="someone-else", email="boss@example.com"), RULES, NOW)
    assert verdict.access is None and verdict.refusal == "no_access"
    assert sign_in(claims(sub="b-1", email="boss@example.com"), RULES, NOW).access.everything


def test_a_missing_email_claim_is_named_with_the_ids_to_list() -> None:
    verdict = sign_in(claims(sub="x-9", email=None), RULES, NOW)
    assert verdict.refusal == "missing_claim"
    assert verdict.detail == {"claim": "email", "issuer": ISSUER, "subject": "x-9"}
    assert verdict.who == "x-9"


def test_an_unlisted_email_has_no_access_and_no_file_means_no_access() -> None:
    assert sign_in(claims(email="stranger@example.com"), RULES, NOW).refusal == "no_access"
    assert sign_in(claims(), None, NOW).refusal == "no_access"


def test_session_age_is_counted_from_auth_time_else_iat() -> None:
    hours = 2 * 3600
    assert sign_in(claims(iat=NOW - hours + 5), RULES, NOW).access == LI_NA
    old = sign_in(claims(iat=NOW - hours - 5), RULES, NOW)
    assert old.access is None and old.refusal == "expired" and old.detail == {"hours": "2"}
    # auth_time (when the person last authenticated) wins over a refreshed iat
    assert sign_in(claims(iat=NOW - 10, auth_time=NOW - hours - 5), RULES, NOW).refusal == \
        "expired"
    # the default limit is 12 h
    assert sign_in(claims(iat=NOW - 11.9 * 3600), access.parse({"users": {
        "li.na@example.com": {"role": "coach", "districts": ["东城"]}}}), NOW).access
    assert sign_in(claims(iat=NOW - 12.1 * 3600), None, NOW).refusal == "expired"


def test_an_undated_or_future_sign_in_is_refused() -> None:
    assert sign_in(claims(iat=None), RULES, NOW).detail == {"claim": "iat"}
    assert sign_in(claims(iat=NOW + 3600), RULES, NOW).refusal == "expired"
    assert sign_in(claims(iat=NOW + 60), RULES, NOW).access == LI_NA  # clock skew


def test_token_expiry_ends_the_session_only_when_asked() -> None:
    late = claims(exp=NOW - 1)
    assert sign_in(late, RULES, NOW).access == LI_NA
    strict = access.parse({"options": {"end_at_token_expiry": True},
                           "users": {"li.na@example.com": {"role": "coach",
                                                           "districts": ["东城"]}}})
    assert sign_in(late, strict, NOW).refusal == "expired"


@pytest.mark.parametrize("options, match", [
    ({"max_session_hours": 0}, "between"),
    ({"max_session_hours": "12"}, "must be a float"),
    ({"max_session_hours": True}, "must be a float"),
    ({"k_anonymity": 1}, "k_anonymity"),
    ({"end_at_token_expiry": "yes"}, "must be a bool"),
    ({"session_hours": 3}, "Unknown option"),
])
def test_options_are_checked_against_their_declarations(options: dict, match: str) -> None:
    with pytest.raises(InputError, match=match):
        access.parse({"options": options})


def test_an_entry_needs_both_issuer_and_subject_and_each_pair_once() -> None:
    with pytest.raises(InputError, match="both issuer and subject"):
        access.parse({"users": {"a": {"role": "analyst", "issuer": ISSUER}}})
    with pytest.raises(InputError, match="share issuer and subject"):
        access.parse({"users": {"a": {"role": "analyst", "issuer": ISSUER, "subject": "s"},
                                "b": {"role": "analyst", "issuer": ISSUER, "subject": "s"}}})


def test_the_access_file_is_re_read_when_it_changes(tmp_path: Path) -> None:
    path = tmp_path / "access.toml"
    assert access.current(path) is None
    path.write_text('[users."a@x"]\nrole = "analyst"\n', encoding="utf-8")
    first = access.current(path)
    assert (first.by_email("a@x").user, first.by_email("a@x").role) == ("a@x", "analyst")
    assert access.current(path) is first  # unchanged: not parsed again
    path.write_text('[users."b@x"]\nrole = "analyst"\n', encoding="utf-8")
    later = time.time() + 5  # a coarse file-system clock could keep the old time
    os.utime(path, (later, later))
    assert access.current(path).by_email("a@x") is None
    path.unlink()
    assert access.current(path) is None


def test_a_signed_out_session_is_refused_until_it_would_have_expired() -> None:
    session = claims(sub="so-1", iat=NOW - 30)
    assert not signouts.ended(session, NOW)
    signouts.end(session, forget_at=NOW + 100)
    assert signouts.ended(session, NOW)
    assert not signouts.ended(claims(sub="so-1", iat=NOW - 5), NOW)  # a new sign-in
    assert not signouts.ended(session, NOW + 101)  # forgotten once past its age limit


def test_secrets_toml_is_never_tracked_by_git() -> None:
    root = Path(__file__).resolve().parents[2]
    tracked = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True,
                             check=True).stdout.splitlines()
    assert tracked, "not a git checkout"
    assert not [p for p in tracked if Path(p).name == "secrets.toml"]


@pytest.mark.parametrize("k", [3, 8])
def test_every_user_carries_the_files_k_anonymity(k: int) -> None:
    rules = access.parse({"options": {"k_anonymity": k},
                          "users": {"a@x.cn": {"role": "analyst"},
                                    "b": {"role": "coach", "districts": ["D1"],
                                          "issuer": ISSUER, "subject": "s-b"}}})
    assert rules.lookup("a@x.cn").k_anonymity == k
    assert rules.by_subject(ISSUER, "s-b").k_anonymity == k
    assert access.parse({"users": {"a": {"role": "analyst"}}}).lookup("a").k_anonymity \
        == access.K_ANONYMITY_DEFAULT
