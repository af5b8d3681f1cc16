"""微信客服 end to end: a sandbox customer writes, the service pulls, matches and replies."""

from __future__ import annotations

from collections.abc import Callable

from bot.conversations import rules_store
from bot.conversations.rulebook import changed, sample_rules_text
from bot.models import ConversationMessage, KfCursor, UnansweredQuestion
from bot.settings import Settings
from tests.conversations.conftest import CUSTOMER, KF, World, world


async def _sample(w: World) -> None:
    if not await rules_store.list_rules():
        await rules_store.import_rules(sample_rules_text(), mode="replace", actor="test")
    await changed(w.services)


async def test_customer_question_gets_the_rule_reply(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        await _sample(w)
        await w.sandbox.customer_says(KF, CUSTOMER, "请问什么时候发货？")
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
        await _sample(w)
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
        session = w.sandbox.kf_sessions[(KF, CUSTOMER)]
        assert session.state == 3 and session.servicer_userid in ("zhangwei", "liuyang")
        cards = w.app_inbox(session.servicer_userid)
        assert cards and cards[-1]["msgtype"] == "template_card"
        # While a person has the session the bot stays silent.
        before = len(w.kf_texts())
        await w.sandbox.customer_says(KF, CUSTOMER, "你好")
        await w.settle()
        assert len(w.kf_texts()) == before
        assert await ConversationMessage.filter(direction="in").count() == 3
