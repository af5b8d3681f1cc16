"""What one customer message costs the service, counted (issue 12: the restructured code
ran about two SQL statements more per kf message than before; issue 18: the cost of each
message is what limits conversations on a small machine)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from bot.models import InboxEvent, InboxStatus
from bot.ports import Commits
from bot.settings import Settings
from tests.harness.statements import counting_statements
from tests.harness.waiting import wait_for
from tests.harness.world import KF, World, world
from tests.harness.world import load_sample_rules as _sample

QUESTION, ANSWER = "请问多久能发货", "生产完成"
QUESTIONS = [(QUESTION, ANSWER), ("安装要多久", "安装")]


def _enqueued(w: World) -> list[str]:
    names: list[str] = []
    queue = w.services.queue
    original = queue.enqueue

    async def spy(name: str, *args: Any, **kwargs: Any) -> Any:
        names.append(name)
        return await original(name, *args, **kwargs)

    queue.enqueue = spy  # type: ignore[method-assign]
    return names


async def test_a_message_costs_a_bounded_number_of_statements(
    mode_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A returning customer's message, answered by a rule: the callback stored, the pull
    (cursor, items and the customer's budget in one statement on PostgreSQL), the decision
    (the conversation read, then one statement), the reply's outcome, the rows done. No
    look-up for earlier rows of the customer when there are none, no separate budget
    update."""
    import bot.app
    import bot.pipeline.worker

    async def nothing(*_: Any) -> None:
        return None

    # Not this message's cost: the periodic jobs and the sweeps, which run at fixed seconds
    # of the clock (the count failed whenever its window, widened by a loaded machine,
    # took one in).
    for module in (bot.app, bot.pipeline.worker):
        monkeypatch.setattr(module, "PERIODIC", ())
        monkeypatch.setattr(module, "recover_sweeps", nothing)
        monkeypatch.setattr(module, "sweep", nothing)
    settings = mode_settings()
    async with world(settings) as w:
        await _sample(w)
        await w.sandbox.customer_says(KF, "wmCost", QUESTION)  # first contact: not counted
        await w.wait_kf(1, euid="wmCost")
        await w.settle()
        with counting_statements(monkeypatch) as seen:
            await w.sandbox.customer_says(KF, "wmCost", QUESTION)
            texts = await w.wait_kf(2, euid="wmCost")
            await w.settle()
        assert ANSWER in texts[1]
        ours = {s: n for s, n in seen.items()
                if not s.startswith("SELECT COUNT(*)")}  # settle()'s own look
        text = "\n".join(f"{n} {s[:100]}" for s, n in ours.items())
        assert not any("WHERE thread =" in s for s in ours), text
        assert not any(s.startswith('UPDATE "kf_conversation" SET last_customer_at')
                       for s in ours), text
        # PostgreSQL: the callback stored; the cursor read; the batch, the budget and the
        # cursor in one; the conversation read; the rule's order look-up (two); the decision
        # in one; the reply's outcome; both rows done. SQLite runs the pull's parts and the
        # decision's in turn, each in a transaction (the group commit's: under load they
        # share one with the writes under way; alone, its BEGIN and COMMIT are counted).
        budget = 21 if settings.embedded else 10
        assert sum(ours.values()) <= budget, text


class HeldCommits:
    """The ``Commits`` port, its first decision held until the test lets it go (a customer
    message still being handled when the customer's next one is pulled)."""

    def __init__(self, real: Commits) -> None:
        self.real = real
        self.release = asyncio.Event()
        self.holding = asyncio.Event()

    async def run(self, write: Callable[[Any], Awaitable[Any]], *, order: str = "",
                  single_statement: bool = False) -> Any:
        if not self.release.is_set():
            self.holding.set()
            await self.release.wait()
        return await self.real.run(write, order=order, single_statement=single_statement)


