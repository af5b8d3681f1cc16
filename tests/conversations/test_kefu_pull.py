"""微信客服 under load: coalesced pulls, handling in the puller, group commit.

Many customers writing at once cost a few sync_msg pulls, not one per callback; still every
message is answered exactly once, each customer's replies in the order of its questions, and
a message whose handling fails is retried (as an inbox job) and answered once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from bot.models import (
    ConversationMessage,
    Direction,
    Escalation,
    InboxEvent,
    InboxStatus,
    UnansweredQuestion,
)
from bot.pipeline.inbox import NewEvent, kf_thread
from bot.settings import Settings
from tests.conversations.test_kefu_races import FailingCommits
from tests.harness.waiting import wait_for
from tests.harness.world import KF, World, world
from tests.harness.world import load_sample_rules as _sample

QUESTIONS = [("请问多久能发货", "生产完成"), ("安装要多久", "安装"), ("怎么开发票", "发票")]


def _count_pulls(w: World) -> list[int]:
    calls = [0]
    original = w.sandbox.kf_endpoints.sync_msg

    def counting(body: dict[str, Any]) -> dict[str, Any]:
        calls[0] += 1
        return original(body)

    w.sandbox.kf_endpoints.sync_msg = counting  # type: ignore[method-assign]
    return calls


async def test_burst_is_answered_once_in_order_with_few_pulls(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        await _sample(w)
        pulls = _count_pulls(w)
        customers = [f"wmBurst{i:03d}" for i in range(8)]
        for q, _ in QUESTIONS:  # every customer writes three times, without waiting
            for c in customers:
                await w.sandbox.customer_says(KF, c, q)
        for c in customers:
            await w.wait_kf(len(QUESTIONS), euid=c, timeout=20)
        await w.settle()
        for c in customers:
            texts = w.kf_texts(c)
            assert len(texts) == len(QUESTIONS), (c, texts)  # none twice, none missing
            for text, (_, expected) in zip(texts, QUESTIONS, strict=True):
                assert expected in text, (c, texts)
        callbacks = len(customers) * len(QUESTIONS)
        assert 1 <= pulls[0] < callbacks  # coalesced: a pull drains what is pending
        assert await ConversationMessage.filter(direction=Direction.IN).count() == callbacks
        assert await InboxEvent.filter(status=InboxStatus.PENDING).count() == 0


async def test_failed_handling_in_the_puller_is_retried_as_a_job(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        await _sample(w)
        failing = FailingCommits(w.services.ports.commits)  # the decision's store fails once
        w.services.ports.commits = failing
        await w.sandbox.customer_says(KF, "wmFlaky", QUESTIONS[0][0])
        texts = await w.wait_kf(1, euid="wmFlaky", timeout=20)
        await w.settle()
        assert failing.failed == 1
        assert len(w.kf_texts("wmFlaky")) == 1 and QUESTIONS[0][1] in texts[0]
        asked = await ConversationMessage.get(direction=Direction.IN,
                                              conversation__contains="wmFlaky")
        row = await InboxEvent.get(dedupe_key=f"kf:{asked.msgid}")
        assert row.status == InboxStatus.DONE and row.attempts == 1
        assert row.last_error == "RuntimeError: database hiccup"


async def test_a_callback_handled_after_its_token_expired_still_pulls_at_once(
    mode_settings: Callable[..., Settings],
) -> None:
    """The Token lives 10 minutes; a callback handled later (a restart, an outage) must not
    fail five times and wait for the minute poll: it pulls without the Token."""
    async with world(mode_settings()) as w:
        await _sample(w)
        w.sandbox.corp.limits.kf_token_ttl = 0.0  # every Token is stale by the time it is used
        await w.sandbox.customer_says(KF, "wmLate", QUESTIONS[0][0])
        texts = await w.wait_kf(1, euid="wmLate", timeout=10)
        await w.settle()
        assert QUESTIONS[0][1] in texts[0]
        pulls = [c["errcode"] for c in w.sandbox.calls if c["path"] == "kf/sync_msg"]
        assert pulls[:2] == [95007, 0]  # refused with the Token, then pulled without it
        assert await InboxEvent.filter(status=InboxStatus.PENDING).count() == 0
        assert not await InboxEvent.filter(attempts__gt=0).exists()


@pytest.mark.parametrize("errcode", [40058, 95099])
async def test_a_pull_refused_with_its_token_is_retried_without_it(
    mode_settings: Callable[..., Settings], errcode: int,
) -> None:
    """WeCom publishes no code for a stale or foreign Token: whatever lasting refusal it
    gives (40058, an unknown code), the pull is tried again without the Token; the unknown
    code is counted."""
    from bot.wecom import unknown_codes
    from sandbox.model import SandboxError

    unknown_codes.reset()
    async with world(mode_settings()) as w:
        await _sample(w)
        original = w.sandbox.kf_endpoints.sync_msg

        def refusing(body: dict[str, Any]) -> dict[str, Any]:
            if body.get("token"):
                raise SandboxError(errcode, "token refused in a new way")
            return original(body)

        w.sandbox.kf_endpoints.sync_msg = refusing  # type: ignore[method-assign]
        await w.sandbox.customer_says(KF, "wmOdd", QUESTIONS[0][0])
        texts = await w.wait_kf(1, euid="wmOdd", timeout=10)
        await w.settle()
        assert QUESTIONS[0][1] in texts[0]
        pulls = [c["errcode"] for c in w.sandbox.calls if c["path"] == "kf/sync_msg"]
        assert pulls[:2] == [errcode, 0]
        assert not await InboxEvent.filter(attempts__gt=0).exists()
    assert unknown_codes.counts() == ({} if errcode == 40058 else {95099: 1})


def test_account_and_transient_refusals_are_not_read_as_the_token() -> None:
    from bot.pipeline.pullers.kf_sync import _token_refused
    from bot.protocol import errors as E
    from bot.protocol.errors import error_for

    def refused(code: int) -> bool:
        return _token_refused(error_for(code, "", "kf/sync_msg"))

    assert all(refused(c) for c in (E.KF_INVALID_MSG_TOKEN, E.INVALID_PARAM, 95099, 95013))
    assert not any(refused(c) for c in (E.KF_OPEN_KFID_NOT_FOUND, E.KF_INVALID_OPEN_KFID,
                                        E.KF_API_DISABLED, E.NO_PERMISSION, E.FREQ_LIMIT,
                                        E.CONCURRENCY_LIMIT, E.SYSTEM_BUSY, E.TOKEN_EXPIRED))


async def test_a_retried_message_is_answered_before_the_customers_next_one(
    mode_settings: Callable[..., Settings],
) -> None:
    """The first question's decision fails once (its retry waits 0.5 s); the second arrives
    meanwhile. The second's handler answers the first one first: replies keep the order."""
    async with world(mode_settings()) as w:
        await _sample(w)
        failing = FailingCommits(w.services.ports.commits)
        w.services.ports.commits = failing
        await w.sandbox.customer_says(KF, "wmOrder", QUESTIONS[0][0])
        await w.sandbox.customer_says(KF, "wmOrder", QUESTIONS[1][0])
        texts = await w.wait_kf(2, euid="wmOrder", timeout=20)
        await w.settle()
        assert failing.failed == 1
        assert len(w.kf_texts("wmOrder")) == 2
        assert QUESTIONS[0][1] in texts[0] and QUESTIONS[1][1] in texts[1], texts


