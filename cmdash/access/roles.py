"""Who sees what (docs/access.md), declared as data.

Scope is enforced in the query layer: every query reads the `scope` CTE, which binds the
viewer's allowed regions, districts, managers or supervisor as parameters. Pages cannot ask
for rows outside it; peer medians and ranks are computed inside it. The only numbers from
outside a scope are company-wide benchmarks over at least k managers, labelled as such.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmdash.i18n import pick


@dataclass(frozen=True)
class Role:
    id: str
    label_zh: str
    label_en: str
    pages: tuple[str, ...]  # ids (of PAGE_IDS) of the pages the role may open
    scope: str  # "all", "region", "district" (or supervisor), "manager"
    settings: bool = False  # may use the What-if page and change settings
    paths: bool = False  # may see the server's folder paths (the Data page)

    def label(self, lang: str) -> str:
        return pick(self.label_zh, self.label_en, lang)


#: Every page of the app by id, in menu order; `cmdash.ui.frame` lays them out, and a
#: page's script is pages/<id>.py.
PAGE_IDS = ("overview", "managers", "profile", "coaching", "retention", "whatif", "data")
_VIEW_PAGES = tuple(p for p in PAGE_IDS if p != "whatif")

ROLES: dict[str, Role] = {
    r.id: r
    for r in (
        Role("executive", "公司领导", "Executive", _VIEW_PAGES, "all"),
        Role("analyst", "分析员 / 人力", "Analyst / HR", PAGE_IDS, "all", settings=True,
             paths=True),
        Role("region_head", "地市负责人", "City head", _VIEW_PAGES, "region"),
        Role("coach", "市场经理（片区）", "Coach (district)", _VIEW_PAGES, "district"),
        Role("manager", "客户经理本人", "Manager (own book)",
             ("overview", "profile", "retention"), "manager"),
    )
}

#: Company-wide benchmarks shown outside a scope must cover at least this many managers.
K_ANONYMITY_DEFAULT = 5
