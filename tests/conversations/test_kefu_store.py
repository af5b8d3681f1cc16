"""kf decisions stored together: on PostgreSQL the decisions under way side by side share
one statement, on SQLite a group commit's decisions one statement per kind of row; each
keeps exactly what it would have stored alone."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable
from datetime import timedelta

import pytest

from bot.conversations import kefu_store
from bot.delivery import outbox
from bot.infra.clock import utcnow
from bot.infra.db import connection
from bot.models import (
    ConversationMessage,
    Direction,
    KfConversation,
    OutboxMessage,
    RuleStat,
    UnansweredQuestion,
)


def _decision(conv: KfConversation, n: int, *, replies: int, rule: str | None,
              unanswered: bool = False, suppressed: bool = False,
              key: str | None = None) -> kefu_store.Decision:
    ref = f"kf:m{conv.external_userid}{n}"
    at = utcnow()
    conv.unmatched_streak = n
    pairs = []
    for i in range(replies):
        row = outbox.new_row(key=key or f"{ref}:{i}", app="main", api="kf_send_msg",
                             args={"touser": conv.external_userid, "open_kfid": "wkA",
                                   "msgtype": "text", "payload": {"content": f"答{i}"}},
                             recipient=conv.external_userid, ref=ref)
        pairs.append((row, ConversationMessage(
            channel="kefu", conversation=f"kefu:wkA:{conv.external_userid}",
            direction=Direction.OUT, msgtype="text", content=f"答{i}",
            payload={"content": f"答{i}"}, ref=ref, msgid=row.args["msgid"], rule_id=rule,
            status="planned")))
    text = f"问题{n}"
    return kefu_store.Decision(
        conversation=conv,
        inbound=ConversationMessage(channel="kefu", conversation=f"kefu:wkA:{conv.external_userid}",
                                    direction=Direction.IN, msgtype="text", content=text,
                                    msgid=f"m{conv.external_userid}{n}", rule_id=rule),
        replies=pairs, rule_id=rule, at=at, customer_at=at - timedelta(seconds=1),
        unanswered=UnansweredQuestion(channel="kefu", conversation=conv.external_userid,
                                      content=text, normalized=text) if unanswered else None,
        suppressed=suppressed)


async def _conversations(count: int) -> list[KfConversation]:
    return [await KfConversation.create(open_kfid="wkA", external_userid=f"wm{i}",
                                        session_state=4 if i == 0 else 0,
                                        sent_since_customer=2)
            for i in range(count)]


async def _each_kept_its_own(ds: list[kefu_store.Decision]) -> None:
    """What the four decisions of the burst tests stored: each exactly its own."""
    # Every reply's row stored and linked, in order after its customer's message.
    for d in ds:
        ids = [row.id for row, _ in d.replies]
        assert all(ids) and len(set(ids)) == len(ids)
        assert all(row._saved_in_db for row, _ in d.replies)
        stored = await ConversationMessage.filter(
            conversation=d.inbound.conversation).order_by("id")
        assert [m.direction for m in stored] == [Direction.IN] + [Direction.OUT] * len(ids)
        assert [m.outbox_id for m in stored[1:]] == ids
        assert [(await OutboxMessage.get(id=i)).key for i in ids] == [
            row.key for row, _ in d.replies]
    # The counters added up across decisions of one rule, not overwritten by one another.
    (stat,) = await RuleStat.filter(rule_id="ship")
    assert (stat.hits, stat.replies, stat.suppressed) == (2, 6, 1)
    assert await UnansweredQuestion.filter(content="问题1").count() == 1
    # Each conversation's own state: reopened, streak, a budget counted from its message.
    fresh = {c.external_userid: c for c in await KfConversation.all()}
    assert fresh["wm0"].session_state == 0
    assert [fresh[f"wm{i}"].sent_since_customer for i in range(4)] == [2, 1, 0, 3]
    assert all(fresh[f"wm{i}"].unmatched_streak == 1 for i in range(4))


async def test_decisions_under_way_together_share_one_statement(
    pg_database: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    convs = await _conversations(4)
    ds = [_decision(convs[0], 1, replies=2, rule="ship"),
          _decision(convs[1], 1, replies=1, rule="ship"),
          _decision(convs[2], 1, replies=0, rule=None, unanswered=True),
          _decision(convs[3], 1, replies=3, rule="ship", suppressed=True)]
    statements = []
    execute = type(connection()).execute_query_dict

    async def counted(self: object, query: str, values: list[object] | None = None) -> object:
        statements.append(query)
        return await execute(self, query, values)  # type: ignore[arg-type]

    monkeypatch.setattr(type(connection()), "execute_query_dict", counted)
    await asyncio.gather(*(kefu_store.record(connection(), d) for d in ds))
    monkeypatch.undo()
    assert len(statements) == 1, statements

    await _each_kept_its_own(ds)


async def test_a_decision_that_cannot_be_stored_fails_alone(pg_database: str) -> None:
    convs = await _conversations(3)
    await kefu_store.record(connection(), _decision(convs[0], 1, replies=1, rule=None,
                                                    key="taken"))
    ds = [_decision(convs[1], 2, replies=1, rule="ship"),
          _decision(convs[2], 2, replies=1, rule=None, key="taken"),  # a duplicate key
          _decision(convs[0], 3, replies=2, rule="ship")]
    got = await asyncio.gather(*(kefu_store.record(connection(), d) for d in ds),
                               return_exceptions=True)
    assert got[0] is None and got[2] is None and isinstance(got[1], Exception), got
    assert await ConversationMessage.filter(msgid="mwm22").count() == 0  # nothing of it
    assert (await KfConversation.get(external_userid="wm2")).unmatched_streak == 0
    assert await ConversationMessage.filter(msgid="mwm12").count() == 1
    assert await ConversationMessage.filter(msgid="mwm03").count() == 1
    (stat,) = await RuleStat.filter(rule_id="ship")
    assert (stat.hits, stat.replies) == (2, 3)


async def test_any_number_of_decisions_and_replies_is_one_sql_text(
    pg_database: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """asyncpg prepares and keeps a statement per SQL text (tests/foundation/
    test_statement_texts.py says why that matters): batches of every size and shape are one
    text."""
    convs = await _conversations(8)
    texts: set[str] = set()
    execute = type(connection()).execute_query_dict

    async def seen(self: object, query: str, values: list[object] | None = None) -> object:
        texts.add(query)
        return await execute(self, query, values)  # type: ignore[arg-type]

    monkeypatch.setattr(type(connection()), "execute_query_dict", seen)
    for n, size in enumerate([1, 2, 5, 8, 3]):
        ds = [_decision(convs[i], n + 10, replies=(i + n) % 4, rule="ship" if i % 2 else None,
                        unanswered=i % 3 == 0) for i in range(size)]
        await asyncio.gather(*(kefu_store.record(connection(), d) for d in ds))
    assert len(texts) == 1


async def test_decisions_and_a_pull_on_the_same_customers_never_deadlock(
    pg_database: str,
) -> None:
    """A pull's statement moves the budgets of customers whose earlier messages are being
    decided in a batch at that moment: both lock those conversation rows, and both do it in
    one order (open_kfid, external_userid), so neither waits for the other in a cycle
    (PostgreSQL would abort one after a second's wait)."""
    import random

    from bot.pipeline import inbox_store

    convs = await _conversations(200)
    rnd = random.Random(7)
    for n in range(30):
        picked = rnd.sample(convs, len(convs))
        ds = [_decision(c, n + 100, replies=1, rule=None) for c in picked]
        now = utcnow()
        pulled = list(reversed(picked))  # the pull's order: the other way round
        rows = [("main", f"kf:stress{n}:{c.external_userid}", "kf", "text", False, "{}",
                 "pending", 0, now, now, f"kf:wkA:{c.external_userid}") for c in pulled]
        wrote = [(f"kf:stress{n}:{c.external_userid}", "wkA", c.external_userid, now)
                 for c in pulled]
        await asyncio.gather(kefu_store._together(connection(), ds),
                             inbox_store.insert_pulled(rows, wrote))


async def test_a_decision_whose_caller_is_cancelled_lands_before_the_cancel_goes_on(
    pg_database: str,
) -> None:
    """The caller holds the conversation's lock while its decision waits behind a batch in
    flight: cancelled then (a job's timeout), it still waits for its write, so the next
    holder of the lock reads the conversation as this decision left it."""
    convs = await _conversations(2)
    first = asyncio.create_task(kefu_store.record(connection(), _decision(convs[0], 1,
                                                                          replies=1, rule=None)))
    await asyncio.sleep(0)  # its batch is in flight
    queued = asyncio.create_task(kefu_store.record(connection(), _decision(convs[1], 1,
                                                                           replies=2, rule=None)))
    await asyncio.sleep(0)  # queued behind it
    queued.cancel()
    with pytest.raises(asyncio.CancelledError):
        await queued
    # Already stored: the customer's message and both replies.
    assert await ConversationMessage.filter(conversation="kefu:wkA:wm1").count() == 3
    assert (await KfConversation.get(id=convs[1].id)).sent_since_customer == 2
    await first


async def test_one_conversation_decided_twice_in_a_batch_keeps_both(pg_database: str) -> None:
    """Should two decisions of one conversation meet in a batch (its lock lost meanwhile),
    they are stored one after the other: one UPDATE … FROM would keep only one's change."""
    (conv,) = await _conversations(1)
    conv.sent_since_customer = 0
    await conv.save()
    a = _decision(conv, 1, replies=2, rule=None)
    b = _decision(conv, 2, replies=1, rule=None)
    b.customer_at = a.customer_at  # the same message time: the budget adds up
    await asyncio.gather(kefu_store.record(connection(), a), kefu_store.record(connection(), b))
    assert (await KfConversation.get(id=conv.id)).sent_since_customer == 3


async def test_a_decision_in_a_callers_transaction_is_not_batched_with_others(
    pg_database: str,
) -> None:
    """A decision recorded inside a transaction belongs to it; another caller's decision
    batched at the same moment does not ride in that transaction and survive its rollback
    only by chance."""
    from tortoise.transactions import in_transaction

    convs = await _conversations(2)

    class Rollback(Exception):
        pass

    async def inside() -> None:
        with contextlib.suppress(Rollback):
            async with in_transaction() as conn:
                await kefu_store.record(conn, _decision(convs[0], 1, replies=1, rule=None))
                await asyncio.sleep(0.05)
                raise Rollback

    async def outside() -> None:
        await asyncio.sleep(0)
        await kefu_store.record(connection(), _decision(convs[1], 1, replies=1, rule=None))

    await asyncio.gather(inside(), outside())
    assert await ConversationMessage.filter(conversation="kefu:wkA:wm0").count() == 0
    assert await ConversationMessage.filter(conversation="kefu:wkA:wm1").count() == 2


def _through_commits(d: kefu_store.Decision) -> Awaitable[object]:
    """``d`` recorded as the kf path records it: through the group commit."""
    from bot.infra.group_commit import group_commit

    return group_commit().run(lambda conn: kefu_store.record(conn, d),
                              order=d.rule_id or "", single_statement=True)


async def test_a_bursts_decisions_through_the_group_commit_share_their_statements(
    database: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On SQLite the decisions of a group commit's transaction are written at its end,
    every kind of row in one statement for all of them (on PostgreSQL the burst is one
    statement); each decision keeps exactly what it would have stored alone."""
    convs = await _conversations(4)
    ds = [_decision(convs[0], 1, replies=2, rule="ship"),
          _decision(convs[1], 1, replies=1, rule="ship"),
          _decision(convs[2], 1, replies=0, rule=None, unanswered=True),
          _decision(convs[3], 1, replies=3, rule="ship", suppressed=True)]
    statements: list[str] = []
    execute = type(connection()).execute_query_dict

    async def counted(self: object, query: str, values: list[object] | None = None) -> object:
        statements.append(query)
        return await execute(self, query, values)  # type: ignore[arg-type]

    monkeypatch.setattr(type(connection()), "execute_query_dict", counted)
    await asyncio.gather(*(_through_commits(d) for d in ds))
    monkeypatch.undo()
    # One by one they took 4 + 5 + 3 + 6 = 18 statements (an update, an insert per reply,
    # the history, the counter, the question); now one per kind of row.
    assert len(statements) == (1 if database == "postgres" else 5), statements

    await _each_kept_its_own(ds)

    # A second burst on the same rule adds to its counter; one conversation decided twice
    # in a burst (its lock lost meanwhile) keeps both changes.
    again = [_decision(convs[0], 2, replies=1, rule="ship"),
             _decision(convs[0], 3, replies=1, rule="ship")]
    again[1].customer_at = again[0].customer_at
    await asyncio.gather(*(_through_commits(d) for d in again))
    (stat,) = await RuleStat.filter(rule_id="ship")
    assert (stat.hits, stat.replies) == (4, 8)
    assert (await KfConversation.get(id=convs[0].id)).sent_since_customer == 2


async def test_a_decision_of_a_failed_burst_fails_alone(database: str) -> None:
    """A burst whose shared transaction fails (one decision's outbox key is taken) is
    written again decision by decision: the others land, the bad one leaves nothing."""
    convs = await _conversations(3)
    await _through_commits(_decision(convs[0], 1, replies=1, rule=None, key="taken"))
    ds = [_decision(convs[1], 2, replies=1, rule="ship"),
          _decision(convs[2], 2, replies=1, rule=None, key="taken"),
          _decision(convs[0], 3, replies=2, rule="ship")]
    got = await asyncio.gather(*(_through_commits(d) for d in ds), return_exceptions=True)
    assert got[0] is None and got[2] is None and isinstance(got[1], Exception), got
    assert await ConversationMessage.filter(msgid="mwm22").count() == 0
    assert (await KfConversation.get(external_userid="wm2")).unmatched_streak == 0
    assert await ConversationMessage.filter(msgid="mwm12").count() == 1
    assert await ConversationMessage.filter(msgid="mwm03").count() == 1
    assert all(row.id for d in (ds[0], ds[2]) for row, _ in d.replies)
    (stat,) = await RuleStat.filter(rule_id="ship")
    assert (stat.hits, stat.replies) == (2, 3)
