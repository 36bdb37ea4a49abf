"""The organisation over time: 地市 → 片区 → territories, and who held each territory when.

A territory (线路) is a book of retailers held by one 客户经理 at a time. Most are held by the
same manager for the whole window; some change hands when a manager leaves (the successor
takes the book the next day), some are created inside the window (customers carved out of
sibling territories), and customers move between territories on territory changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from cmdash.demo.behaviours import (
    ATTRITION,
    LEAVER_TYPES,
    MIN_PER_TYPE,
    PROFILES,
    STEADY,
    TYPE_SHARE,
    TYPES,
    Profile,
)
from cmdash.demo.calendar import Calendar
from cmdash.demo.names import REGION_NAMES, district_names, person_names
from cmdash.demo.planting import draw, from_traits, has_short_tenure, profile
from cmdash.demo.sizes import Size

NEVER = 10**7  # a day index meaning "not within reach" (no left date, no event)
BEFORE = -(10**6)  # a day index before anything: "held since before the window"
MONTH = 30.44
YEAR = 365.25
GRADES = ("见习", "初级", "中级", "高级", "资深")
#: a 市场经理 is a post (whoever others' supervisor_id names), not a grade: the demo's
#: supervisors hold a grade like anyone, at least this one
SUPERVISOR_MIN_GRADE = 3  # 高级
EDUCATION = (("大专", 0.42), ("本科", 0.45), ("中专", 0.06), ("硕士", 0.07))
PRIOR_ROLES = (("访销", 0.3), ("送货", 0.2), ("市管", 0.12), ("电话订货", 0.13), ("应届毕业", 0.25))
NEGATIVE_KINDS = ("demotion", "bonus_cut", "territory_change", "quota_increase")
EVENT_DETAIL = {
    "promotion": "职级晋升",
    "demotion": "职级下调",
    "bonus_cut": "绩效奖金扣减",
    "quota_increase": "月度销量任务上调",
    "appeal": "对考核结果提出申诉",
    "award": "年度优秀客户经理",
    "training": "营销技能培训",
    "talk": "市场经理谈话",
}


@dataclass
class Transfer:
    """Customers moved between territories: a share of `src`'s book (or a whole new book)."""

    day: int
    src: int  # territory losing customers
    dst: int  # territory gaining them
    share: float


