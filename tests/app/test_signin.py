"""The app with a login configured ([auth] in secrets), as AppTest sees it: st.user is set
per test the way Streamlit fills it from the identity cookie (the ID token's claims)."""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from cmdash.ui import identity
from tests.app.opener import open_page

AUTH = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback",
                 "cookie_secret": "x" * 40, "client_id": "cmdash", "client_secret": "s",
                 "server_metadata_url": "http://localhost:1/.well-known/openid-configuration"}}


@pytest.fixture(scope="module")
def dataset(tmp_path_factory, demo_root: Path) -> Path:
    """A copy of the demo with an access.toml: one coach, one analyst."""
    data = tmp_path_factory.mktemp("signin-app") / "demo"
    shutil.copytree(demo_root, data)
    district = sorted(pd.read_parquet(data / "managers.parquet")["district"].unique())[0]
    (data / "access.toml").write_text(
        f'[users."li.na@example.com"]\nrole = "coach"\ndistricts = ["{district}"]\n\n'
        '[users."boss@example.com"]\nrole = "analyst"\n', encoding="utf-8")
    return data


def _run(monkeypatch, dataset: Path, user: dict, page: str = "overview") -> AppTest:
    monkeypatch.setenv("CMDASH_DATA_ROOTS", str(dataset.parent))
    return open_page(page, secrets=AUTH, user=user)


def _person(email: str | None, verified: object = True, **more: object) -> dict:
    claims = {"is_logged_in": True, "iss": "https://idp.example", "sub": f"sub-{email}",
              "iat": time.time() - 60, "email": email, "email_verified": verified} | more
    return {k: v for k, v in claims.items() if v is not None}


def _shows_no_data(at: AppTest) -> None:
    assert not at.metric and not at.dataframe
    assert not at.sidebar.multiselect and not at.sidebar.selectbox


def test_signed_out_visitor_sees_only_the_sign_in_screen(monkeypatch, dataset) -> None:
    at = _run(monkeypatch, dataset, {"is_logged_in": False})
    assert [b.label for b in at.button] == ["Log in"]
    assert [t.value for t in at.title] == ["Customer-manager dashboard"]
    _shows_no_data(at)


def test_unverified_email_is_refused(monkeypatch, dataset) -> None:
    at = _run(monkeypatch, dataset, _person("li.na@example.com", verified=False))
    assert "has not verified that li.na@example.com is yours" in at.error[0].value
    _shows_no_data(at)


def test_missing_email_claim_is_named(monkeypatch, dataset) -> None:
    at = _run(monkeypatch, dataset, _person(None, sub="abc-123"))
    assert "sent no “email” claim" in at.error[0].value
    assert "abc-123" in " ".join(c.value for c in at.caption)
    assert "Signed in as abc-123" in [c.value for c in at.sidebar.caption]
    _shows_no_data(at)


def test_an_old_sign_in_must_sign_in_again(monkeypatch, dataset) -> None:
    at = _run(monkeypatch, dataset, _person("li.na@example.com", iat=time.time() - 13 * 3600))
    assert "older than 12 h" in at.error[0].value
    assert "Log in" in [b.label for b in at.button]
    _shows_no_data(at)


def test_data_page_shows_folder_paths_to_analysts_only(monkeypatch, dataset) -> None:
    coach = _run(monkeypatch, dataset, _person("li.na@example.com"), "data")
    shown = " ".join(m.value for m in coach.markdown)
    assert "**demo**" in shown and str(dataset) not in shown
    analyst = _run(monkeypatch, dataset, _person("boss@example.com"), "data")
    assert f"`{dataset}`" in " ".join(m.value for m in analyst.markdown)


@pytest.fixture
def address():
    """Set server.address for one test, as `--server.address` would."""
    before = config.get_option("server.address")
    yield lambda value: config.set_option("server.address", value)
    config.set_option("server.address", before)


def test_demo_mode_on_a_network_address_warns_on_the_page_and_in_the_log(
        monkeypatch, dataset, address) -> None:
    identity._LOGGED.clear()
    address("0.0.0.0")
    monkeypatch.setenv("CMDASH_DATA_ROOTS", str(dataset.parent))
    seen: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: seen.append(record.getMessage())
    logger = logging.getLogger(identity.__name__)
    logger.addHandler(handler)
    try:
        at = open_page()
    finally:
        logger.removeHandler(handler)
    assert any("anyone who can reach it sees every number" in w.value for w in at.warning)
    assert any("demo mode" in m and "0.0.0.0" in m for m in seen)

    address("127.0.0.1")
    at = open_page()
    assert not any("anyone who can reach it" in w.value for w in at.warning)


@pytest.mark.parametrize("value, exposed", [
    (None, "0.0.0.0"), ("", "0.0.0.0"), ("0.0.0.0", "0.0.0.0"), ("::", "::"),
    ("192.168.1.20", "192.168.1.20"), ("dash.example.com", "dash.example.com"),
    ("127.0.0.1", None), ("127.0.1.1", None), ("::1", None), ("[::1]", None),
    ("localhost", None), ("unix:///run/cmdash.sock", None),
])
def test_which_addresses_count_as_exposed(value, exposed) -> None:
    assert identity.exposed_address(value) == exposed


@pytest.mark.parametrize(("k", "benchmark"), [(3, False), (8, True)])
def test_the_access_files_k_decides_peers_or_company_benchmark(
        monkeypatch, tmp_path: Path, demo_root: Path, k: int, benchmark: bool) -> None:
    """A coach who sees five managers has four peers per profile: enough for k = 3, too
    few for k = 8, which shows a company benchmark over at least eight managers instead."""
    data = tmp_path / "root" / "demo"
    shutil.copytree(demo_root, data, ignore=shutil.ignore_patterns("_truth"))
    owners = sorted(pd.read_parquet(data / "customers.parquet")["manager_id"].astype(str)
                    .unique())[:5]
    (data / "access.toml").write_text(
        f"[options]\nk_anonymity = {k}\n\n"
        f'[users."li.na@example.com"]\nrole = "coach"\nmanagers = {owners!r}\n'
        .replace("'", '"'), encoding="utf-8")
    at = _run(monkeypatch, data, _person("li.na@example.com"), "profile")
    captions = [c.value for c in at.caption]
    company = [c for c in captions if c.startswith("Company benchmark")]
    assert bool(company) is benchmark, captions
    if benchmark:
        assert int(company[0].split("median of ")[1].rstrip(")")) >= k
    else:
        assert "Compared with the median of 4 managers in scope" in captions, captions
