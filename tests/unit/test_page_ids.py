"""Page ids are declared once (cmdash.access.roles.PAGE_IDS) and become files in one place
(cmdash.ui.frame.page_file): the menu, the scripts and the roles agree."""

from __future__ import annotations

import re
from pathlib import Path

from cmdash.access.roles import PAGE_IDS, ROLES
from cmdash.ui.frame import PAGES, page_file

ROOT = Path(__file__).resolve().parents[2]


def test_the_menu_lists_every_page_once_in_order() -> None:
    assert tuple(page for _, pages in PAGES for page, _, _ in pages) == PAGE_IDS


def test_every_page_id_is_a_script_that_opens_itself() -> None:
    scripts = {p.stem for p in (ROOT / "pages").glob("*.py")}
    assert scripts == set(PAGE_IDS)
    for page in PAGE_IDS:
        text = (ROOT / page_file(page)).read_text(encoding="utf-8")
        assert re.search(rf'page\.start\("{page}"[,)]', text), page


def test_roles_name_only_pages_that_exist() -> None:
    assert all(set(r.pages) <= set(PAGE_IDS) for r in ROLES.values())
    assert "whatif" not in ROLES["executive"].pages  # the only page a viewer role lacks
