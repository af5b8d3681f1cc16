"""bot.conversations.statistics on real PostgreSQL rows: percentiles and medians of SLA
minutes, unanswered questions grouped with a suggested rule, per-day rule hits in China time,
welcome outcomes and contact changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.conversations import contact_statistics, statistics
from bot.models import (
    ContactEvent,
    Escalation,
    EscalationStatus,
    RuleStat,
    UnansweredQuestion,
    WelcomeOutcome,
)
from keywords import load_rules

DAY = date(2024, 5, 10)
# 23:30 UTC on the 9th is 07:30 on the 10th in China: it counts for the 10th.
MORNING = datetime(2024, 5, 9, 23, 30, tzinfo=UTC)


def test_percentile_is_nearest_rank_and_median_averages_the_middle() -> None:
    values = [10.0, 1.0, 4.0, 7.0]
    assert statistics.percentile(values, 90) == 10.0
    assert statistics.percentile(values, 50) == 4.0
    assert statistics.percentile(values, 25) == 1.0
    assert statistics.percentile(values, 0) == 1.0  # rank never below the first
    assert statistics.median(values) == 5.5
    assert statistics.median([3.0, 1.0, 2.0]) == 2.0
    assert statistics.percentile([], 90) is None and statistics.median([]) is None
    assert statistics.percentile([1.04, 2.06], 100) == 2.1  # rounded to 0.1
    summary = statistics.summarize_minutes([30.0, 5.0, 12.0])
    assert (summary.count, summary.median_minutes, summary.p90_minutes) == (3, 12.0, 30.0)


def test_suggested_rule_is_a_valid_rule() -> None:
    ascii_rule = statistics.suggest_rule("wifi password", "WiFi password?")
    assert ascii_rule["id"].startswith("wifi-password-")
    assert ascii_rule["when"] == {"contains": ["wifi password"]}
    chinese = statistics.suggest_rule("能开发票吗", "能开发票吗？")
    assert chinese["id"].startswith("q-") and chinese["name"] == "能开发票吗？"
    assert chinese != statistics.suggest_rule("能开收据吗", "能开收据吗？")
    load_rules([ascii_rule, chinese])  # both load as they stand


@pytest.mark.usefixtures("pg_database")
async def test_unanswered_questions_grouped_by_normalized_text() -> None:
    asked = [("能开发票吗", "能开发票吗？", MORNING),
             ("能开发票吗", "能开发票吗", MORNING + timedelta(hours=2)),
             ("几点关门", "几点关门", MORNING + timedelta(hours=1)),
             ("能开发票吗", "昨天问的", MORNING - timedelta(hours=8))]  # 23:30 on the 9th
    for normalized, content, at in asked:
        row = await UnansweredQuestion.create(channel="kefu", conversation="kefu:k:c",
                                              content=content, normalized=normalized)
        await UnansweredQuestion.filter(id=row.id).update(at=at)

    summary = await statistics.unanswered_groups(DAY, DAY)
    assert summary.total == 3
    assert [(g.normalized, g.count) for g in summary.groups] == [("能开发票吗", 2), ("几点关门", 1)]
    invoice = summary.groups[0]
    assert invoice.example == "能开发票吗"  # the latest wording
    assert invoice.last_at == MORNING + timedelta(hours=2)
    assert invoice.suggestion["when"] == {"contains": ["能开发票吗"]}
    assert [g.count for g in (await statistics.unanswered_groups(DAY, DAY, limit=1)).groups] == [2]
    both = await statistics.unanswered_groups(DAY - timedelta(days=1), DAY)
    assert both.total == 4 and both.groups[0].count == 3


@pytest.mark.usefixtures("pg_database")
async def test_escalation_sla_figures() -> None:
    t0 = MORNING
    # Claimed after 4, 10 and 20 minutes; one resolved after 30; one still open.
    for i, (claim, resolve) in enumerate([(4, 30), (10, None), (20, None), (None, None)]):
        await Escalation.create(
            channel="kefu" if i < 3 else "archive", conversation=f"c{i}",
            reason="rule" if i else "menu", created_at=t0,
            status=(EscalationStatus.RESOLVED if resolve else EscalationStatus.CLAIMED
                    if claim else EscalationStatus.OPEN),
            claimed_at=t0 + timedelta(minutes=claim) if claim else None,
            resolved_at=t0 + timedelta(minutes=resolve) if resolve else None,
            renotified_at=t0 if claim is None else None, raised_at=t0 if i == 3 else None)
    await Escalation.create(channel="kefu", conversation="old", reason="rule",
                            created_at=t0 - timedelta(days=2))  # outside the range

    figures = await statistics.escalation_figures(DAY, DAY, now=t0 + timedelta(minutes=45))
    assert figures.total == 4
    assert figures.by_status == {"resolved": 1, "claimed": 2, "open": 1}
    assert figures.by_reason == {"menu": 1, "rule": 3}
    assert figures.by_channel == {"kefu": 3, "archive": 1}
    assert figures.to_claim == statistics.MinutesSummary(3, 10.0, 20.0)
    assert figures.to_resolve == statistics.MinutesSummary(1, 30.0, 30.0)
    assert (figures.renotified, figures.raised) == (1, 1)
    assert figures.open_oldest_minutes == 45.0


@pytest.mark.usefixtures("pg_database")
async def test_rule_hits_per_china_day() -> None:
    await RuleStat.create(day=DAY, rule_id="sofa", channel="kefu", hits=3, replies=2,
                          suppressed=1)
    await RuleStat.create(day=DAY, rule_id="sofa", channel="archive", hits=1)
    await RuleStat.create(day=DAY - timedelta(days=1), rule_id="door", channel="kefu", hits=5)
    await RuleStat.create(day=DAY + timedelta(days=1), rule_id="door", channel="kefu", hits=9)

    hits = await statistics.rule_hits(DAY - timedelta(days=1), DAY)
    assert hits.days == [DAY - timedelta(days=1), DAY]
    assert hits.total_per_day == [5, 4] and hits.total_hits == 9
    assert [(s.rule_id, s.hits, s.per_day) for s in hits.rules] == [
        ("door", 5, [5, 0]), ("sofa", 4, [0, 4])]
    assert (hits.rules[1].replies, hits.rules[1].suppressed) == (2, 1)
    kefu = await statistics.rule_hits(DAY, DAY, channel="kefu", limit=1)
    assert [(s.rule_id, s.hits) for s in kefu.rules] == [("sofa", 3)]


@pytest.mark.usefixtures("pg_database")
async def test_welcome_outcomes_and_contact_changes() -> None:
    for code, outcome in [("expo", "sent"), ("expo", "missed"), (None, "sent")]:
        await WelcomeOutcome.create(kind="contact", userid="lina", external_userid="x",
                                    channel_code=code, outcome=outcome)
    # Two add events for one customer are one new customer.
    for change, euid, code in [("add_half_external_contact", "a", "expo"),
                               ("add_external_contact", "a", "expo"),
                               ("add_external_contact", "b", None),
                               ("del_follow_user", "a", "expo")]:
        await ContactEvent.create(change=change, userid="lina", external_userid=euid,
                                  channel_code=code)
    today = datetime.now(UTC).date()
    since, until = today - timedelta(days=1), today + timedelta(days=1)

    welcome = await statistics.welcome_outcomes(since, until)
    assert welcome.total == 3
    assert welcome.by_kind == {"contact": {"sent": 2, "missed": 1}}
    assert welcome.by_channel_code == {"expo": {"sent": 1, "missed": 1}, "": {"sent": 1}}
    contacts = await contact_statistics.contact_changes(since, until)
    assert contacts.total == contact_statistics.ContactTally(added=2, lost=1)
    assert contacts.by_channel_code == {"expo": contact_statistics.ContactTally(added=1, lost=1),
                                        "": contact_statistics.ContactTally(added=1)}
    assert contacts.by_userid == {"lina": contact_statistics.ContactTally(added=2, lost=1)}