@dataclass
class Org:
    # manager rows, supervisors included (index = row)
    name: list[str]
    region: list[str]
    district: list[str]
    district_idx: np.ndarray
    supervisor: np.ndarray  # row of the 市场经理, −1 for none
    is_supervisor: np.ndarray
    hire_day: np.ndarray
    left_day: np.ndarray  # NEVER when active
    ptype: list[str | None]  # planted behaviour; None for 市场经理
    signals: list[dict[str, float]]  # the type's signals shown and their strength (planting)
    profiles: list[Profile]  # the behaviour each manager follows (steady + their signals)
    event_day: np.ndarray  # the planted negative event (resentful), NEVER otherwise
    # territories
    slot_district: np.ndarray
    slot_created: np.ndarray  # BEFORE for territories older than the window
    slot_book: np.ndarray  # book size factor at creation
    inc_slot: np.ndarray  # incumbencies, sorted by (slot, from day)
    inc_day: np.ndarray
    inc_mgr: np.ndarray
    transfers: list[Transfer]
    takeovers: list[tuple[int, int, int]]  # (slot, successor, day) after a manager left
    # (manager row, day, kind, detail)
    events: list[tuple[int, int, str, str]] = field(default_factory=list)
    region_names: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        return len(self.name)

    def incumbent(self, slot: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Manager row holding each territory on each day."""
        keys = self.inc_slot * (1 << 24) + (self.inc_day - BEFORE)
        q = slot.astype(np.int64) * (1 << 24) + (day.astype(np.int64) - BEFORE)
        return self.inc_mgr[np.searchsorted(keys, q, side="right") - 1]

    def ref_end(self, days: int) -> np.ndarray:
        """Each manager's reference end: the last day they worked inside the window."""
        return np.minimum(self.left_day, days - 1)


class _Builder:
    """Accumulates manager rows while territories are laid out."""

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(self, **row) -> int:
        self.rows.append(row)
        return len(self.rows) - 1


def _years(rng: np.random.Generator, lo: float, hi: float) -> int:
    return -int(rng.uniform(lo, hi) * YEAR)


def build_org(size: Size, cal: Calendar, rng: np.random.Generator,
              variant: str = "planted") -> Org:
    """The managers and territories; `variant` "traits" reads each territory's type off
    continuous traits (planting.from_traits) instead of planting it."""
    days = cal.days
    regions = REGION_NAMES[: size.regions]
    d_region = [i % size.regions for i in range(size.districts)]
    d_names: list[str] = []
    per_region = {r: district_names(regions[r], d_region.count(r)) for r in range(size.regions)}
    used = dict.fromkeys(range(size.regions), 0)
    for r in d_region:
        d_names.append(per_region[r][used[r]])
        used[r] += 1

    slots_per = size.managers_per_district + rng.integers(-1, 2, size.districts)
    slot_district = np.repeat(np.arange(size.districts), slots_per)
    n_slots = len(slot_district)
    n_each = max(MIN_PER_TYPE, round(TYPE_SHARE * n_slots))
    types = [t for t in TYPES for _ in range(n_each)]
    types += [STEADY] * (n_slots - len(types))
    slot_type = [types[i] for i in rng.permutation(n_slots)]

    b = _Builder()
    sup = [
        b.add(district=d, ptype=None, hire=_years(rng, 8, 22), left=NEVER, sup=-1, signals={})
        for d in range(size.districts)
    ]
    slot_created = np.full(n_slots, BEFORE, dtype=np.int64)
    slot_book = np.ones(n_slots)
    inc: list[tuple[int, int, int]] = []
    takeovers: list[tuple[int, int, int]] = []
    latest = days - 30
    for s in range(n_slots):
        d, t = int(slot_district[s]), slot_type[s]
        prof = PROFILES[t]

        def person(ptype: str, hire: int, left: int = NEVER, d: int = d,
                   signals: dict[str, float] | None = None) -> int:
            signals = draw(ptype, rng) if signals is None else signals
            return b.add(district=d, ptype=ptype, hire=hire, left=left, sup=sup[d],
                         signals=signals)

        if variant == "traits":
            t, planted = from_traits(rng)
            prof = PROFILES[t]
        else:
            planted = draw(t, rng)
        u = rng.random()
        if has_short_tenure(planted):
            take = days - 1 - int(rng.integers(*profile(planted).short_tenure_months) * MONTH)
            take = max(take, 20)
            scenario = "turnover" if rng.random() < 2 / 3 else "expansion"
        elif t != STEADY:
            scenario, take = "stable", 0
        elif u < 0.14:
            scenario, take = "turnover", int(rng.integers(45, latest))
        elif u < 0.18:
            scenario, take = "expansion", int(rng.integers(30, days - 60))
        elif u < 0.21:
            scenario, take = "expansion_leaver", int(rng.integers(30, max(31, int(days * 0.55))))
        else:
            scenario, take = "stable", 0

        if scenario == "stable":
            inc.append((s, BEFORE, person(t, _years(rng, *prof.tenure_years), signals=planted)))
            continue
        if scenario == "expansion":
            slot_created[s] = take
            mgr = person(t, take - int(rng.integers(0, 21)), signals=planted)
            inc.append((s, take, mgr))
            continue
        leaver_type = str(rng.choice(list(LEAVER_TYPES), p=list(LEAVER_TYPES.values())))
        if scenario == "expansion_leaver":
            slot_created[s] = take
            left = min(take + int(rng.integers(6, 15) * MONTH), latest)
            leaver = person(leaver_type, take - int(rng.integers(0, 21)), left)
            inc.append((s, take, leaver))
        else:
            left = take - 1
            if rng.random() < ATTRITION.short_tenure_share:
                hire = left - int(rng.integers(8, 21) * MONTH)
                hire = min(hire, -int(rng.integers(30, 200)))
                slot_book[s] = ATTRITION.small_book
            else:
                hire = _years(rng, 1, 15)
            leaver = person(leaver_type, hire, left)
            inc.append((s, BEFORE, leaver))
        succ_type = t if scenario == "turnover" else STEADY
        succ = person(succ_type, left + 1 - int(rng.integers(0, 26)),
                      signals=planted if succ_type == t else None)
        inc.append((s, left + 1, succ))
        takeovers.append((s, succ, left + 1))

    rows = b.rows
    n = len(rows)
    hire_day = np.array([r["hire"] for r in rows], dtype=np.int64)
    left_day = np.array([r["left"] for r in rows], dtype=np.int64)
    inc_arr = np.array(sorted(inc), dtype=np.int64)
    org = Org(
        name=person_names(rng, n),
        region=[regions[d_region[r["district"]]] for r in rows],
        district=[d_names[r["district"]] for r in rows],
        district_idx=np.array([r["district"] for r in rows]),
        supervisor=np.array([r["sup"] for r in rows]),
        is_supervisor=np.array([r["ptype"] is None for r in rows]),
        hire_day=hire_day,
        left_day=left_day,
        ptype=[r["ptype"] for r in rows],
        signals=[r["signals"] for r in rows],
        profiles=[profile(r["signals"]) for r in rows],
        event_day=np.full(n, NEVER, dtype=np.int64),
        slot_district=slot_district,
        slot_created=slot_created,
        slot_book=slot_book,
        inc_slot=inc_arr[:, 0],
        inc_day=inc_arr[:, 1],
        inc_mgr=inc_arr[:, 2],
        transfers=[],
        takeovers=takeovers,
        region_names=tuple(regions),
    )
    _plan_transfers(org, days, rng)
    return org


def _slot_of(org: Org, mgr: int, day: int) -> int:
    """The territory a manager holds on a day (−1 if none)."""
    m = (org.inc_mgr == mgr) & (org.inc_day <= day)
    return int(org.inc_slot[m][-1]) if m.any() else -1


def _sibling(org: Org, slot: int, day: int, rng: np.random.Generator) -> int:
    d = org.slot_district[slot]
    sib = np.flatnonzero((org.slot_district == d) & (org.slot_created <= day))
    sib = sib[sib != slot]
    return int(rng.choice(sib)) if len(sib) else -1


def _plan_transfers(org: Org, days: int, rng: np.random.Generator) -> None:
    """Carve-outs for new territories, random rebalancing, and resentful territory changes."""
    for s in np.flatnonzero(org.slot_created > BEFORE):
        day = int(org.slot_created[s])
        donors = np.flatnonzero(
            (org.slot_district == org.slot_district[s]) & (org.slot_created < day)
        )
        for src in rng.choice(donors, size=min(3, len(donors)), replace=False):
            org.transfers.append(Transfer(day, int(src), int(s), 0.15))
    n_slots = len(org.slot_district)
    for _ in range(rng.poisson(0.3 * n_slots / 10 * days / YEAR)):
        src = int(rng.integers(n_slots))
        day = int(rng.integers(20, days - 20))
        if org.slot_created[src] >= day:
            continue
        dst = _sibling(org, src, day, rng)
        if dst >= 0:
            org.transfers.append(Transfer(day, src, dst, float(rng.uniform(0.05, 0.12))))
    # The planted negative event of resentful managers: 3–6 months before their reference end.
    ref = org.ref_end(days)
    for m in range(org.n):
        t = org.ptype[m]
        if t is None or not org.profiles[m].negative_event:
            continue
        day = int(ref[m] - rng.integers(int(3 * MONTH), int(6 * MONTH)))
        day = max(day, int(org.hire_day[m]) + 30, 1)
        org.event_day[m] = day
        kind = str(rng.choice(NEGATIVE_KINDS))
        slot = _slot_of(org, m, day)
        dst = _sibling(org, slot, day, rng) if slot >= 0 else -1
        if kind == "territory_change" and dst >= 0:
            org.transfers.append(Transfer(day, slot, dst, 0.2))
        elif kind == "territory_change":
            kind = "bonus_cut"
        if kind != "territory_change":
            org.events.append((m, day, kind, EVENT_DETAIL[kind]))
        if rng.random() < 0.5:
            a = day + int(rng.integers(10, 40))
            org.events.append((m, min(a, int(ref[m])), "appeal", EVENT_DETAIL["appeal"]))
    org.transfers.sort(key=lambda t: (t.day, t.src, t.dst))


def manager_grade(org: Org, days: int, rng: np.random.Generator) -> list[str]:
    """Current grade from tenure at the reference end, the profile's shift and demotions."""
    ref = org.ref_end(days)
    tenure_years = (ref - org.hire_day) / YEAR
    base = np.searchsorted([0.5, 2.0, 5.0, 10.0], tenure_years, side="right")
    demoted = np.zeros(org.n, dtype=int)
    for m, _, kind, _ in org.events:
        demoted[m] += kind == "demotion"
    out = []
    for m in range(org.n):
        if org.is_supervisor[m]:
            out.append(GRADES[max(int(base[m]), SUPERVISOR_MIN_GRADE)])
            continue
        shift = org.profiles[m].grade_shift if base[m] > 0 else 0
        wobble = rng.integers(-1, 2) * (rng.random() < 0.2)
        g = int(np.clip(base[m] + shift - demoted[m] + wobble, 0, 4))
        g = 0 if tenure_years[m] < 0.5 else max(g, 1)
        out.append(GRADES[g])
    return out


def manager_people(org: Org, cal: Calendar, rng: np.random.Generator) -> dict[str, list]:
    """Birth year, education and prior post: plausible given the hire date."""
    years = [dt.date.fromordinal(cal.start.toordinal() + int(h)).year for h in org.hire_day]
    edu_p = np.array([p for _, p in EDUCATION])
    role_p = np.array([p for _, p in PRIOR_ROLES])
    edu = [EDUCATION[i][0] for i in rng.choice(len(EDUCATION), org.n, p=edu_p / edu_p.sum())]
    role_idx = rng.choice(len(PRIOR_ROLES), org.n, p=role_p / role_p.sum())
    role = [PRIOR_ROLES[i][0] for i in role_idx]
    graduate = np.array([r == "应届毕业" for r in role])
    age = np.where(graduate, rng.integers(21, 25, org.n), rng.integers(23, 38, org.n))
    birth = [y - int(a) for y, a in zip(years, age, strict=True)]
    return {"birth_year": birth, "education": edu, "prior_role": role}
