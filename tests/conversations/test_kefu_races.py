"""A kf decision under retries and concurrent changes: nothing lost, nothing undone."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from tortoise.exceptions import IntegrityError

from bot.conversations import compose, kefu, kefu_record, rules_store
from bot.conversations.keys import kf_key
from bot.conversations.rulebook import changed
from bot.models import ConversationMessage, Direction, KfConversation, RuleStat
from bot.settings import Settings
from tests.harness.world import CUSTOMER, KF, World, world


async def _rules(w: World, *rules: dict[str, Any]) -> None:
    await rules_store.import_rules({"rules": list(rules)}, mode="replace", actor="test")
    await changed(w.services.ports)


COOLDOWN = {"id": "price", "name": "价格", "when": {"any": ["价格"]}, "action": "reply",
            "cooldown_seconds": 3600, "replies": {"messages": [{"text": "价格表请看这里"}]}}


async def test_a_retried_decision_is_not_suppressed_by_its_own_cooldown_claim(
    mode_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cooldown is claimed before the decision is stored; when that first store fails,
    the retry must still answer (it used to find its own claim and stay silent)."""
    real = kefu_record.record
    tries: list[int] = []

    async def failing_once(conn: Any, d: Any) -> None:
        tries.append(1)
        if len(tries) == 1:
            raise RuntimeError("database hiccup")
        await real(conn, d)

    monkeypatch.setattr(kefu_record, "record", failing_once)
    async with world(mode_settings()) as w:
        await _rules(w, COOLDOWN)
        await w.sandbox.customer_says(KF, CUSTOMER, "价格多少")
        assert await w.wait_kf(1, timeout=20) == ["价格表请看这里"]
        # Within the cooldown, the next ask is suppressed, and counted once as such.
        await w.sandbox.customer_says(KF, CUSTOMER, "价格还是多少")
        await w.settle()
        assert w.kf_texts() == ["价格表请看这里"] and len(tries) >= 3
        stat = await RuleStat.get(rule_id="price")
        assert (stat.hits, stat.replies, stat.suppressed) == (1, 1, 1)


async def test_a_decision_does_not_undo_a_takeover_made_while_it_was_deciding(
    mode_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = compose.kf_payloads

    async def taken_meanwhile(*args: Any, **kw: Any) -> Any:
        # A specialist claims the session while the bot prepares its reply (WeCom calls).
        await KfConversation.filter(open_kfid=KF, external_userid=CUSTOMER).update(
            session_state=3, servicer_userid="zhangwei")
        return await real(*args, **kw)

    async with world(mode_settings()) as w:
        await _rules(w, COOLDOWN)
        monkeypatch.setattr(compose, "kf_payloads", taken_meanwhile)
        await w.sandbox.customer_says(KF, CUSTOMER, "价格多少")
        await w.settle()
        conv = await KfConversation.get(open_kfid=KF, external_userid=CUSTOMER)
        assert (conv.session_state, conv.servicer_userid) == (3, "zhangwei")
        assert conv.sent_since_customer >= 1  # the decision's own fields were written


async def test_an_escalate_rule_without_replies_counts_its_hits(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        await _rules(w, {"id": "angry", "name": "投诉", "when": {"any": ["投诉"]},
                         "action": "escalate"})
        await w.sandbox.customer_says(KF, CUSTOMER, "我要投诉")
        await w.settle()
        stat = await RuleStat.get(rule_id="angry")
        assert (stat.hits, stat.replies, stat.suppressed) == (1, 0, 0)


async def test_one_stored_decision_per_customer_message(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()):
        row = {"channel": "kefu", "conversation": "kefu:x", "direction": Direction.IN,
               "msgtype": "text", "msgid": "msg-1"}
        await ConversationMessage.create(**row)
        with pytest.raises(IntegrityError):
            await ConversationMessage.create(**row)
        await ConversationMessage.create(**{**row, "direction": Direction.OUT})
        await ConversationMessage.create(**{**row, "msgid": None})
        await ConversationMessage.create(**{**row, "msgid": None})


async def test_a_message_waiting_on_a_busy_conversation_is_retried_soon(
    mode_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the conversation lock's wait, the pulled message is retried as a job at once,
    not left pending for the sweeper (minutes)."""
    monkeypatch.setattr(kefu, "CONVERSATION_WAIT", 0.2)
    async with world(mode_settings()) as w:
        await _rules(w, COOLDOWN)
        key = kf_key(KF, CUSTOMER)
        async with w.services.store.lock(f"conv:{key}", ttl=10, wait=1):
            await w.sandbox.customer_says(KF, CUSTOMER, "价格多少")
            await asyncio.sleep(0.6)  # the pulled message gave up waiting meanwhile
            assert w.kf_texts() == []
        assert await w.wait_kf(1, timeout=8) == ["价格表请看这里"]
