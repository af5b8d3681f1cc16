"""Statistics over conversations, for the console's charts.

Ranges are natural days in China Standard Time (as RuleStat counts them), given as
``since``/``until`` dates, both included. Rule hits per day and the top rules, unanswered
questions grouped by their normalized text (each with a suggested rule to start from),
escalations with their SLA figures, and welcome outcomes. New and lost customers:
bot.conversations.contact_statistics.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from tortoise.functions import Count, Max, Sum

from bot.infra.clock import CST
from bot.models import Escalation, RuleStat, UnansweredQuestion, WelcomeOutcome


def day_bounds(since: date, until: date) -> tuple[datetime, datetime]:
    """The UTC instants bounding [since, until] as China Standard Time days."""
    start = datetime.combine(since, time(), UTC) - CST
    return start, datetime.combine(until + timedelta(days=1), time(), UTC) - CST


def _as_date(value: Any) -> date:
    # SQLite hands dates back as text, PostgreSQL as dates.
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _as_utc(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


# -- rule hits ------------------------------------------------------------------------------


@dataclass
class RuleHitSeries:
    rule_id: str
    hits: int
    replies: int
    suppressed: int
    per_day: list[int]  # hits, one per day of the range


@dataclass
class RuleHits:
    days: list[date]
    total_per_day: list[int]
    total_hits: int
    rules: list[RuleHitSeries]  # the top rules by hits, most first


async def rule_hits(since: date, until: date, *, channel: str | None = None,
                    limit: int = 20) -> RuleHits:
    """Hits per rule per day over [since, until] and the ``limit`` top rules."""
    days = [since + timedelta(days=i) for i in range((until - since).days + 1)]
    index = {d: i for i, d in enumerate(days)}
    filters: dict[str, Any] = {"day__gte": since, "day__lte": until}
    if channel:
        filters["channel"] = channel
    rows = await (RuleStat.filter(**filters)
                  .annotate(h=Sum("hits"), r=Sum("replies"), s=Sum("suppressed"))
                  .group_by("rule_id", "day").values("rule_id", "day", "h", "r", "s"))
    series: dict[str, RuleHitSeries] = {}
    totals = [0] * len(days)
    for row in rows:
        s = series.setdefault(row["rule_id"], RuleHitSeries(
            rule_id=row["rule_id"], hits=0, replies=0, suppressed=0, per_day=[0] * len(days)))
        i = index.get(_as_date(row["day"]))
        hits = int(row["h"] or 0)
        s.hits += hits
        s.replies += int(row["r"] or 0)
        s.suppressed += int(row["s"] or 0)
        if i is not None:
            s.per_day[i] += hits
            totals[i] += hits
    top = sorted(series.values(), key=lambda s: (-s.hits, s.rule_id))[:limit]
    return RuleHits(days=days, total_per_day=totals, total_hits=sum(totals), rules=top)


# -- unanswered questions -------------------------------------------------------------------


@dataclass
class QuestionGroup:
    normalized: str
    count: int
    example: str  # the latest wording
    last_at: datetime
    suggestion: dict[str, Any]  # a rule in the keywords format, to start a new rule from


@dataclass
class UnansweredSummary:
    total: int
    groups: list[QuestionGroup]  # most asked first


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


@dataclass(frozen=True)
class UnansweredRecord:
    id: int
    channel: str
    conversation: str
    content: str
    at: datetime


async def latest_unanswered(limit: int = 100) -> list[UnansweredRecord]:
    """Customer questions no rule answered, newest first (material for new rules)."""
    rows, _ = await unanswered_page(limit=limit)
    return rows


async def unanswered_page(*, limit: int = 100, offset: int = 0, search: str | None = None,
                          channel: str | None = None) -> tuple[list[UnansweredRecord], int]:
    """A page of unanswered questions, newest first, and how many match."""
    q = UnansweredQuestion.all()
    if channel:
        q = q.filter(channel=channel)
    if search:
        q = q.filter(content__icontains=search)
    total = await q.count()
    rows = await q.order_by("-id").offset(offset).limit(limit)
    return [UnansweredRecord(id=r.id, channel=r.channel, conversation=r.conversation,
                             content=r.content, at=r.at) for r in rows], total


async def unanswered_groups(since: date, until: date, *, limit: int = 50) -> UnansweredSummary:
    """Questions no rule answered, grouped by normalized text, most asked first."""
    start, end = day_bounds(since, until)
    base = UnansweredQuestion.filter(at__gte=start, at__lt=end)
    total = await base.count()
    rows = await (base.annotate(n=Count("id"), last=Max("at"), last_id=Max("id"))
                  .group_by("normalized").order_by("-n", "normalized").limit(limit)
                  .values("normalized", "n", "last", "last_id"))
    examples = {r.id: r.content for r in await UnansweredQuestion.filter(
        id__in=[r["last_id"] for r in rows])}
    groups = []
    for r in rows:
        example = examples.get(r["last_id"], r["normalized"])
        groups.append(QuestionGroup(normalized=r["normalized"], count=int(r["n"]),
                                    example=example, last_at=_as_utc(r["last"]),
                                    suggestion=suggest_rule(r["normalized"], example)))
    return UnansweredSummary(total=total, groups=groups)


# -- escalations ----------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100), rounded to 0.1."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil
    return round(ordered[int(rank) - 1], 1)


def median(values: list[float]) -> float | None:
    if not values:
        return None
    s, n = sorted(values), len(values)
    mid = s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
    return round(mid, 1)


@dataclass
class MinutesSummary:
    count: int
    median_minutes: float | None
    p90_minutes: float | None


def summarize_minutes(values: list[float]) -> MinutesSummary:
    return MinutesSummary(count=len(values), median_minutes=median(values),
                          p90_minutes=percentile(values, 90))


def _minutes(a: datetime, b: datetime) -> float:
    return max(0.0, (b - a).total_seconds() / 60)


@dataclass
class EscalationFigures:
    total: int
    by_status: dict[str, int]
    by_reason: dict[str, int]
    by_channel: dict[str, int]
    to_claim: MinutesSummary
    to_resolve: MinutesSummary
    renotified: int
    raised: int
    open_oldest_minutes: float | None  # how long the oldest open one has waited, at ``now``


def _bump(counts: dict[str, int], key: str) -> None:
    counts[key] = counts.get(key, 0) + 1


async def escalation_figures(since: date, until: date, now: datetime) -> EscalationFigures:
    """Escalations created in the range: by status, reason and channel; minutes to claim and
    to resolve; how many were re-notified and raised to a supervisor."""
    start, end = day_bounds(since, until)
    rows = await Escalation.filter(created_at__gte=start, created_at__lt=end)
    by_status: dict[str, int] = {}
    by_reason: dict[str, int] = {}
    by_channel: dict[str, int] = {}
    to_claim: list[float] = []
    to_resolve: list[float] = []
    oldest: datetime | None = None
    for e in rows:
        status = e.status.value
        _bump(by_status, status)
        _bump(by_reason, e.reason)
        _bump(by_channel, e.channel)
        if e.claimed_at is not None:
            to_claim.append(_minutes(e.created_at, e.claimed_at))
        if e.resolved_at is not None:
            to_resolve.append(_minutes(e.created_at, e.resolved_at))
        if status == "open" and (oldest is None or e.created_at < oldest):
            oldest = e.created_at
    return EscalationFigures(
        total=len(rows), by_status=by_status, by_reason=by_reason, by_channel=by_channel,
        to_claim=summarize_minutes(to_claim), to_resolve=summarize_minutes(to_resolve),
        renotified=sum(1 for e in rows if e.renotified_at is not None),
        raised=sum(1 for e in rows if e.raised_at is not None),
        open_oldest_minutes=round(_minutes(oldest, now), 1) if oldest else None)


# -- welcomes ----------------------------------------------------------------------------


@dataclass
class WelcomeFigures:
    total: int
    by_kind: dict[str, dict[str, int]]  # kind -> outcome -> count
    by_channel_code: dict[str, dict[str, int]]  # channel code ("" = none) -> outcome -> count


async def welcome_outcomes(since: date, until: date) -> WelcomeFigures:
    """What became of welcomes (sent, missed, already_sent …) by kind and by channel code."""
    start, end = day_bounds(since, until)
    rows = await (WelcomeOutcome.filter(at__gte=start, at__lt=end)
                  .annotate(n=Count("id")).group_by("kind", "outcome", "channel_code")
                  .values("kind", "outcome", "channel_code", "n"))
    figures = WelcomeFigures(total=0, by_kind={}, by_channel_code={})
    for r in rows:
        n = int(r["n"])
        figures.total += n
        kind = figures.by_kind.setdefault(r["kind"], {})
        kind[r["outcome"]] = kind.get(r["outcome"], 0) + n
        code = figures.by_channel_code.setdefault(r["channel_code"] or "", {})
        code[r["outcome"]] = code.get(r["outcome"], 0) + n
    return figures