async def test_a_row_a_killed_worker_left_goes_before_the_next_message(
    mode_settings: Callable[..., Settings],
) -> None:
    """A worker stored the customer's message and died before handling it; the row waits
    for the sweep. The customer's next message, pulled by another worker, must not overtake
    it: its handler answers the stranded row first."""
    async with world(mode_settings()) as w:
        await _sample(w)
        item = {"msgid": "stranded-1", "open_kfid": KF, "external_userid": "wmStrand",
                "send_time": int(w.services.ports.clock.now().timestamp()), "origin": 3,
                "msgtype": "text", "text": {"content": QUESTIONS[0][0]}}
        w.sandbox.corp.ensure_customer("wmStrand")
        row = await w.services.inbox.store(NewEvent(
            app="main", dedupe_key="kf:stranded-1", fmt="kf", event_type="kf.text",
            time_boxed=False, plaintext=json.dumps(item, ensure_ascii=False),
            thread=kf_thread(KF, "wmStrand")))
        assert row is not None
        await w.sandbox.customer_says(KF, "wmStrand", QUESTIONS[1][0])
        texts = await w.wait_kf(2, euid="wmStrand", timeout=20)
        await w.settle()
        assert QUESTIONS[0][1] in texts[0] and QUESTIONS[1][1] in texts[1], texts
        assert (await InboxEvent.get(id=row)).status == InboxStatus.DONE


