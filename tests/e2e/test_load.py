"""A light load test: 4 sessions at once on the small demo (scripts/load_test.py is the
full one), once with Streamlit websocket clients and once with headless browsers. Zero
errors, and sessions with different roles at the same time each see their own scope: no
session state, cache entry or cursor is shared between them. Plus the websocket client's
own checks against a tiny app whose pages fail, leak, hop and hang on purpose."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest

from cmdash.access import ROLES
from cmdash.bench import browser_client, load
from cmdash.dataset import Dataset
from cmdash.engine import open_engine
from cmdash.present.overview import HEADLINE_FIRST
from cmdash.query import Filters
from tests.app.opener import latest_value

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("overview", "managers", "profile")


@pytest.mark.parametrize("client", ["ws", "browser"])
def test_four_sessions_at_once(demo_root: Path, tmp_path: Path, client: load.ClientKind
                               ) -> None:
    if client == "browser" and not Path(browser_client.CHROMIUM).exists():
        pytest.fail(f"{browser_client.CHROMIUM} is missing: scripts/test.sh installs chromium")
    m = pd.read_parquet(demo_root / "managers.parquet").astype({"manager_id": str})
    a, b = sorted(m["district"].unique())[:2]
    sellers = set(pd.read_parquet(demo_root / "sales", columns=["manager_id"])["manager_id"]
                  .astype(str))
    me = m[m["manager_id"].isin(sellers)].sort_values("manager_id").iloc[0]  # has a book
    coach = ROLES["coach"].label("en")
    plans = [
        load.Plan(f"coach:{a}", {"lang": "English", "as_role": coach, "as_district": a},
                  PAGES, frozenset(m.loc[m["district"] == a, "manager_id"])),
        load.Plan(f"coach:{b}", {"lang": "English", "as_role": coach, "as_district": b},
                  PAGES, frozenset(m.loc[m["district"] == b, "manager_id"])),
        load.Plan("manager", {"lang": "English", "as_role": ROLES["manager"].label("en"),
                              "as_manager": f"{me['name']} · {me['manager_id']}"},
                  ("overview", "profile"), frozenset([me["manager_id"]])),
        load.Plan("analyst", {"lang": "English"}, PAGES),
    ]
    start = time.monotonic()
    with load.serve(demo_root.parent, tmp_path / "workspace", ROOT) as server:
        (phase,) = load.run(server, plans, rounds=1, max_seconds=75, quiet_ms=1000,
                            timeout_s=60, client=client)
    assert time.monotonic() - start < 90
    assert not [v for v in phase.visits if v.error], [v.error for v in phase.visits]
    assert not [v for v in phase.visits if v.foreign_ids]
    assert {(v.plan, v.page) for v in phase.visits} == {
        (p.name, page) for p in plans for page in p.pages}, "every visit was made"
    engine = open_engine(Dataset.open(demo_root))
    cards = {v.plan: v.first_metric for v in phase.visits if v.page == "overview"}

    def first(filters: Filters) -> str:  # the first card: actual against target
        return latest_value(engine, filters, "en", HEADLINE_FIRST[0])

    assert cards[f"coach:{a}"] == first(Filters(districts=(a,)))
    assert cards[f"coach:{b}"] == first(Filters(districts=(b,)))
    assert cards["manager"] == first(Filters(managers=(me["manager_id"],)))
    assert cards["analyst"] == first(Filters())
    assert len(set(cards.values())) == 4


# Pages at the URL paths the load test visits, each doing one thing the client must see.
TINY_APP = '''
import time

import streamlit as st


def fine():
    st.title("fine")
    st.metric("cases", "1,234.5")
    st.markdown("KM0001 is in scope")


def fails():
    st.title("fails")
    raise ValueError("this page fails on purpose")


def leaks():
    st.title("leaks")
    st.dataframe({"manager_id": ["KM0001", "KM0002"]})


def hops():
    st.title("hops")
    st.switch_page(PAGES[0])


def hangs():
    st.title("hangs")
    time.sleep(8)


PAGES = [st.Page(fine, default=True), st.Page(fails, url_path="managers"),
         st.Page(leaks, url_path="profile"), st.Page(hops, url_path="coaching"),
         st.Page(hangs, url_path="whatif")]
st.navigation(PAGES).run()
'''


@pytest.fixture(scope="module")
def tiny_server(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("tiny-app")
    (folder / "tiny.py").write_text(TINY_APP)
    with load.serve(folder, folder / "workspace", folder, script="tiny.py") as server:
        yield server


def test_ws_client_sees_errors_leaks_and_switches(tiny_server: load.Server) -> None:
    plan = load.Plan("tiny", {"lang": "English"},
                     ("overview", "managers", "profile", "coaching", "retention"),
                     frozenset({"KM0001"}))
    (phase,) = load.run(tiny_server, [plan], rounds=1, max_seconds=60, timeout_s=30,
                        client="ws")
    seen = {v.page: v for v in phase.visits}
    assert (seen["overview"].error, seen["overview"].first_metric,
            seen["overview"].foreign_ids) == ("", "1,234.5", ())
    assert seen["managers"].error.startswith("ValueError: this page fails on purpose")
    assert seen["profile"].error == "" and seen["profile"].foreign_ids == ("KM0002",)
    # st.switch_page ends the first run early; the visit lasts until the page it drew
    assert (seen["coaching"].error, seen["coaching"].first_metric) == ("", "1,234.5")
    assert seen["retention"].error.startswith("page not found")
    assert phase.stats()["errors"] == 2 and phase.stats()["leaks"] == 1


def test_ws_client_times_out(tiny_server: load.Server) -> None:
    plan = load.Plan("tiny", {}, ("whatif", "overview"))
    (phase,) = load.run(tiny_server, [plan], rounds=1, max_seconds=60, timeout_s=3,
                        client="ws")
    hung, after = phase.visits
    assert hung.error.startswith("TimeoutError") and 3 <= hung.seconds < 6
    assert (after.error, after.first_metric) == ("", "1,234.5"), "a new session after it"
