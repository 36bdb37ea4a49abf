"""The planted manager behaviours, declared as data.

Each coaching type (docs/coaching.md) is a `Profile`: multipliers and shifts on the base generative
parameters of a plain (`steady`) manager, at full strength. A planted manager shows only some
of them (planting.py picks the signals and their strength). Tenure does not depend on the
type, except short tenure as one of under-confident's signals. The type never appears in a
column; it shows only through these parameters' effect on sales, visits, check-ins, feedback,
targets and events.
Month-dependent parts (trends, post-event falls) are measured from the manager's reference
end: the dataset's end, or the left date for a manager who left.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

TYPES = (
    "under_confident",
    "lacking_drive",
    "complained_about",
    "strong_start_weak_finish",
    "resentful",
    "complacent",
    "excellent",
)
STEADY = "steady"
TYPE_SHARE = 0.066  # of territories, per planted type (7 × 6.6 % ≈ 46 %; the rest steady)
MIN_PER_TYPE = 2
RECENT_MONTHS = 9  # the review window: last 3 months vs the 6 before


@dataclass(frozen=True)
class Profile:
    # results
    volume: float = 1.0  # order volume vs what the book would order (attainment level)
    volume_slope: float = 0.002  # relative change per month over the whole window
    recent_drop: float = 0.0  # volume lost by the reference end, linear over RECENT_MONTHS
    quarter_decay: tuple[float, float, float] = (1.0, 1.0, 1.0)  # by month in the quarter
    front_load: float = 0.0  # first half of month ×(1+a), second half ×(1−a): visits and sales
    order_prob: float = 1.0  # chance a customer's scheduled order happens
    cultivation: float = 1.0  # share of order lines that are 培育 brands
    new_customers: float = 1.0  # weight when new retailers are given to territories
    forecast_bias: float = 1.0  # forecast ÷ actual
    forecast_noise: float = 0.06  # log-sd of that ratio
    # visits
    visit_rate: float = 1.0  # visits per customer vs the tier norm
    visit_skip: float = 0.0  # chance a customer gets no visit at all in a month (gaps)
    small_skew: float = 0.0  # visits weighted by exp(−skew·(tier−12)/10): favour small retailers
    new_customer_visits: float = 1.0  # visits to retailers opened in the last 6 months
    planned_share: float = 0.88  # share of visits that were in the plan
    on_site: float = 0.78  # channel mix: on site; the rest split phone 2 : online 1
    accompanied: float = 0.03  # share of on-site visits with the 市场经理
    duration: float = 1.0  # on-site visit length multiplier
    order_rate: float = 1.0  # chance a visit ends with an order
    check_quality: float = 0.9  # price tags / display / stock checks pass
    info_rate: float = 0.75  # market information collected
    issue_rate: float = 1.0  # issues raised per visit
    resolve_start: float = 0.85  # issues resolved, before the review window
    resolve_end: float = 0.85  # … at the reference end (linear across the window)
    log_delay_hours: float = 3.0  # median delay filing the visit log
    # day
    start_hour: float = 8.3  # first check-in
    end_hour: float = 17.5  # end-of-day check-in
    # customer voice and supervision
    complaint_rate: float = 1.0
    repeat_complainers: float = 0.15  # share of complaints from the book's few chronic complainers
    resolve_days: float = 3.0  # median days to resolve a complaint
    unresolved_share: float = 0.05
    rating_shift: float = 0.0  # added to the 1–5 rating mean
    praise_rate: float = 1.0
    inspection_pass: float = 0.9
    # events and career
    negative_event: bool = False  # one of NEGATIVE_EVENTS 3–6 months before the reference end
    post_event_drop: float = 0.0  # volume lost per month after it (visits fall 1.4× as fast)
    post_event_floor: float = 1.0
    post_event_visits: float = 0.0  # visits fall this many times as fast as volume
    post_event_checks: float = 0.0  # check pass rate lost per unit of the volume drop
    post_event_info: float = 0.0  # info collection lost per unit of the volume drop
    post_event_issues: float = 0.0  # issue resolution lost per unit of the volume drop
    post_event_logs: float = 0.0  # log delay grows by this × the volume drop
    tenure_years: tuple[float, float] = (1.0, 18.0)  # hired this long before the window start
    short_tenure_months: tuple[int, int] | None = None  # hired this many months before the end
    grade_shift: int = 0
    award_rate: float = 0.1  # chance of a yearly award
    talk_rate: float = 0.05  # chance of a 谈话 per manager-quarter


STEADY_PROFILE = Profile()

PROFILES: dict[str, Profile] = {
    STEADY: STEADY_PROFILE,
    "under_confident": replace(
        STEADY_PROFILE,
        volume=0.92,
        small_skew=1.1,
        new_customer_visits=0.45,
        order_rate=0.62,
        cultivation=0.4,
        forecast_bias=0.8,
        end_hour=15.0,
        issue_rate=1.3,
        resolve_start=0.8,
        resolve_end=0.45,
        accompanied=0.08,
        new_customers=0.6,
        short_tenure_months=(4, 14),
        grade_shift=-1,
    ),
    "lacking_drive": replace(
        STEADY_PROFILE,
        volume=0.95,
        volume_slope=-0.006,
        visit_skip=0.35,
        visit_rate=0.95,
        planned_share=0.8,
        on_site=0.66,
        duration=0.8,
        order_rate=0.85,
        info_rate=0.5,
        check_quality=0.82,
        log_delay_hours=22.0,
        start_hour=8.7,
        end_hour=16.9,
        new_customers=0.5,
        inspection_pass=0.72,
        talk_rate=0.2,
    ),
    "complained_about": replace(
        STEADY_PROFILE,
        volume=0.98,
        complaint_rate=5.0,
        repeat_complainers=0.45,
        resolve_days=11.0,
        unresolved_share=0.25,
        rating_shift=-0.9,
        praise_rate=0.3,
        resolve_start=0.65,
        resolve_end=0.6,
        issue_rate=1.4,
        duration=0.85,
        talk_rate=0.2,
    ),
    "strong_start_weak_finish": replace(
        STEADY_PROFILE,
        front_load=0.38,
        quarter_decay=(1.12, 0.97, 0.82),
        planned_share=0.78,
        forecast_bias=1.08,
    ),
    "resentful": replace(
        STEADY_PROFILE,
        volume=1.03,
        negative_event=True,
        post_event_drop=0.06,
        post_event_floor=0.72,
        post_event_visits=1.4,
        post_event_checks=0.6,
        post_event_info=1.0,
        post_event_issues=0.8,
        post_event_logs=8.0,
    ),
    "complacent": replace(
        STEADY_PROFILE,
        volume=1.18,
        volume_slope=0.0,
        recent_drop=0.2,
        visit_rate=0.75,
        on_site=0.65,
        check_quality=0.8,
        info_rate=0.55,
        log_delay_hours=6.0,
        new_customers=0.2,
        planned_share=0.82,
        grade_shift=1,
        award_rate=0.5,
    ),
    "excellent": replace(
        STEADY_PROFILE,
        volume=1.15,
        volume_slope=0.004,
        visit_rate=1.12,
        order_rate=1.2,
        cultivation=1.35,
        check_quality=0.96,
        info_rate=0.92,
        log_delay_hours=1.5,
        resolve_start=0.93,
        resolve_end=0.93,
        rating_shift=0.3,
        praise_rate=3.0,
        complaint_rate=0.6,
        new_customers=1.7,
        forecast_noise=0.03,
        inspection_pass=0.98,
        grade_shift=1,
        award_rate=0.8,
        talk_rate=0.0,
    ),
}

#: Types a manager who left may have had before leaving (their truth row says which).
LEAVER_TYPES: dict[str, float] = {STEADY: 0.6, "lacking_drive": 0.2, "resentful": 0.2}


@dataclass(frozen=True)
class Attrition:
    """Attrition signals (docs/retention.md) planted before a manager leaves."""

    months: int = 6  # months of decline before the left date
    volume_drop: float = 0.3  # volume lost by the left date (targets do not follow)
    visit_drop: float = 0.3
    events: tuple[tuple[str, float], ...] = (
        ("talk", 0.8),
        ("bonus_cut", 0.45),
        ("quota_increase", 0.3),
        ("demotion", 0.2),
    )  # each drawn independently, 1–7 months before leaving
    short_tenure_share: float = 0.35  # leavers hired shortly before, with a small book
    small_book: float = 0.6  # their book vs a normal territory


ATTRITION = Attrition()

#: Per-manager jitter (log-sd or sd) so no two managers of a type look alike.
JITTER: dict[str, float] = {
    "volume": 0.07,
    "visit_rate": 0.08,
    "order_rate": 0.08,
    "cultivation": 0.15,
    "end_hour": 0.25,
    "start_hour": 0.12,
    "check_quality": 0.03,
    "complaint_rate": 0.3,
    "log_delay_hours": 0.35,
}