async def test_a_backlog_spends_no_reply_wecom_would_refuse(
    mode_settings: Callable[..., Settings], kf_over_limit: str,
) -> None:
    """Nine questions pile up while pulls fail (an outage). WeCom's allowance counts from
    the customer's newest message, so answering each as if it had just arrived would have
    WeCom refuse everything past the fifth. The service answers older questions only while
    that leaves the newest its answer, sends no reply WeCom refuses, and calls a person."""
    from bot.models import Escalation, OutboxMessage

    async with world(mode_settings()) as w:
        await _sample(w)
        w.sandbox.corp.limits.kf_over_limit = kf_over_limit
        w.sandbox.set_faults(http5xx_burst=100_000, paths=("kf/sync_msg",))
        asked = [QUESTIONS[i % len(QUESTIONS)] for i in range(8)]
        for q, _ in asked:
            await w.sandbox.customer_says(KF, "wmBacklog", q)
            w.sandbox.corp.clock.advance(2)  # a customer typing, not one burst
        w.sandbox.set_faults()
        await w.sandbox.customer_says(KF, "wmBacklog", QUESTIONS[2][0])  # the newest

        async def escalated() -> bool:
            return await Escalation.filter(external_userid="wmBacklog").exists()

        await wait_for(escalated, timeout=20)
        await w.settle()
        assert await ConversationMessage.filter(direction=Direction.IN,
                                                conversation__contains="wmBacklog").count() == 9
        refused = await ConversationMessage.filter(direction=Direction.OUT, status="failed")
        assert refused == [], [(m.content, m.fail_type) for m in refused]
        assert not await OutboxMessage.filter(status="failed").exists()
        # What counts against the allowance: send_msg (the session's transfer notice goes
        # with send_msg_on_event, on the event's own code).
        sends = await OutboxMessage.filter(api="kf_send_msg").count()
        assert 1 <= sends <= 5, w.kf_texts("wmBacklog")
        assert "刘洋" in w.kf_texts("wmBacklog")[-1]  # a person follows up
        assert (await Escalation.get(external_userid="wmBacklog")).reason == "budget"
        assert await UnansweredQuestion.filter(conversation__contains="wmBacklog").exists()


@pytest.mark.parametrize("mode_settings", ["production"], indirect=True)
async def test_a_crash_inside_a_conversation_stalls_it_for_lock_ttl_at_most(
    mode_settings: Callable[..., Settings],
) -> None:
    """Every lock a kf conversation takes on its way (the pull, the row, the conversation,
    the escalation, the send) lapses LOCK_TTL after its holder is killed: the customer's
    next message then waits that long at most. (The conversation's lock used to last 60 s
    and the escalation's 90 s: a killed worker held the customer up for a minute.)"""
    from bot.ports import LOCK_TTL

    async with world(mode_settings()) as w:
        await _sample(w)
        store = w.services.store
        taken: dict[str, float] = {}
        lock = store.lock

        def spy(name: str, **kwargs: Any) -> Any:
            taken[name.split(":")[0]] = max(taken.get(name.split(":")[0], 0.0),
                                            kwargs.get("ttl", LOCK_TTL))
            return lock(name, **kwargs)

        store.lock = spy  # type: ignore[method-assign]
        try:
            await w.sandbox.customer_says(KF, "wmLocks", QUESTIONS[0][0])
            await w.sandbox.customer_says(KF, "wmLocks", "转人工")
            await w.wait_kf(2, euid="wmLocks", timeout=20)

            async def escalated() -> bool:
                return await Escalation.filter(external_userid="wmLocks").exists()

            await wait_for(escalated, timeout=20)
            await w.settle()
        finally:
            store.lock = lock  # type: ignore[method-assign]
        assert {"kf", "inbox", "conv", "esc", "outbox"} <= taken.keys(), taken
        assert max(taken.values()) <= LOCK_TTL, taken


async def test_a_puller_past_its_budget_hands_the_mark_to_a_fresh_job(
    mode_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A puller still busy after PULL_BUDGET queues a kf_pull job with the account's mark
    and leaves the mark in place, rather than taking it; the job pulls and answers."""
    from bot.pipeline.pullers import kf_sync

    async with world(mode_settings()) as w:
        await _sample(w)
        store, queue = w.services.store, w.services.queue
        queued: list[tuple[Any, ...]] = []
        real_enqueue = queue.enqueue

        async def holding(name: str, *args: Any, **kw: Any) -> Any:
            if name == "kf_pull":
                queued.append(args)  # held back: run below, once the budget is normal
                return True
            return await real_enqueue(name, *args, **kw)

        monkeypatch.setattr(queue, "enqueue", holding)
        monkeypatch.setattr(kf_sync, "PULL_BUDGET", -1.0)  # spent before the first pull
        await w.sandbox.customer_says(KF, "wmBudget", QUESTIONS[0][0])
        await wait_for(lambda: bool(queued), timeout=10)
        assert queued[0][0] == KF and queued[0][1]  # the account, with its mark
        assert await store.get(f"kf:dirty:{KF}") == queued[0][1]  # the mark stays
        assert w.kf_texts("wmBudget") == []  # nothing pulled yet
        monkeypatch.undo()
        await real_enqueue("kf_pull", *queued[0])
        texts = await w.wait_kf(1, euid="wmBudget", timeout=10)
        await w.settle()
        assert QUESTIONS[0][1] in texts[0]
        assert await store.get(f"kf:dirty:{KF}") is None
