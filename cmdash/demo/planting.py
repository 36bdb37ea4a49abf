"""Which of its type's signals each planted manager shows, and how strongly (docs/coaching.md).

People show a type through some of its signals, never all. Each type's signals are
declared here as groups of `Profile` fields at full strength (behaviours.PROFILES); a planted
manager draws the type's required signals (its three preconditions) plus a random
subset of the rest, at least `MIN_SIGNALS` in all, each at a random strength between
`STRENGTH` bounds (0 = steady, 1 = the full profile value). Some steady managers show one
signal of some type at `NOISE_STRENGTH`: noise a coach should not be alerted by.
Short tenure is a signal (under-confident) drawn here and laid out by org.py. The "traits"
variant (`from_traits`) makes the data another way, for an honest check of the rules.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np

from cmdash.demo.behaviours import PROFILES, STEADY, STEADY_PROFILE, Profile


@dataclass(frozen=True)
class Signal:
    id: str
    fields: tuple[str, ...]  # Profile fields moved towards the type's full profile
    required: bool = False  # a precondition: every planted manager shows it


S = Signal
SIGNALS: dict[str, tuple[Signal, ...]] = {
    "under_confident": (
        S("small_customers", ("small_skew",)),
        S("few_new_visits", ("new_customer_visits", "new_customers")),
        S("low_order_rate", ("order_rate",)),
        S("few_cultivation", ("cultivation",)),
        S("under_forecast", ("forecast_bias",)),
        S("early_end", ("end_hour",)),
        S("unresolved_issues", ("issue_rate", "resolve_start", "resolve_end")),
        S("short_tenure", ("short_tenure_months", "grade_shift")),
    ),
    "lacking_drive": (
        S("below_plan", ("visit_rate", "planned_share")),
        S("long_gaps", ("visit_skip",)),
        S("flat_volume", ("volume", "volume_slope")),
        S("late_logs", ("log_delay_hours",)),
    ),
    "complained_about": (
        S("complaints", ("complaint_rate",)),
        S("low_ratings", ("rating_shift", "praise_rate")),
        S("repeat_complainers", ("repeat_complainers",)),
        S("slow_resolution", ("resolve_days", "unresolved_share")),
    ),
    "strong_start_weak_finish": (
        S("front_loaded", ("front_load",)),
        S("quarter_decay", ("quarter_decay",)),
        S("plan_missed", ("planned_share",)),
    ),
    "resentful": (
        S("event_then_decline", ("negative_event", "post_event_drop", "post_event_floor"),
          True),
        S("visits_fall", ("post_event_visits",)),
        S("checks_fall", ("post_event_checks",)),
        S("info_falls", ("post_event_info",)),
        S("issues_pile_up", ("post_event_issues",)),
        S("logs_late", ("post_event_logs",)),
    ),
    "complacent": (
        S("high_history", ("volume", "grade_shift", "award_rate"), True),
        S("plateau", ("volume_slope", "recent_drop")),
        S("few_new_customers", ("new_customers",)),
        S("weak_process", ("check_quality", "info_rate", "log_delay_hours", "on_site")),
        S("fewer_visits", ("visit_rate", "planned_share")),
    ),
    "excellent": (
        S("top_results", ("volume", "order_rate", "cultivation", "new_customers"), True),
        S("top_process", ("check_quality", "info_rate", "log_delay_hours", "visit_rate",
                          "inspection_pass", "resolve_start", "resolve_end"), True),
        S("sustained", ("volume_slope", "forecast_noise", "grade_shift", "award_rate",
                        "talk_rate")),
        S("customers_pleased", ("rating_shift", "praise_rate", "complaint_rate")),
    ),
}

MIN_SIGNALS = 3
STRENGTH = (0.6, 1.0)  # a signal's strength, drawn uniformly
REQUIRED_STRENGTH = (0.8, 1.0)  # a precondition is clear, or the type is not there
NOISE_SHARE = 0.3  # steady managers showing one signal at NOISE_STRENGTH
NOISE_STRENGTH = 0.5


def draw(ptype: str | None, rng: np.random.Generator) -> dict[str, float]:
    """Signal id -> strength for one manager of planted type `ptype` (None: a supervisor)."""
    if ptype is None:
        return {}
    if ptype == STEADY:
        if rng.random() >= NOISE_SHARE:
            return {}
        t = list(SIGNALS)[int(rng.integers(len(SIGNALS)))]
        pool = [s for s in SIGNALS[t] if not s.required]
        sig = pool[int(rng.integers(len(pool)))]
        return {f"{t}:{sig.id}": NOISE_STRENGTH}
    sigs = SIGNALS[ptype]
    required = [s for s in sigs if s.required]
    rest = [s for s in sigs if not s.required]
    n_rest = int(rng.integers(max(MIN_SIGNALS - len(required), 1), len(rest) + 1))
    chosen = [rest[i] for i in rng.choice(len(rest), n_rest, replace=False)]
    out = {f"{ptype}:{s.id}": float(rng.uniform(*REQUIRED_STRENGTH)) for s in required}
    out |= {f"{ptype}:{s.id}": float(rng.uniform(*STRENGTH)) for s in chosen}
    return out


#: The "traits" variant (a check on data made another way): every manager has a continuous
#: disposition per type, z ~ N(0, 1); each of the type's signals shows at a strength that
#: grows with z past TRAIT_ONSET, with its own loading and noise; the type is read off the
#: traits afterwards: the largest z, if at least TRAIT_CUT, else steady.
TRAIT_ONSET, TRAIT_SPAN, TRAIT_CUT = 0.5, 1.5, 1.5
TRAIT_LOADING = (0.5, 1.2)
TRAIT_NOISE = 0.1


def from_traits(rng: np.random.Generator) -> tuple[str, dict[str, float]]:
    """(type read off the traits, signal -> strength) for one manager of the traits variant;
    signals are ordered weakest first, so on a shared field the strongest one sets it."""
    types = list(SIGNALS)
    z = rng.normal(size=len(types))
    shown: dict[str, float] = {}
    for zt, t in zip(z, types, strict=True):
        for sig in SIGNALS[t]:
            a = rng.uniform(*TRAIT_LOADING)
            s = float(np.clip(a * (zt - TRAIT_ONSET) / TRAIT_SPAN
                              + rng.normal(0, TRAIT_NOISE), 0, 1))
            if s >= 0.05 and not (sig.id == "short_tenure" and s < 0.5):
                shown[f"{t}:{sig.id}"] = round(s, 3)
    top = int(np.argmax(z))
    ptype = types[top] if z[top] >= TRAIT_CUT else STEADY
    return ptype, dict(sorted(shown.items(), key=lambda kv: kv[1]))


def _blend(steady: object, full: object, a: float) -> object:
    if isinstance(full, bool) or full is None or steady is None:
        return full if a > 0 else steady
    if isinstance(full, tuple):
        return tuple(_blend(s, f, a) for s, f in zip(steady, full, strict=True))
    if isinstance(full, int) and not isinstance(steady, float):
        return round(steady + a * (full - steady))
    return steady + a * (full - steady)


def profile(signals: dict[str, float]) -> Profile:
    """The steady profile with each shown signal's fields moved `strength` of the way to the
    type's full profile."""
    changes: dict[str, object] = {}
    for key, a in signals.items():
        t, sig_id = key.split(":", 1)
        sig = next(s for s in SIGNALS[t] if s.id == sig_id)
        for f in sig.fields:
            changes[f] = _blend(getattr(STEADY_PROFILE, f), getattr(PROFILES[t], f), a)
    return replace(STEADY_PROFILE, **changes)


def has_short_tenure(signals: dict[str, float]) -> bool:
    return "under_confident:short_tenure" in signals


_PROFILE_FIELDS = {f.name for f in fields(Profile)}
assert all(f in _PROFILE_FIELDS for sigs in SIGNALS.values() for s in sigs for f in s.fields)