async def test_the_next_message_waits_for_the_one_in_hand_without_looking_it_up(
    mode_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The customer writes again while their last message is still being handled here: the
    new row waits for that handler (holding its own row, so nobody else takes it) instead
    of reading which earlier rows are pending; the answers keep their order."""
    async with world(mode_settings()) as w:
        await _sample(w)
        held = HeldCommits(w.services.ports.commits)
        w.services.ports.commits = held
        with counting_statements(monkeypatch) as seen:
            await w.sandbox.customer_says(KF, "wmTwice", QUESTIONS[0][0])
            await asyncio.wait_for(held.holding.wait(), 10)
            await w.sandbox.customer_says(KF, "wmTwice", QUESTIONS[1][0])

            async def both_stored() -> bool:
                return await InboxEvent.filter(event_type="kf.text").count() == 2

            await wait_for(both_stored, timeout=10)
            held.release.set()
            texts = await w.wait_kf(2, euid="wmTwice")
            await w.settle()
        assert QUESTIONS[0][1] in texts[0] and QUESTIONS[1][1] in texts[1], texts
        assert len(w.kf_texts("wmTwice")) == 2
        assert not any("WHERE thread =" in s for s in seen), list(seen)


async def test_a_callback_during_a_pull_costs_no_job(
    mode_settings: Callable[..., Settings],
) -> None:
    """A callback that arrives while a puller holds the account only marks it dirty: the
    puller sees the mark before it lets go (or right after) and pulls that message too, so
    the callback needs no job of its own, and its row is done at once."""
    async with world(mode_settings()) as w:
        await _sample(w)
        jobs = _enqueued(w)
        store = w.services.store
        w.sandbox.set_faults(latency=0.4)  # WeCom answering slowly: pulls take a while
        await w.sandbox.customer_says(KF, "wmFirst", QUESTION)

        async def pulling() -> bool:
            return bool(await store.held(f"kf:sync:{KF}"))

        await wait_for(pulling, timeout=10)
        await w.sandbox.customer_says(KF, "wmSecond", QUESTION)  # during that pull
        for euid in ("wmFirst", "wmSecond"):
            assert ANSWER in (await w.wait_kf(1, euid=euid, timeout=15))[0]
        await w.settle()
        assert jobs.count("kf_callback") == 1, jobs
        callbacks = await InboxEvent.filter(event_type="kf_msg_or_event")
        assert len(callbacks) == 2 and all(r.status == InboxStatus.DONE for r in callbacks)
        assert len(w.kf_texts("wmFirst")) == len(w.kf_texts("wmSecond")) == 1


async def test_a_callback_left_to_the_puller_whose_row_cannot_be_marked_queues_its_job(
    mode_settings: Callable[..., Settings],
) -> None:
    """The database failed the mark of a callback left to the puller at work (the fault
    battery's pg-crash): its job marks the row, retrying, instead of the row waiting
    minutes for the sweep."""
    async with world(mode_settings()) as w:
        await _sample(w)
        jobs = _enqueued(w)
        store, inbox = w.services.store, w.services.inbox
        w.sandbox.set_faults(latency=0.4)  # a slow pull: the next callback finds it at work
        await w.sandbox.customer_says(KF, "wmFirst", QUESTION)

        async def pulling() -> bool:
            return bool(await store.held(f"kf:sync:{KF}"))

        await wait_for(pulling, timeout=10)
        mark = inbox.mark_done
        failed: list[int] = []

        async def failing_once(row_id: int) -> None:
            if not failed:
                failed.append(row_id)
                raise ConnectionError("database restarting")
            await mark(row_id)

        inbox.mark_done = failing_once  # type: ignore[method-assign]
        await w.sandbox.customer_says(KF, "wmSecond", QUESTION)
        assert ANSWER in (await w.wait_kf(1, euid="wmSecond", timeout=15))[0]
        await w.settle()
        assert failed and jobs.count("kf_callback") == 2, jobs
        callbacks = await InboxEvent.filter(event_type="kf_msg_or_event")
        assert len(callbacks) == 2 and all(r.status == InboxStatus.DONE for r in callbacks)


async def test_a_callback_with_no_puller_at_work_starts_one(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        await _sample(w)
        jobs = _enqueued(w)
        await w.sandbox.customer_says(KF, "wmIdle", QUESTION)
        texts = await w.wait_kf(1, euid="wmIdle")
        await w.settle()
        assert ANSWER in texts[0]
        assert jobs.count("kf_callback") == 1


async def test_a_puller_stays_a_while_for_the_next_callback(
    mode_settings: Callable[..., Settings],
) -> None:
    """Production: a puller that pulled its account clean stays ``kf_pull_linger_seconds``,
    woken by the next callback's mark, so the callbacks of a steady stream need no job each
    (a job costs arq's round trips); then it leaves, and the next callback starts a job
    again. Embedded mode, where a job is a put on an in-process queue, leaves at once."""
    base = mode_settings()
    settings = base.model_copy(update={"conversations": base.conversations.model_copy(
        update={"kf_pull_linger_seconds": 2.0})})
    async with world(settings) as w:
        await _sample(w)
        jobs = _enqueued(w)
        store = w.services.store

        async def free() -> bool:
            return not await store.held(f"kf:sync:{KF}")

        await w.sandbox.customer_says(KF, "wmSteady", QUESTION)
        assert ANSWER in (await w.wait_kf(1, euid="wmSteady"))[0]
        if settings.embedded:
            await wait_for(free, timeout=5)
        else:
            assert await store.held(f"kf:sync:{KF}")  # staying for the next one
        await w.sandbox.customer_says(KF, "wmSteady", QUESTIONS[1][0])
        assert QUESTIONS[1][1] in (await w.wait_kf(2, euid="wmSteady"))[1]
        assert jobs.count("kf_callback") == (2 if settings.embedded else 1), jobs
        await wait_for(free, timeout=10)  # production: the linger is over
        await w.sandbox.customer_says(KF, "wmSteady", QUESTION)
        await w.wait_kf(3, euid="wmSteady")
        await w.settle()
        assert jobs.count("kf_callback") == (3 if settings.embedded else 2), jobs
        callbacks = await InboxEvent.filter(event_type="kf_msg_or_event")
        assert len(callbacks) == 3 and all(r.status == InboxStatus.DONE for r in callbacks)
        assert len(w.kf_texts("wmSteady")) == 3  # none twice


async def test_a_puller_staying_with_its_account_reads_the_cursor_once(
    mode_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Production: the pulls of one stay (one hold of the account's lock) read the saved
    sync_msg cursor once, then go on from the one each saved; the next stay reads it again,
    and finds the last one saved (nothing pulled twice, nothing missed)."""
    from bot.models import KfCursor

    base = mode_settings()
    if base.embedded:
        pytest.skip("embedded pullers do not stay: each pull is a hold of its own")
    settings = base.model_copy(update={"conversations": base.conversations.model_copy(
        update={"kf_pull_linger_seconds": 2.0})})
    reads = 'FROM "kf_cursor"'
    async with world(settings) as w:
        await _sample(w)
        store = w.services.store

        async def free() -> bool:
            return not await store.held(f"kf:sync:{KF}")

        def cursor_reads(seen: Counter[str]) -> int:
            return sum(n for s, n in seen.items() if s.startswith("SELECT") and reads in s)

        await w.sandbox.customer_says(KF, "wmCursor", QUESTION)
        assert ANSWER in (await w.wait_kf(1, euid="wmCursor"))[0]
        first = (await KfCursor.get(open_kfid=KF)).cursor
        assert await store.held(f"kf:sync:{KF}")  # staying for the next one
        with counting_statements(monkeypatch) as seen:
            await w.sandbox.customer_says(KF, "wmCursor", QUESTIONS[1][0])
            assert QUESTIONS[1][1] in (await w.wait_kf(2, euid="wmCursor"))[1]
        assert cursor_reads(seen) == 0, seen
        # The stay's second pull saved the cursor it moved to.
        assert (await KfCursor.get(open_kfid=KF)).cursor != first
        await wait_for(free, timeout=10)  # the stay is over
        with counting_statements(monkeypatch) as seen:
            await w.sandbox.customer_says(KF, "wmCursor", QUESTION)
            await w.wait_kf(3, euid="wmCursor")
            await w.settle()
        assert cursor_reads(seen) == 1, seen  # a new stay reads it again
        assert len(w.kf_texts("wmCursor")) == 3  # none twice, none missed


async def test_a_pulls_customers_share_their_reads_and_their_reply_outcomes(
    mode_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Customers whose messages arrive in one pull are decided side by side: their
    conversation rows are read in one SELECT (or a few), not one each, and on PostgreSQL
    their replies' outcomes are written together; each still gets its own answer, once."""
    settings = mode_settings()
    customers = [f"wmPull{i}" for i in range(6)]
    async with world(settings) as w:
        await _sample(w)
        for euid in customers:  # known customers: their conversation rows exist
            await w.sandbox.customer_says(KF, euid, QUESTION)
            await w.wait_kf(1, euid=euid)
        await w.settle()
        store = w.services.store
        w.sandbox.set_faults(latency=0.4)  # a slow pull, so the next messages queue up
        with counting_statements(monkeypatch) as seen:
            await w.sandbox.customer_says(KF, "wmOpener", QUESTION)

            async def pulling() -> bool:
                return bool(await store.held(f"kf:sync:{KF}"))

            await wait_for(pulling, timeout=10)
            for euid in customers:  # during that pull: all in the next one
                await w.sandbox.customer_says(KF, euid, QUESTIONS[1][0])
            for euid in customers:
                texts = await w.wait_kf(2, euid=euid, timeout=20)
                assert QUESTIONS[1][1] in texts[1], texts
            await w.settle()
        for euid in customers:
            assert len(w.kf_texts(euid)) == 2
        reads = sum(n for s, n in seen.items() if s.startswith("SELECT")
                    and 'FROM "kf_conversation"' in s)
        assert reads <= 3, list(seen)  # the opener's, and one or two for the six
        if not settings.embedded:
            outcomes = sum(n for s, n in seen.items()
                           if s.startswith('UPDATE "outbox_message" AS o'))
            alone = sum(n for s, n in seen.items() if s.startswith('UPDATE "outbox_message" SET'))
            assert 1 <= outcomes <= 4 and alone == 0, list(seen)


async def test_a_row_whose_earlier_row_settled_while_it_was_stored_is_not_looked_up(
    mode_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The customer's previous message was pending when the next one was stored, and its
    handler here finished before the new row's started: this process knows it settled, so
    the new row reads nothing about earlier rows."""
    from bot.pipeline.pullers import kf_sync

    async with world(mode_settings()) as w:
        await _sample(w)
        held = HeldCommits(w.services.ports.commits)
        w.services.ports.commits = held
        store = kf_sync._store
        first: list[int] = []

        async def stored_then_earlier_settles(*args: Any) -> Any:
            rows = await store(*args)
            if first and any(earlier for _, _, earlier in rows):
                held.release.set()

                async def settled() -> bool:
                    row = await InboxEvent.get(id=first[0])
                    return row.status == InboxStatus.DONE and first[0] not in \
                        kf_sync._in_flight.get(row.thread or "", {})

                await wait_for(settled, timeout=10)
            first.extend(r for r, _, _ in rows)
            return rows

        monkeypatch.setattr(kf_sync, "_store", stored_then_earlier_settles)
        with counting_statements(monkeypatch) as seen:
            await w.sandbox.customer_says(KF, "wmQuick", QUESTIONS[0][0])
            await asyncio.wait_for(held.holding.wait(), 10)
            await w.sandbox.customer_says(KF, "wmQuick", QUESTIONS[1][0])
            texts = await w.wait_kf(2, euid="wmQuick")
            await w.settle()
        assert QUESTIONS[0][1] in texts[0] and QUESTIONS[1][1] in texts[1], texts
        assert held.release.is_set()  # the second row was stored with the first pending
        assert not any("WHERE thread =" in s for s in seen), list(seen)


async def test_a_mark_is_pulled_once_a_dead_pullers_lock_lapses_however_late(
    mode_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The check queued for a mark ran while the dead puller's lock was still alive (it was
    renewed until its holder died): it looks again until the lock lapses, instead of
    leaving the mark to the next minute's poll (the fault battery's kill-worker, once
    pullers stayed for the next mark: the check was queued before the kill)."""
    from bot.pipeline.pullers import kf_sync

    settings = mode_settings()
    if settings.embedded:
        pytest.skip("a puller dies with its process here, the lock with it")
    monkeypatch.setattr(kf_sync, "PULL_LOCK_TTL", 0.5)
    async with world(settings) as w:
        await _sample(w)
        jobs = _enqueued(w)
        # The first check runs 1.5 s after the callback; this lock lapses after 3 s.
        assert await w.services.store.set_if_absent(f"lock:kf:sync:{KF}", "dead", ttl=3.0)
        await w.sandbox.customer_says(KF, "wmLate", QUESTION)
        texts = await w.wait_kf(1, euid="wmLate", timeout=10)
        assert ANSWER in texts[0]
        await w.settle()
        assert jobs.count("kf_pull_if_left") >= 2, jobs  # looked again while held


async def test_a_mark_left_to_a_puller_that_died_is_pulled_a_locks_ttl_later(
    mode_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The callback finds the account's pull lock held and leaves its mark to the holder;
    the holder died (its lock lapses, nobody releases it): a check a lock's ttl later pulls
    the mark, instead of the next minute's poll (the fault battery's kill-worker lost the
    answers of one account's last questions so)."""
    from bot.pipeline.pullers import kf_sync

    settings = mode_settings()
    if settings.embedded:
        pytest.skip("a puller dies with its process here, the lock with it")
    monkeypatch.setattr(kf_sync, "PULL_LOCK_TTL", 0.5)
    async with world(settings) as w:
        await _sample(w)
        # A dead puller's lock: nobody renews it, it lapses in a second.
        assert await w.services.store.set_if_absent(f"lock:kf:sync:{KF}", "dead", ttl=1.0)
        await w.sandbox.customer_says(KF, "wmLeft", QUESTION)
        texts = await w.wait_kf(1, euid="wmLeft", timeout=8)
        assert ANSWER in texts[0]


async def test_a_mark_that_cannot_be_set_leaves_the_pull_to_a_job(
    mode_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The store refusing the mark (one command failing) does not leave the callback to the
    sweep: a job pulls at once, its row settled."""
    from bot.pipeline.pullers import kf_sync

    asked: list[str] = []

    async def refused(_: Any, open_kfid: str, *__: Any) -> bool:
        asked.append(open_kfid)
        raise ConnectionError("store unavailable")

    async with world(mode_settings()) as w:
        await _sample(w)
        jobs = _enqueued(w)
        monkeypatch.setattr(kf_sync, "puller_at_work", refused)
        await w.sandbox.customer_says(KF, "wmNoMark", QUESTION)
        assert ANSWER in (await w.wait_kf(1, euid="wmNoMark"))[0]
        await w.settle()
        assert asked == [KF]  # the mark was tried, and refused
        assert jobs.count("kf_callback") == 1, jobs
        assert len(w.kf_texts("wmNoMark")) == 1
        callbacks = await InboxEvent.filter(event_type="kf_msg_or_event")
        assert len(callbacks) == 1 and callbacks[0].status == InboxStatus.DONE
