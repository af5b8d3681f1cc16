"""微信客服 end to end: a sandbox customer writes, the service pulls, matches and replies."""

from __future__ import annotations

from collections.abc import Callable

from bot.models import ConversationMessage, KfCursor, UnansweredQuestion
from bot.settings import Settings
from tests.harness.admin import bearer
from tests.harness.waiting import wait_for
from tests.harness.world import CUSTOMER, KF, load_sample_rules, world


async def test_customer_question_gets_the_rule_reply(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        await load_sample_rules(w)
        await w.sandbox.customer_says(KF, CUSTOMER, "请问多久能发货？")
        texts = await w.wait_kf(1)
        assert "生产完成" in texts[0]
        await w.settle()
        assert await KfCursor.filter(open_kfid=KF).exists()
        # A second message: one reply more, the first is never answered again.
        await w.sandbox.customer_says(KF, CUSTOMER, "安装要多久")
        texts = await w.wait_kf(2)
        await w.settle()
        assert len(w.kf_texts()) == 2 and "安装" in texts[1]


async def test_unmatched_gets_fallback_then_escalates(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        await load_sample_rules(w)
        await w.sandbox.customer_says(KF, CUSTOMER, "阳台能做洗衣柜吗")
        texts = await w.wait_kf(1)
        assert texts[0] == w.services.settings.conversations.fallback_reply
        await w.sandbox.customer_says(KF, CUSTOMER, "那卫生间呢")
        await w.wait_kf(2)
        await w.settle()
        texts = w.kf_texts()
        # The second unmatched message escalates: transfer notice via the trans msg_code.
        assert "转接专员" in texts[-1]
        assert await UnansweredQuestion.all().count() == 2
        session = w.sandbox.kf.sessions[(KF, CUSTOMER)]
        assert session.state == 3 and session.servicer_userid in ("zhangwei", "liuyang")
        cards = w.app_inbox(session.servicer_userid)
        assert cards and cards[-1]["msgtype"] == "template_card"
        # While a person has the session the bot stays silent.
        before = len(w.kf_texts())
        await w.sandbox.customer_says(KF, CUSTOMER, "你好")
        await w.settle()
        assert len(w.kf_texts()) == before
        assert await ConversationMessage.filter(direction="in").count() == 3


async def test_a_decision_stores_history_outbox_and_counters_together(
    mode_settings: Callable[..., Settings],
) -> None:
    """What one decision writes (one statement on PostgreSQL, rows in turn on SQLite): the
    customer's message before its replies, each reply linked to the outbox row that sent it,
    the conversation's budget and the rule's counters."""
    from bot.models import KfConversation, OutboxMessage, RuleStat

    async with world(mode_settings()) as w:
        h = await bearer("adm-rec", "admin")
        rule = {"id": "two", "when": {"any": ["两条"]}, "action": "reply", "replies": {
            "messages": [{"text": "第一条"}, {"text": "第二条"}]}}
        assert (await w.client.post("/api/v1/rules", json=rule, headers=h)).status == 201
        await w.sandbox.customer_says(KF, CUSTOMER, "请发两条")
        assert await w.wait_kf(2) == ["第一条", "第二条"]
        await w.settle()
        rows = await ConversationMessage.all().order_by("id")
        assert [(r.direction, r.content) for r in rows] == [
            ("in", "请发两条"), ("out", "第一条"), ("out", "第二条")]
        assert rows[0].rule_id == "two" and rows[0].msgid
        sent = {o.id: o for o in await OutboxMessage.all()}
        for r in rows[1:]:
            assert r.outbox_id in sent and sent[r.outbox_id].args["msgid"] == r.msgid
            assert sent[r.outbox_id].status == "sent" and r.rule_id == "two"
        conv = await KfConversation.get(open_kfid=KF, external_userid=CUSTOMER)
        assert conv.sent_since_customer == 2 and conv.last_customer_at is not None
        stat = await RuleStat.get(rule_id="two", channel="kefu")
        assert (stat.hits, stat.replies) == (1, 2)
        # Unmatched: the fallback reply, and the question kept for the admins.
        await w.sandbox.customer_says(KF, CUSTOMER, "阳台能做洗衣柜吗")
        await w.wait_kf(3)
        await w.settle()
        assert [q.content for q in await UnansweredQuestion.all()] == ["阳台能做洗衣柜吗"]
        conv = await KfConversation.get(open_kfid=KF, external_userid=CUSTOMER)
        assert conv.unmatched_streak == 1 and conv.sent_since_customer == 1


async def test_msg_send_fail_is_recorded_against_the_reply(
    mode_settings: Callable[..., Settings], kf_over_limit: str,
) -> None:
    """WeCom accepts a send and reports later that it failed (fail_type 6: over its limit),
    or refuses it at once (95001): either way the reply's history row and its outbox row
    both say so."""
    from bot.models import OutboxMessage

    async with world(mode_settings()) as w:
        w.sandbox.corp.limits.kf_max_sends = 1  # WeCom's allowance smaller than the bot's budget
        w.sandbox.corp.limits.kf_over_limit = kf_over_limit
        h = await bearer("adm-fail", "admin")
        rule = {"id": "two", "when": {"any": ["两条"]}, "action": "reply", "replies": {
            "messages": [{"text": "第一条"}, {"text": "第二条"}]}}
        assert (await w.client.post("/api/v1/rules", json=rule, headers=h)).status == 201
        await w.sandbox.customer_says(KF, CUSTOMER, "请发两条")
        assert await w.wait_kf(1) == ["第一条"]

        async def reported() -> bool:
            return await ConversationMessage.filter(status="failed").exists()

        await wait_for(reported)
        await w.settle()
        failed = await ConversationMessage.get(status="failed")
        assert failed.content == "第二条" and failed.fail_type == 6
        row = await OutboxMessage.get(id=failed.outbox_id)
        assert row.status == "failed"
        assert row.last_error.startswith("95001" if kf_over_limit == "error" else "msg_send_fail")
        first = await ConversationMessage.get(content="第一条")
        assert (await OutboxMessage.get(id=first.outbox_id)).status == "sent"
        assert w.kf_texts() == ["第一条"]
