"""A kf decision under retries and concurrent changes: nothing lost, nothing undone."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from tortoise.exceptions import IntegrityError

from bot.conversations import rules_store
from bot.conversations.keys import kf_key
from bot.conversations.rulebook import changed
from bot.models import (
    ConversationMessage,
    Direction,
    InboxEvent,
    InboxStatus,
    KfConversation,
    RuleStat,
)
from bot.ports import Commits, WeComApi
from bot.settings import Settings
from tests.harness.world import CUSTOMER, KF, World, world


async def _rules(w: World, *rules: dict[str, Any]) -> None:
    await rules_store.import_rules({"rules": list(rules)}, mode="replace", actor="test")
    await changed(w.services.ports)


class FailingCommits:
    """The ``Commits`` port, whose next ``failures`` commits fail as a database hiccup
    would: the write runs in its transaction, which then fails and is rolled back. The
    commits after those go through."""

    def __init__(self, real: Commits, failures: int = 1) -> None:
        self.real = real
        self.failures = failures
        self.runs = 0
        self.failed = 0

    async def run(self, write: Callable[[Any], Awaitable[Any]], *, order: str = "",
                  single_statement: bool = False) -> Any:
        self.runs += 1
        if self.failed >= self.failures:
            return await self.real.run(write, order=order, single_statement=single_statement)
        self.failed += 1

        async def then_fail(conn: Any) -> Any:
            await write(conn)
            raise RuntimeError("database hiccup")

        # Never as a lone statement: in a transaction, so the failure undoes the writes.
        return await self.real.run(then_fail, order=order)


COOLDOWN = {"id": "price", "name": "价格", "when": {"any": ["价格"]}, "action": "reply",
            "cooldown_seconds": 3600, "replies": {"messages": [{"text": "价格表请看这里"}]}}


async def test_a_retried_decision_is_not_suppressed_by_its_own_cooldown_claim(
    mode_settings: Callable[..., Settings],
) -> None:
    """The cooldown is claimed before the decision is stored; when that first store fails,
    the retry must still answer (it used to find its own claim and stay silent)."""
    async with world(mode_settings()) as w:
        await _rules(w, COOLDOWN)
        failing = FailingCommits(w.services.ports.commits)
        w.services.ports.commits = failing
        await w.sandbox.customer_says(KF, CUSTOMER, "价格多少")
        assert await w.wait_kf(1, timeout=20) == ["价格表请看这里"]
        # Within the cooldown, the next ask is suppressed, and counted once as such.
        await w.sandbox.customer_says(KF, CUSTOMER, "价格还是多少")
        await w.settle()
        assert w.kf_texts() == ["价格表请看这里"] and failing.failed == 1
        assert failing.runs >= 3  # the failed store, its retry, the suppressed ask
        stat = await RuleStat.get(rule_id="price")
        assert (stat.hits, stat.replies, stat.suppressed) == (1, 1, 1)


class TakenWhileAsking:
    """The WeCom API port, during whose nickname look-up a specialist takes the session (a
    path that does not wait for the conversation's lock, e.g. a claim's hand-over)."""

    def __init__(self, real: WeComApi) -> None:
        self.real = real
        self.taken: list[tuple[int, int]] = []  # (rows taken, decisions stored by then)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    async def kf_customer_batchget(self, external_userids: Any, **kw: Any) -> Any:
        taken = await KfConversation.filter(open_kfid=KF, external_userid=CUSTOMER).update(
            session_state=3, servicer_userid="zhangwei")
        stored = await ConversationMessage.filter(direction=Direction.IN).count()
        self.taken.append((taken, stored))
        return await self.real.kf_customer_batchget(external_userids, **kw)


NICKNAME = {"id": "hello", "name": "问候", "when": {"any": ["在吗"]}, "action": "reply",
            "replies": {"messages": [{"text": "您好{nickname}"}]}}


async def test_a_decision_does_not_undo_a_takeover_made_while_it_was_deciding(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        await _rules(w, NICKNAME)
        # The reply names the customer: the decision asks WeCom after it read the
        # conversation, and a specialist claims the session meanwhile.
        asking = TakenWhileAsking(w.services.ports.wecom)
        w.services.ports.wecom = asking
        await w.sandbox.customer_says(KF, CUSTOMER, "在吗")
        await w.settle()
        assert asking.taken == [(1, 0)]  # taken between the decision's read and its write
        assert await ConversationMessage.filter(direction=Direction.IN).count() == 1
        conv = await KfConversation.get(open_kfid=KF, external_userid=CUSTOMER)
        assert (conv.session_state, conv.servicer_userid) == (3, "zhangwei")
        assert conv.sent_since_customer >= 1  # the decision's own fields were written
        assert conv.nickname  # ... the nickname among them


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
    mode_settings: Callable[..., Settings],
) -> None:
    """Past the conversation lock's wait, the pulled message is retried as a job at once,
    not left pending for the sweeper (minutes)."""
    settings = mode_settings(conversations={"kf_conversation_wait_seconds": 0.2})
    async with world(settings) as w:
        await _rules(w, COOLDOWN)
        key = kf_key(KF, CUSTOMER)
        async with w.services.store.lock(f"conv:{key}", ttl=10, wait=1):
            await w.sandbox.customer_says(KF, CUSTOMER, "价格多少")
            await asyncio.sleep(0.6)  # the pulled message gave up waiting meanwhile
            assert w.kf_texts() == []
        assert await w.wait_kf(1, timeout=8) == ["价格表请看这里"]
        await w.settle()
        # It was handed back after its wait ran out, and answered by its retry.
        (row,) = await InboxEvent.filter(event_type="kf.text")
        assert row.status == InboxStatus.DONE and row.attempts == 1
        assert (row.last_error or "").startswith("LockTimeout")
