"""Admin API: statistics for the console's charts.

Rule hits per day (natural days in China Standard Time, as RuleStat counts them), the top
rules, unanswered questions grouped by their normalized text (each with a suggested rule to
start from), escalations with their SLA figures, and welcome outcomes. Notification delivery
is ``/stats/notifications`` (notifications_api).
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from pydantic import BaseModel, Field
from tortoise.functions import Count, Max, Sum

from bot.conversations.welcome import ADDED
from bot.infra.clock import CST, cst_date
from bot.models import ContactEvent, Escalation, RuleStat, UnansweredQuestion, WelcomeOutcome
from bot.web.admin.framework import Api, ApiError, ApiRequest

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


_CONTACT_KIND = {"add_external_contact": "added", "add_half_external_contact": "added",
                 "del_follow_user": "lost", "del_external_contact": "deleted"}


def _range(q: RangeQuery, today: date | None = None) -> tuple[date, date]:
    until = q.until or today or cst_date(datetime.now(UTC))
    since = q.since or until - timedelta(days=DEFAULT_DAYS - 1)
    if since > until:
        raise ApiError(400, "invalid_query", "since is after until", "since")
    if (until - since).days >= MAX_DAYS:
        raise ApiError(400, "invalid_query", f"at most {MAX_DAYS} days at a time", "since")
    return since, until


def _instants(since: date, until: date) -> tuple[datetime, datetime]:
    """The UTC instants bounding [since, until] as China Standard Time days."""
    start = datetime.combine(since, time(), UTC) - CST
    return start, datetime.combine(until + timedelta(days=1), time(), UTC) - CST


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


@api.route("GET", "/stats/rules", roles=READ, query=RuleStatsQuery, response=RuleStatsOut,
           tag="statistics")
async def rule_stats(req: ApiRequest) -> RuleStatsOut:
    """Hits per rule per day over a range (default the last 14 days) and the top rules."""
    q: RuleStatsQuery = req.query
    since, until = _range(q)
    days = [since + timedelta(days=i) for i in range((until - since).days + 1)]
    index = {d: i for i, d in enumerate(days)}
    filters: dict[str, Any] = {"day__gte": since, "day__lte": until}
    if q.channel:
        filters["channel"] = q.channel
    rows = await (RuleStat.filter(**filters)
                  .annotate(h=Sum("hits"), r=Sum("replies"), s=Sum("suppressed"))
                  .group_by("rule_id", "day").values("rule_id", "day", "h", "r", "s"))
    series: dict[str, RuleSeries] = {}
    totals = [0] * len(days)
    for row in rows:
        s = series.setdefault(row["rule_id"], RuleSeries(
            rule_id=row["rule_id"], hits=0, replies=0, suppressed=0, per_day=[0] * len(days)))
        i = index.get(_as_date(row["day"]))
        hits = int(row["h"] or 0)
        s.hits += hits
        s.replies += int(row["r"] or 0)
        s.suppressed += int(row["s"] or 0)
        if i is not None:
            s.per_day[i] += hits
            totals[i] += hits
    top = sorted(series.values(), key=lambda s: (-s.hits, s.rule_id))[:q.limit]
    return RuleStatsOut(since=since, until=until, days=days, total_per_day=totals,
                        total_hits=sum(totals), rules=top)


_ASCII_WORD = re.compile(r"[a-z0-9]+")


def suggest_rule(normalized: str, example: str) -> dict[str, Any]:
    """A rule to start from: a slug id, ``when.contains`` the question, a reply to fill in."""
    words = _ASCII_WORD.findall(normalized.lower())
    digest = hashlib.sha1(normalized.encode(), usedforsecurity=False).hexdigest()[:8]
    stem = "-".join(words)[:40].strip("-")
    rule_id = f"{stem}-{digest}" if stem else f"q-{digest}"
    term = normalized.strip()[:60] or example.strip()[:60]
    return {"id": rule_id, "name": example.strip()[:40] or rule_id, "priority": 50,
            "when": {"contains": [term]}, "action": "reply",
            "replies": {"messages": [{"text": "（请填写回复）"}]}}


@api.route("GET", "/stats/unanswered", roles=READ, query=UnansweredQuery,
           response=UnansweredStatsOut, tag="statistics")
async def unanswered_stats(req: ApiRequest) -> UnansweredStatsOut:
    """Questions no rule answered, grouped by normalized text, most asked first, each with a
    suggested rule ("make a rule")."""
    q: UnansweredQuery = req.query
    since, until = _range(q)
    start, end = _instants(since, until)
    base = UnansweredQuestion.filter(at__gte=start, at__lt=end)
    total = await base.count()
    rows = await (base.annotate(n=Count("id"), last=Max("at"), last_id=Max("id"))
                  .group_by("normalized").order_by("-n", "normalized").limit(q.limit)
                  .values("normalized", "n", "last", "last_id"))
    examples = {r.id: r.content for r in await UnansweredQuestion.filter(
        id__in=[r["last_id"] for r in rows])}
    groups = []
    for r in rows:
        example = examples.get(r["last_id"], r["normalized"])
        last = r["last"]
        if isinstance(last, str):
            last = datetime.fromisoformat(last)
        if last.tzinfo is None:
            last = last.replace(tzinfo=UTC)
        groups.append(UnansweredGroup(normalized=r["normalized"], count=int(r["n"]),
                                      example=example, last_at=last,
                                      suggestion=suggest_rule(r["normalized"], example)))
    return UnansweredStatsOut(since=since, until=until, total=total, groups=groups)


def _percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100), in minutes rounded to 0.1."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil
    return round(ordered[int(rank) - 1], 1)


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    s, n = sorted(values), len(values)
    mid = s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
    return round(mid, 1)


def _durations(values: list[float]) -> Durations:
    return Durations(count=len(values), median_minutes=_median(values),
                     p90_minutes=_percentile(values, 90))


def _minutes(a: datetime, b: datetime) -> float:
    return max(0.0, (b - a).total_seconds() / 60)


@api.route("GET", "/stats/escalations", roles=READ, query=RangeQuery,
           response=EscalationStatsOut, tag="statistics")
async def escalation_stats(req: ApiRequest) -> EscalationStatsOut:
    """Escalations created in the range: by status, reason and channel; minutes to claim and
    to resolve (median, p90); how many were re-notified and raised to a supervisor."""
    since, until = _range(req.query)
    start, end = _instants(since, until)
    rows = await Escalation.filter(created_at__gte=start, created_at__lt=end)
    by_status: dict[str, int] = {}
    by_reason: dict[str, int] = {}
    by_channel: dict[str, int] = {}
    to_claim: list[float] = []
    to_resolve: list[float] = []
    oldest: datetime | None = None
    for e in rows:
        status = e.status.value
        by_status[status] = by_status.get(status, 0) + 1
        by_reason[e.reason] = by_reason.get(e.reason, 0) + 1
        by_channel[e.channel] = by_channel.get(e.channel, 0) + 1
        if e.claimed_at is not None:
            to_claim.append(_minutes(e.created_at, e.claimed_at))
        if e.resolved_at is not None:
            to_resolve.append(_minutes(e.created_at, e.resolved_at))
        if status == "open" and (oldest is None or e.created_at < oldest):
            oldest = e.created_at
    now = req.services.ports.clock.now()
    return EscalationStatsOut(
        since=since, until=until, total=len(rows), by_status=by_status, by_reason=by_reason,
        by_channel=by_channel, to_claim=_durations(to_claim),
        to_resolve=_durations(to_resolve),
        renotified=sum(1 for e in rows if e.renotified_at is not None),
        raised=sum(1 for e in rows if e.raised_at is not None),
        open_oldest_minutes=round(_minutes(oldest, now), 1) if oldest else None)


@api.route("GET", "/stats/welcome", roles=READ, query=RangeQuery, response=WelcomeStatsOut,
           tag="statistics")
async def welcome_stats(req: ApiRequest) -> WelcomeStatsOut:
    """What became of welcomes (sent, missed, already_sent …) by kind and by channel code."""
    since, until = _range(req.query)
    start, end = _instants(since, until)
    rows = await (WelcomeOutcome.filter(at__gte=start, at__lt=end)
                  .annotate(n=Count("id")).group_by("kind", "outcome", "channel_code")
                  .values("kind", "outcome", "channel_code", "n"))
    by_kind: dict[str, dict[str, int]] = {}
    by_code: dict[str, dict[str, int]] = {}
    total = 0
    for r in rows:
        n = int(r["n"])
        total += n
        kind = by_kind.setdefault(r["kind"], {})
        kind[r["outcome"]] = kind.get(r["outcome"], 0) + n
        code = by_code.setdefault(r["channel_code"] or "", {})
        code[r["outcome"]] = code.get(r["outcome"], 0) + n
    return WelcomeStatsOut(since=since, until=until, total=total, by_kind=by_kind,
                           by_channel_code=by_code)


@api.route("GET", "/stats/contacts", roles=READ, query=RangeQuery, response=ContactStatsOut,
           tag="stats")
async def contact_stats(req: ApiRequest) -> ContactStatsOut:
    """New and lost customers (客户联系) by channel code and by staff member: a customer who
    deletes the member is lost; the channel is the code they were added through."""
    since, until = _range(req.query)
    start, end = _instants(since, until)
    events = ContactEvent.filter(at__gte=start, at__lt=end)
    # A customer is added once however many add events arrive: add_half_external_contact,
    # then add_external_contact when the member accepts, are one new customer.
    added = await (events.filter(change__in=list(ADDED))
                   .annotate(n=Count("external_userid", distinct=True))
                   .group_by("channel_code", "userid").values("channel_code", "userid", "n"))
    rows = [{**r, "change": ADDED[0]} for r in added] + await (
        events.filter(change__in=[c for c in _CONTACT_KIND if c not in ADDED])
        .annotate(n=Count("id")).group_by("change", "channel_code", "userid")
        .values("change", "channel_code", "userid", "n"))
    total = ContactCounts()
    by_code: dict[str, ContactCounts] = {}
    by_user: dict[str, ContactCounts] = {}
    for r in rows:
        kind, n = _CONTACT_KIND[r["change"]], int(r["n"])
        for counts in (total, by_code.setdefault(r["channel_code"] or "", ContactCounts()),
                       by_user.setdefault(r["userid"] or "", ContactCounts())):
            setattr(counts, kind, getattr(counts, kind) + n)
    return ContactStatsOut(since=since, until=until, total=total, by_channel_code=by_code,
                           by_userid=by_user)
