"""Per-manager parameters over the months: the behaviour profiles laid onto the timeline.

Turns each manager's `Profile` (plus jitter, the planted negative event and the run-up to
leaving) into arrays indexed [manager] or [manager, month] that the table generators read.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from cmdash.demo.behaviours import ATTRITION, JITTER, RECENT_MONTHS, Profile
from cmdash.demo.calendar import Calendar
from cmdash.demo.org import NEVER, Org


@dataclass
class Effects:
    scalar: dict[str, np.ndarray]  # Profile field -> value per manager (jittered)
    vol: np.ndarray  # [manager, month] volume multiplier, quarter decay included
    visit: np.ndarray  # [manager, month] visit rate multiplier
    quality: np.ndarray  # [manager, month] check pass probability
    info: np.ndarray  # [manager, month] info-collected probability
    log_delay: np.ndarray  # [manager, month] median log delay, hours
    resolve: np.ndarray  # [manager, month] issue resolution probability
    inspect: np.ndarray  # [manager, month] inspection pass probability

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self.__dict__["scalar"][name]
        except KeyError:
            raise AttributeError(name) from None


def build_effects(cal: Calendar, org: Org, rng: np.random.Generator) -> Effects:
    n, months = org.n, cal.months
    profiles: list[Profile] = org.profiles
    scalar: dict[str, np.ndarray] = {}
    for f in fields(Profile):
        vals = [getattr(p, f.name) for p in profiles]
        if isinstance(vals[0], (int, float)) and not isinstance(vals[0], bool):
            scalar[f.name] = np.array(vals, dtype=float)
    for name, sd in JITTER.items():
        if name.endswith("hour"):
            scalar[name] = scalar[name] + rng.normal(0, sd, n)
        elif name == "check_quality":
            scalar[name] = np.clip(scalar[name] + rng.normal(0, sd, n), 0.5, 0.99)
        else:
            scalar[name] = scalar[name] * rng.lognormal(0, sd, n)

    mi = np.arange(months)[None, :]
    ref_month = cal.month_of_day[np.clip(org.ref_end(cal.days), 0, cal.days - 1)][:, None]
    s = scalar
    vol = s["volume"][:, None] * (1 + s["volume_slope"][:, None] * (mi - months / 2))
    # Recent plateau-and-fall (complacent): linear over the review window to the reference end.
    into = np.clip((mi - (ref_month - RECENT_MONTHS)) / RECENT_MONTHS, 0, 1)
    vol = vol * (1 - s["recent_drop"][:, None] * into)
    # Quarter decay (strong start, weak finish): by month within the calendar quarter.
    qpos = np.array([(lab[1] - 1) % 3 for lab in cal.month_label])
    decay = np.array([p.quarter_decay for p in profiles])[:, qpos]
    vol = vol * decay
    visit = np.repeat(s["visit_rate"][:, None], months, axis=1)
    quality = np.repeat(s["check_quality"][:, None], months, axis=1)
    info = np.repeat(s["info_rate"][:, None], months, axis=1)
    log_delay = np.repeat(s["log_delay_hours"][:, None], months, axis=1)
    inspect = np.repeat(s["inspection_pass"][:, None], months, axis=1)
    resolve = s["resolve_start"][:, None] + (s["resolve_end"] - s["resolve_start"])[:, None] * into

    # After the planted negative event (resentful): everything slides, month by month.
    ev_month = np.where(
        org.event_day < NEVER, cal.month_of_day[np.clip(org.event_day, 0, cal.days - 1)], months
    )[:, None]
    since = np.clip(mi - ev_month, 0, None)
    drop = s["post_event_drop"][:, None] * since
    floor = s["post_event_floor"][:, None]
    vol = vol * np.maximum(1 - drop, floor)
    visit = visit * np.maximum(1 - s["post_event_visits"][:, None] * drop, floor - 0.15)
    quality = quality - s["post_event_checks"][:, None] * drop
    info = info - s["post_event_info"][:, None] * drop
    log_delay = log_delay * (1 + s["post_event_logs"][:, None] * drop)
    inspect = inspect - s["post_event_checks"][:, None] * drop
    resolve = resolve - s["post_event_issues"][:, None] * drop

    # Run-up to leaving (docs/retention.md): results and visits fall while targets stay.
    left_month = np.where(
        org.left_day < NEVER, cal.month_of_day[np.clip(org.left_day, 0, cal.days - 1)], NEVER
    )[:, None]
    run = np.clip((mi - (left_month - ATTRITION.months)) / ATTRITION.months, 0, 1)
    vol = vol * (1 - ATTRITION.volume_drop * run)
    visit = visit * (1 - ATTRITION.visit_drop * run)
    return Effects(
        scalar=scalar,
        vol=vol,
        visit=visit,
        quality=np.clip(quality, 0.3, 0.99),
        info=np.clip(info, 0.1, 0.99),
        log_delay=log_delay,
        resolve=np.clip(resolve, 0.2, 0.98),
        inspect=np.clip(inspect, 0.3, 0.99),
    )
