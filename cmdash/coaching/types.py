"""The seven coaching types and the work-style flags (docs/coaching.md), declared as data.

A type is a list of tests on behaviour features. A `peer` test compares the manager with
a percentile of the peers' values (`default` is that percentile, 0–100); a `value` test
compares with a fixed value in the feature's unit. `required` tests are the type's three
preconditions (resentful: a negative event before the decline; complacent: high historical
results; excellent: top quartile on both results and process) and must all pass; every other
test is evidence, and at least `min_pass` of the evidence tests that can be measured must
pass (k of the measurable; see docs/coaching.md). Every threshold and `min_pass` is a
setting (`coaching.<type>.<feature>`, `coaching.<type>.min_pass`); see params.py.
The advice is ours, written from the source's description of each type.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cmdash.i18n import pick


@dataclass(frozen=True)
class Test:
    feature: str  # a key of features.FEATURES
    side: Literal["low", "high"]  # the behaviour shows as a value below / above the cut
    default: float  # percentile among peers (peer) or a value in the feature's unit (value)
    kind: Literal["peer", "value"] = "peer"
    required: bool = False  # a precondition: must pass for the type to be flagged


@dataclass(frozen=True)
class CoachingType:
    id: str
    name_zh: str
    name_en: str
    tests: tuple[Test, ...]
    min_pass: int  # evidence tests (not required ones) that must pass, among the measurable
    advice_zh: tuple[str, ...]
    advice_en: tuple[str, ...]
    needs: tuple[str, ...] = ()  # tables without which the type cannot be assessed
    style: bool = False  # a work-style flag: shown, never the primary type

    @property
    def required(self) -> tuple[Test, ...]:
        return tuple(x for x in self.tests if x.required)

    @property
    def evidence(self) -> tuple[Test, ...]:
        return tuple(x for x in self.tests if not x.required)

    def name(self, lang: str) -> str:
        return pick(self.name_zh, self.name_en, lang)

    def advice(self, lang: str) -> tuple[str, ...]:
        return pick(self.advice_zh, self.advice_en, lang)


TYPES: tuple[CoachingType, ...] = (
    CoachingType(
        "under_confident", "信心不足", "Under-confident",
        (
            Test("big_visit_ratio", "low", 8),
            Test("new_visit_ratio", "low", 8),
            Test("order_rate", "low", 8),
            Test("cultivation_share", "low", 8),
            Test("forecast_bias", "low", 8),
            Test("end_hour", "low", 8),
            Test("issue_resolution_change", "low", 8),
            Test("tenure_years", "low", 2.0, "value"),
        ),
        3,
        ("单独谈一次，弄清信心不足的原因：业务不熟、怕被拒绝，还是工作以外的事",
         "陪同拜访，从熟悉、好沟通的客户开始，再逐步走向大户和新户",
         "补上产品知识和推介方法：陪访时先看你做，再由他来做",
         "把目标拆成小步，每迈出一步都及时肯定"),
        ("Talk one-to-one to find what holds them back: product knowledge, fear of refusal, "
         "or something outside work",
         "Ride along, starting with familiar, friendly retailers and moving step by step to "
         "large and new ones",
         "Fill the gaps in product knowledge and selling: on joint visits they watch you "
         "first, then lead",
         "Break goals into small steps and recognise each step as soon as it is made"),
    ),
    CoachingType(
        "lacking_drive", "缺乏干劲", "Lacking drive",
        (
            Test("plan_execution", "low", 12),
            Test("coverage", "low", 12),
            Test("long_gap_share", "high", 88),
            Test("volume_trend", "low", 12),
            Test("log_timeliness", "low", 12),
        ),
        2,
        ("用数据讲清拜访断档和销量下滑给客户和他本人带来的损失",
         "问清干劲不足的原因：收入、家庭、与上级的关系，还是看不到发展",
         "收入激励与认可、成长机会一起用",
         "安排陪访，当场检查拜访计划的执行",
         "如果问题出在线路本身，考虑调整线路"),
        ("Show with the numbers what the visit gaps and falling volume cost the retailers "
         "and their own pay",
         "Ask what drains their energy: pay, family, the relationship with you, or no "
         "visible future",
         "Use pay incentives together with recognition and chances to grow",
         "Ride along and check the visit plan on the spot",
         "If the territory itself is the problem, consider changing it"),
    ),
    CoachingType(
        "complained_about", "客户抱怨", "Customers complain",
        (
            Test("complaints_per_100", "high", 90),
            Test("mean_rating", "low", 10),
            Test("repeat_share", "high", 90),
            Test("resolution_days", "high", 90),
        ),
        2,
        ("逐条看投诉内容，找出共同的根源：态度、承诺未兑现、配送还是沟通",
         "判断他与现在的客户群是否合适",
         "做沟通和服务方面的辅导，可以先模拟演练",
         "矛盾较深的客户可暂时换人维护，关系修复后再交还"),
        ("Read the complaints one by one and find the common root: manner, broken promises, "
         "delivery or communication",
         "Judge whether they fit the customers they serve now",
         "Coach communication and service, rehearsing difficult conversations first",
         "Hand badly strained customers to a colleague for a while to repair the "
         "relationship, then hand them back"),
    ),
    CoachingType(
        "strong_start_weak_finish", "虎头蛇尾", "Strong start, weak finish",
        (
            Test("front_share", "high", 90),
            Test("quarter_decay", "high", 90),
            Test("plan_execution", "low", 10),
        ),
        2,
        ("把月度目标拆到每周或每旬，按小周期追踪",
         "每周而不是月底检查拜访计划的完成情况",
         "在下半月设检查点，没完成的计划当场补上",
         "预测按实际节奏来报，不靠月初冲量"),
        ("Split monthly targets into weeks or ten-day blocks and follow each one",
         "Check the visit plan every week, not at the month's end",
         "Set a checkpoint in the second half of the month and make up missed visits there",
         "Forecast from the real pace, not from the early-month burst"),
    ),
    CoachingType(
        "resentful", "怨愤不平", "Resentful",
        (
            Test("event_months", "low", 9.0, "value", required=True),
            Test("post_event_decline", "low", -0.08, "value", required=True),
            Test("post_event_trend", "low", -0.08, "value"),
            Test("post_event_visits", "low", -0.1, "value"),
            Test("issue_resolution_change", "low", 20),
            Test("check_change", "low", 20),
            Test("info_change", "low", 20),
            Test("log_change", "low", 20),
        ),
        3,
        ("先倾听，让他把不满说出来，情绪稳定下来再谈工作",
         "讲清这次调整依据的政策和程序",
         "请他参与团队活动和任务，找回归属感",
         "影响客户或团队的不当做法要及时制止",
         "帮他把眼前的得失和长远的发展放在一起考虑"),
        ("Listen first: let them say what is wrong and settle before talking about work",
         "Explain the policy and the procedure behind the change",
         "Bring them into team activities and tasks so they feel part of the team again",
         "Stop promptly any behaviour that harms customers or the team",
         "Help them weigh the short-term loss against their longer-term prospects"),
        needs=("events",),
    ),
    CoachingType(
        "complacent", "骄傲自满", "Complacent",
        (
            Test("attainment_history", "high", 60, required=True),
            Test("volume_vs_history", "low", 20),
            Test("new_customer_share", "low", 20),
            Test("process_pct", "low", 20),
            Test("visits_per_customer", "low", 20),
            Test("info_rate", "low", 20),
        ),
        2,
        ("肯定过去的成绩，同时用数据点明最近的不足",
         "提高标准：新客户开发、拜访质量都定更高的要求",
         "严格按制度考核，不因资历放宽",
         "定期复盘，让他看到停滞的趋势"),
        ("Credit the past results, and name the recent shortfalls with the numbers",
         "Raise the bar: higher goals for new customers and for visit quality",
         "Assess strictly by the rules, with no allowance for seniority",
         "Review the trend together regularly so the plateau is visible"),
    ),
    CoachingType(
        "excellent", "优秀", "Excellent",
        (
            Test("results_pct", "high", 65, required=True),
            Test("process_pct", "high", 85, required=True),
            Test("top_both_share", "high", 0.2, "value"),
            Test("attainment_recent", "high", 75),
            Test("attainment_base", "high", 75),
            Test("praise_per_100", "high", 75),
            Test("mean_rating", "high", 75),
        ),
        2,
        ("在团队里公开表扬，说清楚具体好在哪里",
         "请他带新人、分享做法",
         "一起定更高的新目标，保持挑战"),
        ("Praise them in front of the team, naming exactly what they do well",
         "Ask them to mentor newer colleagues and share how they work",
         "Set new, higher goals together so the job stays a challenge"),
    ),
    # ── work-style flags (never the primary type) ───────────────────────────────
    CoachingType(
        "formality_visits", "拜访走过场", "Visits as a formality",
        (
            Test("order_rate", "low", 15, required=True),
            Test("info_rate", "low", 15, required=True),
            Test("check_pass", "low", 20),
        ),
        0,
        ("抽查几次拜访现场，看是否按流程问、看、介绍、记录",
         "把成交和信息采集纳入拜访检查，而不只看次数"),
        ("Spot-check a few visits on site: are asking, looking, presenting and recording done",
         "Judge visits by orders and information collected, not by their count"),
        style=True,
    ),
    CoachingType(
        "hot_new_cold_old", "营销热、维护冷", "Keen on new, cold on existing",
        (
            Test("new_visit_ratio", "high", 85, required=True),
            Test("retention", "low", 20, required=True),
        ),
        0,
        ("说明老客户的维护同样计入考核",
         "为老客户定下固定的回访节奏"),
        ("Make clear that looking after existing customers counts as much as winning new ones",
         "Agree a fixed revisit rhythm for the existing book"),
        style=True,
    ),
    CoachingType(
        "products_not_customers", "只营销产品不营销客户", "Sells products, not relationships",
        (
            Test("results_pct", "high", 0.7, "value", required=True),
            Test("mean_rating", "low", 25, required=True),
            Test("retention", "low", 25),
        ),
        0,
        ("销量之外，把客户满意度和留存也放进谈话",
         "一起回访评分低、不再订货的客户，了解原因"),
        ("Talk about satisfaction and retention, not only volume",
         "Visit low-rating and lapsed customers together to learn why"),
        style=True,
    ),
)

TYPE_IDS = tuple(t.id for t in TYPES if not t.style)
STYLE_IDS = tuple(t.id for t in TYPES if t.style)
BY_ID: dict[str, CoachingType] = {t.id: t for t in TYPES}
