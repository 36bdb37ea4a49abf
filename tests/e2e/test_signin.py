"""Sign-in against a real OpenID Connect provider on localhost (oidc-provider-mock).

The app runs with an [auth] section pointing at the provider, and the dataset has an
access.toml. Each test drives headless Chromium through the provider's authorisation form,
in its own browser context (its own cookies), the way people sign in.

The first test must run on a fresh server: a signed-out visitor's very first session.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from tests.e2e.browsing import free_port, served, settle

pytestmark = pytest.mark.e2e

PAGE_TITLES = ("Overview", "Managers", "Profile", "Coaching", "Retention", "What-if")
AUTH_COOKIE = "_streamlit_user"
KEPT: dict[str, object] = {}  # what one test hands to a later one


@pytest.fixture(scope="module")
def org(demo_root: Path) -> pd.DataFrame:
    return pd.read_parquet(demo_root / "managers.parquet").astype({"manager_id": str})


@pytest.fixture(scope="module")
def districts(org: pd.DataFrame) -> tuple[str, str]:
    """Two districts, one per listed coach."""
    first, second = sorted(org["district"].unique())[:2]
    return first, second


@pytest.fixture(scope="module")
def provider():
    """The OIDC provider in a thread of this process; users are set with PUT /users/<sub>."""
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread(port=free_port()) as server:
        url = f"http://localhost:{server.server_port}"

        def user(sub: str, **claims: object) -> str:
            req = urllib.request.Request(f"{url}/users/{sub}", method="PUT",
                                         data=json.dumps(claims).encode(),
                                         headers={"Content-Type": "application/json"})
            urllib.request.urlopen(req, timeout=10)
            return sub

        yield url, user


@pytest.fixture(scope="module")
def site(tmp_path_factory, demo_root: Path, provider, districts):
    """The app on a free port with [auth] set, on a copy of the demo with an access.toml."""
    url_provider, _ = provider
    base = tmp_path_factory.mktemp("signin")
    data = base / "root" / "demo"
    shutil.copytree(demo_root, data)
    port = free_port()
    url = f"http://localhost:{port}"
    secrets_file = base / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "{url}/oauth2callback"\n'
        f'cookie_secret = "{KEPT.setdefault("secret", secrets.token_hex(32))}"\n'
        'client_id = "cmdash-test"\n'
        'client_secret = "not-a-secret"\n'
        f'server_metadata_url = "{url_provider}/.well-known/openid-configuration"\n',
        encoding="utf-8")
    access = data / "access.toml"

    def rules(max_session_hours: float = 12.0, drop: str = "") -> None:
        """(Re)write access.toml (without the user `drop`); the app re-reads it when it
        changes."""
        a, b = districts
        users = {"li.na@example.com": f'role = "coach"\ndistricts = ["{a}"]',
                 "zhao.lei@example.com": f'role = "coach"\ndistricts = ["{b}"]',
                 "wang.qiang": f'issuer = "{url_provider}"\nsubject = "wq-0001"\n'
                               f'role = "coach"\ndistricts = ["{b}"]'}
        access.write_text(f"[options]\nmax_session_hours = {max_session_hours}\n\n" + "".join(
            f'[users."{name}"]\n{body}\n\n' for name, body in users.items() if name != drop),
            encoding="utf-8")
        time.sleep(0.01)  # a distinct modification time for the next rewrite

    rules()
    with served(data.parent, base, [f"secrets.files={secrets_file}"], port):
        yield url, rules, base / "server.log"


def _open(browser, url: str, cookies: list | None = None):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    if cookies:
        context.add_cookies(cookies)
    page = context.new_page()
    page.goto(url)
    settle(page, quiet_ms=500)
    return page


def _sign_in(browser, site, provider, sub: str, path: str = ""):
    """A new browser context signed in as `sub` through the provider's form."""
    url, _, _ = site
    page = _open(browser, f"{url}/{path}?lang=English")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{provider[0]}/oauth2/authorize*", timeout=30_000)
    page.fill('input[name="sub"]', sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{url}/**", timeout=30_000)
    page.goto(f"{url}/{path}?lang=English")  # the provider sends people back to the root
    settle(page, quiet_ms=500)
    return page


def _text(page) -> str:
    return page.locator("body").inner_text()


def _no_exception(page) -> None:
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.first.inner_text()[:500]


def _options(page, nth: int) -> list[str]:
    """The options of the nth sidebar multiselect (0 region, 1 district, 2 manager)."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').nth(nth)
    box.click()
    listed = page.get_by_role("option")
    listed.first.wait_for(timeout=10_000)
    names = [o.inner_text().strip() for o in listed.all()]  # "Select all" when several
    page.keyboard.press("Escape")
    return names


def _signed_out_screen(page) -> None:
    """Only the sign-in screen: a Log in button, no page list, no filters, no numbers."""
    log_in = re.compile("^(Log in|登录)$")  # the provider sends people back without ?lang=
    assert page.get_by_role("button", name=log_in).count() == 1, _text(page)[:500]
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    assert page.locator('[data-testid="stSidebarNavItems"]').count() == 0
    assert page.locator('[data-testid="stMultiSelect"]').count() == 0
    assert page.locator('[data-testid="stMetric"]').count() == 0
    shown = _text(page)
    if "lang=English" in page.url:
        assert not [title for title in PAGE_TITLES if title in shown], shown[:500]


def _sees_only(page, org: pd.DataFrame, district: str) -> None:
    _no_exception(page)
    assert _options(page, 1) == [district]
    mine = org.loc[org["district"] == district]
    # the list is virtualised (only the first rows are drawn): every drawn one is in scope
    shown = set(_options(page, 2)) - {"Select all"}
    assert shown and shown <= {f"{n} · {m}" for n, m in zip(mine["name"], mine["manager_id"],
                                                          strict=True)}
    others = org.loc[org["district"] != district, "manager_id"]
    text = _text(page)
    assert not [m for m in others if m in text]


def test_no_page_list_before_sign_in(site, browser) -> None:
    """First session on a fresh server (at /), then a deep link: the sign-in screen only."""
    url, _, _ = site
    for path in ("", "whatif"):
        page = _open(browser, f"{url}/{path}?lang=English")
        _signed_out_screen(page)
        page.context.close()


def test_listed_coach_sees_only_their_district(site, browser, provider, org,
                                               districts) -> None:
    provider[1]("li.na", email="li.na@example.com", email_verified=True)
    page = _sign_in(browser, site, provider, "li.na")
    assert "Signed in as li.na@example.com" in _text(page)
    # the page list the signed-out checks look for is there once signed in
    assert page.locator('[data-testid="stSidebarNav"]').count() == 1
    assert "Overview" in _text(page) and "What-if" not in _text(page)  # coaches: no What-if
    _sees_only(page, org, districts[0])
    KEPT["cookies"] = page.context.cookies()
    # the Data page names the dataset, never the server's folder
    page.goto(f"{site[0]}/data?lang=English")
    settle(page, quiet_ms=500)
    _no_exception(page)
    assert "demo" in _text(page) and str(site[2].parent) not in _text(page)
    page.context.close()


def test_tampered_cookie_is_refused(site, browser, provider) -> None:
    """An edited cookie, and one signed without the server's secret, sign nobody in."""
    from itsdangerous import URLSafeTimedSerializer

    url, _, _ = site
    cookies = KEPT["cookies"]  # the coach's, from test_listed_coach_sees_only_their_district
    user = next(c for c in cookies if c["name"] == AUTH_COOKIE)
    others = [c for c in cookies if c["name"] != AUTH_COOKIE]
    value = user["value"]
    edited = ("A" if value[0] != "A" else "B") + value[1:]
    claims = {"email": "zhao.lei@example.com", "email_verified": True, "iss": provider[0],
              "sub": "li.na", "iat": int(time.time()), "origin": url, "is_logged_in": True,
              "provider": "default"}
    forged = URLSafeTimedSerializer("guessed-secret", salt=AUTH_COOKIE).dumps(
        json.dumps(claims))
    page = _open(browser, f"{url}/?lang=English", cookies)  # the cookie as issued works
    assert page.locator('[data-testid="stMultiSelect"]').count() > 0, _text(page)[:300]
    page.context.close()
    for bad in (edited, forged):
        page = _open(browser, f"{url}/?lang=English", [*others, dict(user, value=bad)])
        _signed_out_screen(page)
        page.context.close()


def test_unlisted_email_sees_nothing(site, browser, provider) -> None:
    provider[1]("stranger", email="stranger@example.com", email_verified=True)
    page = _sign_in(browser, site, provider, "stranger")
    assert "stranger@example.com has no access to this dataset" in _text(page)
    assert page.locator('[data-testid="stMetric"]').count() == 0
    assert page.locator('[data-testid="stMultiSelect"]').count() == 0
    assert page.locator('[data-testid="stSidebarNavItems"]').count() == 0
    page.context.close()


def test_unverified_email_is_refused(site, browser, provider) -> None:
    """A listed address the provider has not verified: anyone could have typed it."""
    provider[1]("impostor", email="li.na@example.com", email_verified=False)
    page = _sign_in(browser, site, provider, "impostor")
    assert "has not verified that li.na@example.com is yours" in _text(page)
    assert page.locator('[data-testid="stMetric"]').count() == 0
    assert page.locator('[data-testid="stMultiSelect"]').count() == 0
    page.context.close()


def test_issuer_and_subject_sign_in_without_an_email(site, browser, provider, org,
                                                     districts) -> None:
    provider[1]("wq-0001", name="Wang Qiang")  # no email claim at all
    page = _sign_in(browser, site, provider, "wq-0001")
    _sees_only(page, org, districts[1])
    page.context.close()
    provider[1]("nobody-0002", name="No Email")
    page = _sign_in(browser, site, provider, "nobody-0002")
    assert "sent no “email” claim" in _text(page)
    assert page.locator('[data-testid="stMetric"]').count() == 0
    page.context.close()


def test_sign_out_and_the_back_button(site, browser, provider) -> None:
    url, _, _ = site
    provider[1]("li.na", email="li.na@example.com", email_verified=True)
    page = _sign_in(browser, site, provider, "li.na")
    copied = page.context.cookies()
    assert any(c["name"] == AUTH_COOKIE for c in copied)
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{provider[0]}/oauth2/end_session*", timeout=30_000)
    page.locator("form button[type=submit]").first.click()  # the provider's confirmation
    page.wait_for_url(f"{url}/**", timeout=30_000)
    settle(page, quiet_ms=500)
    assert not [c for c in page.context.cookies() if c["name"] == AUTH_COOKIE]
    _signed_out_screen(page)
    # back through the provider's sign-out page to the page seen while signed in
    for _ in range(3):
        page.go_back()
        if page.url.startswith(url):
            break
    assert page.url.startswith(url), page.url
    settle(page, quiet_ms=500)
    _signed_out_screen(page)
    page.context.close()
    # the cookie copied before signing out no longer signs in on this server
    again = _open(browser, f"{url}/?lang=English", copied)
    _signed_out_screen(again)
    again.context.close()


def _signed_in_at(cookies: list) -> float:
    """The sign-in time the app checks (auth_time, else iat), read from the cookie."""
    from itsdangerous import URLSafeTimedSerializer

    value = next(c["value"] for c in cookies if c["name"] == AUTH_COOKIE)
    _, payload = URLSafeTimedSerializer("unused", salt=AUTH_COOKIE).loads_unsafe(value)
    claims = json.loads(payload)
    return float(claims.get("auth_time") or claims["iat"])


def test_copied_cookie_ends_with_the_session_age(site, browser) -> None:
    """The coach's cookie (signed in tests ago) copied into a new browser: refused once it is
    older than max_session_hours (set to a few seconds here), accepted again under the 12 h
    default, so the age is what refuses it."""
    url, rules, _ = site
    copied = KEPT["cookies"]  # from test_listed_coach_sees_only_their_district
    limit_s = 4.0
    time.sleep(max(0.0, _signed_in_at(copied) + limit_s + 1 - time.time()))
    rules(max_session_hours=limit_s / 3600)
    try:
        late = _open(browser, f"{url}/?lang=English", copied)
        assert "This sign-in is older than" in _text(late)
        assert late.locator('[data-testid="stMultiSelect"]').count() == 0
        assert late.locator('[data-testid="stMetric"]').count() == 0
        late.context.close()
    finally:
        rules()
    again = _open(browser, f"{url}/?lang=English", copied)
    assert again.locator('[data-testid="stMultiSelect"]').count() > 0, _text(again)[:300]
    again.context.close()


def test_two_users_at_once(site, browser, provider, org, districts) -> None:
    rules = site[1]
    provider[1]("zhao.lei", email="zhao.lei@example.com", email_verified=True)
    first = _open(browser, f"{site[0]}/?lang=English", KEPT["cookies"])  # li.na, signed in
    second = _sign_in(browser, site, provider, "zhao.lei")
    _sees_only(first, org, districts[0])
    _sees_only(second, org, districts[1])
    # removing a user from access.toml takes effect at their next rerun
    rules(drop="zhao.lei@example.com")
    try:
        second.reload()
        settle(second, quiet_ms=500)
        assert "zhao.lei@example.com has no access" in _text(second)
        assert second.locator('[data-testid="stMultiSelect"]').count() == 0
        first.reload()
        settle(first, quiet_ms=500)
        assert _options(first, 1) == [districts[0]]
    finally:
        rules()
    first.context.close()
    second.context.close()


def test_no_secret_or_token_in_the_server_log(site) -> None:
    from itsdangerous import URLSafeTimedSerializer

    log = site[2].read_text(encoding="utf-8", errors="replace")
    assert log.strip(), "the server wrote no log"
    tokens_cookie = next(c["value"] for c in KEPT["cookies"]
                         if c["name"] == f"{AUTH_COOKIE}_tokens")
    _, payload = URLSafeTimedSerializer("unused", salt=f"{AUTH_COOKIE}_tokens").loads_unsafe(
        tokens_cookie)
    tokens = json.loads(payload)
    assert tokens.get("id_token")
    for secret in ("not-a-secret", KEPT["secret"], *tokens.values()):
        assert secret not in log
