"""Admin API: statistics for the console's charts (computed by bot.conversations.statistics).

Ranges are natural days in China Standard Time, the last 14 by default. Notification
delivery is ``/stats/notifications`` (notifications_api).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field

from bot.conversations import contact_statistics, statistics, survey_statistics
from bot.infra.clock import cst_date
from bot.web.admin.framework import Api, ApiError, ApiRequest
from bot.web.admin.names import channel_names, rule_names, staff_names

api = Api()
READ = ("admin", "specialist", "viewer")
MAX_DAYS = 366
DEFAULT_DAYS = 14
# Bounded so date arithmetic can never overflow, whatever a caller sends.
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


class RangeQuery(BaseModel):
    since: date | None = Field(default=None, ge=EARLIEST, le=LATEST)
    until: date | None = Field(default=None, ge=EARLIEST, le=LATEST)


class RuleStatsQuery(RangeQuery):
    channel: str | None = Field(default=None, max_length=16)
    limit: int = Field(default=20, ge=1, le=500)


class RuleSeries(BaseModel):
    rule_id: str
    rule_name: str | None = None
    hits: int
    replies: int
    suppressed: int
    per_day: list[int]  # hits, one per entry of ``days``


class RuleStatsOut(BaseModel):
    since: date
    until: date
    days: list[date]
    total_per_day: list[int]
    total_hits: int
    rules: list[RuleSeries]  # the top rules by hits, most first


class UnansweredQuery(RangeQuery):
    limit: int = Field(default=50, ge=1, le=500)


class UnansweredGroup(BaseModel):
    normalized: str
    count: int
    example: str
    last_at: datetime
    suggestion: dict[str, Any]  # a rule in the keywords format, to start a new rule from


class UnansweredStatsOut(BaseModel):
    since: date
    until: date
    total: int
    groups: list[UnansweredGroup]


class Durations(BaseModel):
    count: int
    median_minutes: float | None
    p90_minutes: float | None


class EscalationStatsOut(BaseModel):
    since: date
    until: date
    total: int
    by_status: dict[str, int]
    by_reason: dict[str, int]
    by_channel: dict[str, int]
    to_claim: Durations
    to_resolve: Durations
    renotified: int
    raised: int
    open_oldest_minutes: float | None


class WelcomeStatsOut(BaseModel):
    since: date
    until: date
    total: int
    by_kind: dict[str, dict[str, int]]  # kind -> outcome -> count
    by_channel_code: dict[str, dict[str, int]]  # channel code ("" = none) -> outcome -> count


class ContactCounts(BaseModel):
    added: int = 0  # add_external_contact / add_half_external_contact
    lost: int = 0  # del_follow_user: the customer deleted the staff member
    deleted: int = 0  # del_external_contact: the staff member deleted the customer


class ContactStatsOut(BaseModel):
    since: date
    until: date
    total: ContactCounts
    by_channel_code: dict[str, ContactCounts]  # the code the customer came through ("" = none)
    by_userid: dict[str, ContactCounts]
    channel_names: dict[str, str] = {}  # code → the channel's name, where it has one
    staff_names: dict[str, str] = {}  # userid → directory name


def _range(q: RangeQuery, today: date | None = None) -> tuple[date, date]:
    until = q.until or today or cst_date(datetime.now(UTC))
    since = q.since or until - timedelta(days=DEFAULT_DAYS - 1)
    if since > until:
        raise ApiError(400, "invalid_query", "开始日期（since）晚于结束日期（until）", "since")
    if (until - since).days >= MAX_DAYS:
        raise ApiError(400, "invalid_query", f"一次最多查询 {MAX_DAYS} 天", "since")
    return since, until


@api.route("GET", "/stats/rules", roles=READ, query=RuleStatsQuery, response=RuleStatsOut,
           tag="statistics")
async def rule_stats(req: ApiRequest) -> RuleStatsOut:
    """Hits per rule per day over a range (default the last 14 days) and the top rules."""
    q: RuleStatsQuery = req.query
    since, until = _range(q)
    hits = await statistics.rule_hits(since, until, channel=q.channel, limit=q.limit)
    out = RuleStatsOut(since=since, until=until, **asdict(hits))
    names = await rule_names()
    for r in out.rules:
        r.rule_name = names.get(r.rule_id)
    return out


@api.route("GET", "/stats/unanswered", roles=READ, query=UnansweredQuery,
           response=UnansweredStatsOut, tag="statistics")
async def unanswered_stats(req: ApiRequest) -> UnansweredStatsOut:
    """Questions no rule answered, grouped by normalized text, most asked first, each with a
    suggested rule ("make a rule")."""
    since, until = _range(req.query)
    summary = await statistics.unanswered_groups(since, until, limit=req.query.limit)
    return UnansweredStatsOut(since=since, until=until, **asdict(summary))


@api.route("GET", "/stats/escalations", roles=READ, query=RangeQuery,
           response=EscalationStatsOut, tag="statistics")
async def escalation_stats(req: ApiRequest) -> EscalationStatsOut:
    """Escalations created in the range: by status, reason and channel; minutes to claim and
    to resolve (median, p90); how many were re-notified and raised to a supervisor."""
    since, until = _range(req.query)
    figures = await statistics.escalation_figures(since, until, req.services.ports.clock.now())
    return EscalationStatsOut(since=since, until=until, **asdict(figures))


@api.route("GET", "/stats/welcome", roles=READ, query=RangeQuery, response=WelcomeStatsOut,
           tag="statistics")
async def welcome_stats(req: ApiRequest) -> WelcomeStatsOut:
    """What became of welcomes (sent, missed, already_sent …) by kind and by channel code."""
    since, until = _range(req.query)
    figures = await statistics.welcome_outcomes(since, until)
    return WelcomeStatsOut(since=since, until=until, **asdict(figures))


@api.route("GET", "/stats/contacts", roles=READ, query=RangeQuery, response=ContactStatsOut,
           tag="stats")
async def contact_stats(req: ApiRequest) -> ContactStatsOut:
    """New and lost customers (客户联系) by channel code and by staff member: a customer who
    deletes the member is lost; the channel is the code they were added through."""
    since, until = _range(req.query)
    figures = await contact_statistics.contact_changes(since, until)
    out = ContactStatsOut(since=since, until=until, **asdict(figures))
    out.channel_names = {code: name for code, name in (await channel_names()).items()
                         if code in out.by_channel_code}
    out.staff_names = await staff_names(req.services, out.by_userid)
    return out


class PersonScoresOut(BaseModel):
    userid: str
    name: str | None = None  # the directory's name
    roles: list[str]  # servicer | specialist | designer | installer
    count: int
    average: float | None
    low: int  # ratings of 2 or less
    by_score: list[int]  # how many 1s, 2s, … 5s


class StageScoresOut(BaseModel):
    stage: str  # "" for customers with no order
    count: int
    average: float | None
    low: int
    by_score: list[int]


class SatisfactionOut(BaseModel):
    since: date
    until: date
    asked: int  # surveys asked in the range
    answered: int  # ratings given in the range
    average: float | None
    low: int
    by_score: list[int]
    by_kind: dict[str, int]  # session (end of a kefu session) | order (after a stage)
    people: list[PersonScoresOut]
    stages: list[StageScoresOut]


@api.route("GET", "/stats/satisfaction", roles=READ, query=RangeQuery,
           response=SatisfactionOut, tag="statistics")
async def satisfaction_stats(req: ApiRequest) -> SatisfactionOut:
    """Satisfaction ratings (1–5) given in the range: overall, per person (a session's
    servicer, an order's specialist, designer and installer) and per stage; ``low`` counts
    ratings of 2 or less (each raised to the supervisor)."""
    since, until = _range(req.query)
    figures = await survey_statistics.satisfaction(since, until)
    out = SatisfactionOut(since=since, until=until, **asdict(figures))
    names = await staff_names(req.services, [p.userid for p in out.people])
    for p in out.people:
        p.name = names.get(p.userid)
    return out
