"""Statistics API: rule hits per day and top rules, unanswered questions grouped with a
"make a rule" suggestion that validates, escalation SLA figures, welcome outcomes, new and lost
customers, and an escalation's last messages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.conversations import rules_store
from bot.conversations.rule_counters import count_rule
from bot.conversations.rulebook import changed
from bot.infra.clock import cst_date
from bot.models import ContactEvent, Escalation, EscalationStatus, WelcomeOutcome
from bot.settings import Settings
from keywords import load_rules
from sandbox import SEED_CUSTOMERS
from sandbox.model import SandboxError
from tests.harness.admin import bearer
from tests.harness.waiting import wait_for
from tests.harness.world import CUSTOMER, KF, world

RULE = {"id": "sofa", "name": "沙发", "priority": 50, "when": {"any": ["沙发"]},
        "action": "reply", "replies": {"messages": [{"text": "沙发七天可送达。"}]}}
OTHER = SEED_CUSTOMERS[1][0]


async def test_statistics_from_real_conversations(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings(conversations={"load_sample_rules": False})) as w:
        c = w.client
        h = await bearer("v", "viewer")
        await rules_store.create_rule(RULE, "test")
        await changed(w.services.ports)
        # Through the sandbox: two hits today, the same unanswered question from two people.
        await w.sandbox.customer_says(KF, CUSTOMER, "沙发多久到")
        await w.wait_kf(1)
        await w.sandbox.customer_says(KF, CUSTOMER, "沙发呢")
        await w.wait_kf(2)
        await w.sandbox.customer_says(KF, CUSTOMER, "能开发票吗？")
        await w.sandbox.customer_says(KF, OTHER, "能开发票吗")
        await w.settle()
        # And three days ago, through the bookkeeping function.
        now = datetime.now(UTC)
        await count_rule("sofa", "kefu", now - timedelta(days=3), hits=4, replies=4)
        await count_rule("door", "archive", now - timedelta(days=3), hits=1)

        stats = await (await c.get("/api/v1/stats/rules", headers=h)).json()
        assert len(stats["days"]) == 14 and stats["until"] == cst_date(now).isoformat()
        assert [r["rule_id"] for r in stats["rules"]] == ["sofa", "door"]
        sofa = stats["rules"][0]
        assert sofa["hits"] == 6 and sofa["per_day"][-1] == 2 and sofa["per_day"][-4] == 4
        assert stats["total_hits"] == 7 and stats["total_per_day"][-4] == 5
        only = await (await c.get("/api/v1/stats/rules?channel=archive&limit=1",
                                  headers=h)).json()
        assert [r["rule_id"] for r in only["rules"]] == ["door"]
        bad = await c.get("/api/v1/stats/rules?since=2030-01-02&until=2030-01-01", headers=h)
        assert bad.status == 400 and (await bad.json())["error"]["field"] == "since"
        assert (await c.get("/api/v1/stats/rules?since=2001-01-01&until=2030-01-01",
                            headers=h)).status == 400
        assert (await c.get("/api/v1/stats/rules")).status == 401

        unanswered = await (await c.get("/api/v1/stats/unanswered", headers=h)).json()
        assert unanswered["total"] == 2
        [group] = unanswered["groups"]
        assert group["count"] == 2 and "发票" in group["normalized"]
        suggestion = group["suggestion"]
        assert suggestion["when"]["contains"] == [group["normalized"]]
        load_rules([suggestion])  # a valid rule as it stands
        admin = await bearer("root", "admin")
        made = await c.post("/api/v1/rules", json=suggestion, headers=admin)
        assert made.status == 201

        # Escalations with known times: claimed after 4 and 10 minutes, resolved after 30.
        t0 = now - timedelta(hours=2)
        for i, (claim, resolve) in enumerate([(4, 30), (10, None), (None, None)]):
            await Escalation.create(
                channel="kefu", conversation=f"kefu:{KF}:x{i}", reason="rule", created_at=t0,
                status=(EscalationStatus.RESOLVED if resolve else EscalationStatus.CLAIMED
                        if claim else EscalationStatus.OPEN),
                claimed_at=t0 + timedelta(minutes=claim) if claim else None,
                resolved_at=t0 + timedelta(minutes=resolve) if resolve else None,
                renotified_at=t0 if claim is None else None, raised_at=t0 if i == 2 else None)
        esc = await (await c.get("/api/v1/stats/escalations", headers=h)).json()
        live = await Escalation.all().count()  # plus the unmatched-streak escalation, if any
        assert esc["total"] == live
        assert esc["by_status"]["resolved"] == 1 and esc["by_status"]["claimed"] == 1
        assert esc["to_claim"] == {"count": 2, "median_minutes": 7.0, "p90_minutes": 10.0}
        assert esc["to_resolve"] == {"count": 1, "median_minutes": 30.0, "p90_minutes": 30.0}
        assert esc["renotified"] == 1 and esc["raised"] == 1
        assert esc["open_oldest_minutes"] >= 119

        await WelcomeOutcome.create(kind="contact", userid="zhangwei", external_userid="a",
                                    channel_code="showroom", outcome="sent")
        await WelcomeOutcome.create(kind="contact", userid="zhangwei", external_userid="b",
                                    channel_code="showroom", outcome="missed")
        await WelcomeOutcome.create(kind="kefu", external_userid="c", outcome="sent")
        welcome = await (await c.get("/api/v1/stats/welcome", headers=h)).json()
        assert welcome["total"] == 3
        assert welcome["by_kind"] == {"contact": {"sent": 1, "missed": 1}, "kefu": {"sent": 1}}
        assert welcome["by_channel_code"]["showroom"] == {"sent": 1, "missed": 1}


async def test_escalation_messages(mode_settings: Callable[..., Settings]) -> None:
    async with world(mode_settings(conversations={"load_sample_rules": False})) as w:
        c = w.client
        h = await bearer("v", "viewer")
        # Two unmatched messages in a row escalate the conversation.
        await w.sandbox.customer_says(KF, CUSTOMER, "你好，在吗")
        await w.sandbox.customer_says(KF, CUSTOMER, "<b>有人吗</b>")
        await w.settle()

        async def found() -> Escalation | None:
            return await Escalation.filter(conversation__contains=CUSTOMER).first()

        esc = await wait_for(found)
        msgs = await (await c.get(f"/api/v1/escalations/{esc.id}/messages", headers=h)).json()
        inbound = [m["content"] for m in msgs if m["direction"] == "in"]
        assert inbound == ["你好，在吗", "<b>有人吗</b>"]
        out = [m for m in msgs if m["direction"] == "out"]
        assert out and all(m["status"] == "sent" for m in out)  # as its outbox row says
        assert all(m["status"] == "ok" for m in msgs if m["direction"] == "in")
        assert (await c.get("/api/v1/escalations/999999/messages", headers=h)).status == 404


async def test_new_and_lost_customers_by_channel_and_member(
    mode_settings: Callable[..., Settings],
) -> None:
    """Through the sandbox: members add customers (one through the 「联系我」 code "expo"),
    one customer deletes the member (lost, counted under the channel they came through),
    one member deletes a customer; the statistics count each where it belongs."""
    async with world(mode_settings()) as w:
        h = await bearer("v-contacts", "viewer")
        await w.sandbox.staff_adds_customer("zhangwei", "wmExpoA", state="expo")
        await w.sandbox.staff_adds_customer("zhangwei", "wmExpoB", state="expo")
        await w.sandbox.staff_adds_customer("lina", "wmPlainC")
        await w.settle()
        await w.sandbox.customer_deletes_staff("wmExpoA", "zhangwei")
        await w.sandbox.staff_deletes_customer("lina", "wmPlainC")
        await w.settle()

        async def counted() -> dict[str, Any] | None:
            got = await (await w.client.get("/api/v1/stats/contacts", headers=h)).json()
            return got if got["total"]["lost"] and got["total"]["deleted"] else None

        stats = await wait_for(counted)
        assert stats["total"] == {"added": 3, "lost": 1, "deleted": 1}
        assert stats["by_channel_code"] == {"expo": {"added": 2, "lost": 1, "deleted": 0},
                                            "": {"added": 1, "lost": 0, "deleted": 1}}
        assert stats["by_userid"] == {"zhangwei": {"added": 2, "lost": 1, "deleted": 0},
                                      "lina": {"added": 1, "lost": 0, "deleted": 1}}
        # A customer who is not the member's contact cannot delete them (nothing is sent).
        with pytest.raises(SandboxError):
            await w.sandbox.customer_deletes_staff("wmExpoA", "zhangwei")
        # Added without verification, then accepted by the member: two events, one customer.
        for change in ("add_half_external_contact", "add_external_contact"):
            await ContactEvent.create(change=change, userid="wangqiang",
                                      external_userid="wmHalfD", channel_code="expo")
        stats = await (await w.client.get("/api/v1/stats/contacts", headers=h)).json()
        assert stats["total"]["added"] == 4
        assert stats["by_userid"]["wangqiang"] == {"added": 1, "lost": 0, "deleted": 0}
