"""From a stored inbox row to its handler, exactly once: the dispatch step of the pipeline,
the kf callback job, and the sweep that re-enqueues what a crash or a lost job left behind."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from typing import Any

from bot.delivery import outbox
from bot.infra.logs import correlated, correlation_id, get_logger
from bot.infra.store import LockTimeout
from bot.models import InboxEvent, InboxStatus
from bot.orders.tick import tick as orders_tick
from bot.pipeline import inbox
from bot.pipeline.reply_delivery import Undeliverable, deliver
from bot.pipeline.runners import retry_delay
from bot.ports import LOCK_TTL, HandlerContext
from bot.protocol.events import KfText, implausible_id, parse, parse_kf_message
from bot.protocol.events.archived import ArchivedMessage
from bot.runtime import Services

log = get_logger("bot.pipeline.processing")


async def process_inbox(services: Services, inbox_id: int) -> None:
    """Dispatch one stored event to its handler; exactly once, whatever the retries."""
    with correlated(inbox_id):  # a swept job carries no id of its own journey
        try:
            async with services.store.lock(f"inbox:{inbox_id}", wait=0):
                await _process(services, inbox_id)
        except LockTimeout:
            log.info("inbox.busy", inbox_id=inbox_id)


async def _process(services: Services, inbox_id: int, *, earlier_done: bool = False) -> None:
    row = await InboxEvent.get_or_none(id=inbox_id)
    if row is None or row.status != InboxStatus.PENDING:
        return
    if row.thread and not earlier_done:
        await _earlier_first(services, row.id, row.thread)
    await _handle(services, row.id, row.app, row.event_type, row.attempts,
                  lambda: decode(row.fmt, row.plaintext))


class EarlierPending(Exception):
    """A row waits for an earlier row of its thread: that one failed for now, or is busy."""


async def _earlier_first(services: Services, row_id: int, thread: str) -> bool:
    """Handle the thread's rows before ``row_id`` that are still pending, oldest first;
    returns whether ``row_id`` itself is still pending (someone may have handled it).

    A customer's messages are answered in the order they were sent even when one of them
    comes back late (a retry, a row a killed worker left for the sweep) or is being handled
    by another puller: whoever handles a later row handles the earlier ones first, or waits
    for their handler (their row locks). Nearly always this is one indexed read that finds
    the row alone. Locks are only ever awaited for earlier rows, so two handlers never
    wait for each other."""
    wait = services.settings.conversations.kf_conversation_wait_seconds
    ids = await inbox.pending_upto(thread, row_id)
    for earlier in ids:
        if earlier == row_id:
            continue
        try:
            with correlated(earlier):
                async with services.store.lock(f"inbox:{earlier}", wait=wait):
                    await _process(services, earlier, earlier_done=True)
        except Exception as exc:  # LockTimeout (busy elsewhere) or its failure
            log.info("inbox.waits_for_earlier", inbox_id=row_id, earlier=earlier,
                     error=type(exc).__name__)
            raise EarlierPending(f"row {earlier} of its thread is still pending") from exc
    return row_id in ids


async def _handle(services: Services, row_id: int, app_name: str, event_type: str,
                  attempts: int, event_of: Any, *, fresh: bool = False) -> None:
    """Dispatch one pending row's event; a failure is recorded on the row and re-raised
    (unless it was the last try)."""
    app = services.app(app_name)
    event = event_of()
    if app is None:
        await inbox.record_failure(row_id, f"app {app_name!r} is no longer configured",
                                   final=True)
        return
    bad = implausible_id(event)
    if bad is not None:
        # Signed with the app's keys but naming no one WeCom could: no handler acts on it.
        await inbox.record_done_with(row_id, f"not acted on: {bad} longer than WeCom issues")
        log.warning("inbox.implausible_id", inbox_id=row_id, event_type=event_type, field=bad)
        return
    ctx = HandlerContext(app=app, corp_id=services.settings.wecom.corp_id,
                         ports=services.ports, fresh=fresh)
    try:
        reply = await services.dispatcher.feed(event, ctx)
        if reply is not None:
            await deliver(services, reply, event, app)
    except Undeliverable as exc:
        # Handled, but its reply had nowhere to go (the AI bot's enter_chat welcome, once
        # the passive answer failed): done, with the reason on the row, not retried.
        await inbox.record_done_with(row_id, f"reply not delivered: {exc}")
        log.warning("inbox.reply_undelivered", inbox_id=row_id, event_type=event_type)
        return
    except Exception as exc:
        final = attempts + 1 >= services.settings.job_max_tries
        await inbox.record_failure(row_id, f"{type(exc).__name__}: {exc}", final=final)
        log.warning("inbox.handler_error", inbox_id=row_id, event_type=event_type,
                    attempt=attempts + 1, final=final, error=type(exc).__name__)
        if final:
            return
        raise
    await services.inbox.mark_done(row_id)
    log.info("inbox.done", inbox_id=row_id, event_type=event_type)


async def process_fresh(services: Services, row_id: int, app_name: str, event: Any, *,
                        first: bool = False, after: Sequence[asyncio.Task[bool]] = ()
                        ) -> bool:
    """Handle a row this process has just stored (a kf pull) right here, without a job hop;
    returns whether the row is settled (handled, or failed for good), not left pending.

    Nobody else can hold it yet (the sweeper only takes rows pending for minutes; the lock
    covers even that), so it is not read back. ``after``: handlers of this process to let
    finish first (the customer's earlier rows); they are waited for holding the row's lock,
    so nobody else handles the row meanwhile. ``first``: when the row was stored, its
    thread's earlier pending rows were all among those (a row never becomes pending again),
    so if each of them settles, the look-up for earlier rows is skipped. A failure is
    recorded on the row and the rest of its tries run as ordinary ``process_inbox`` jobs.
    """
    trigger = correlation_id()
    with correlated(row_id):
        if trigger is not None and trigger != row_id:
            # The item's own journey starts here: this line ties it to the callback (or
            # job) whose pull brought it, so one grep of either id finds the link.
            log.info("inbox.pulled", pulled_by=trigger, event_type=event.event_type)
        return await _process_fresh(services, row_id, app_name, event, first, after)


def _settled(tasks: Sequence[asyncio.Task[bool]]) -> bool:
    return all(not t.cancelled() and t.exception() is None and t.result() for t in tasks)


async def _process_fresh(services: Services, row_id: int, app_name: str, event: Any,
                         first: bool, after: Sequence[asyncio.Task[bool]]) -> bool:
    settings = services.settings
    try:
        thread = inbox.kf_thread(getattr(event, "open_kfid", None),
                                 getattr(event, "external_userid", None))
        if thread is None and after:
            await asyncio.wait(after)
        if thread is not None:
            # Under the row's lock: a later row's handler (another puller's) that reaches
            # this one first waits for it, or handles it while this waits (and then skips).
            async with services.store.lock(
                f"inbox:{row_id}", wait=settings.conversations.kf_conversation_wait_seconds
            ):
                if after:
                    await asyncio.wait(after)
                if (first and _settled(after)) or await _earlier_first(services, row_id,
                                                                       thread):
                    # Pending and held: no decision on it can exist yet (see on_customer_text).
                    await _handle(services, row_id, app_name, event.event_type, 0,
                                  lambda: event, fresh=isinstance(event, KfText))
        elif isinstance(event, KfText):
            # Handled exactly once without the row lock: the decision is keyed by the msgid
            # under the conversation's lock, and the sends by the outbox's own lock. A
            # conversation busy past the lock's wait is retried below, like any failure.
            await _handle(services, row_id, app_name, event.event_type, 0, lambda: event,
                          fresh=True)
        else:
            try:
                async with services.store.lock(f"inbox:{row_id}", wait=0):
                    await _handle(services, row_id, app_name, event.event_type, 0,
                                  lambda: event)
            except LockTimeout:  # someone else is handling this very row
                log.info("inbox.busy", inbox_id=row_id)
                return False
        return True
    except Exception:
        try:
            await services.queue.enqueue("process_inbox", row_id, job_id=f"inbox:{row_id}",
                                         priority=bool(event.time_boxed),
                                         defer=retry_delay(1))
        except Exception as exc:  # the sweeper finds the pending row later
            log.warning("inbox.enqueue_failed", inbox_id=row_id, error=type(exc).__name__)
        return False


def decode(fmt: str, plaintext: str) -> Any:
    """A stored inbox row as its typed event: callbacks (``xml`` and ``app-json`` from an app,
    ``aibot`` from the AI bot), kf sync_msg items (``kf``), chat-archive records
    (``archive``)."""
    if fmt == "kf":
        return parse_kf_message(json.loads(plaintext))
    if fmt == "archive":
        return ArchivedMessage.from_record(json.loads(plaintext))
    if fmt in ("json", "aibot"):  # "json": what AI-bot rows stored before app JSON existed
        return parse(plaintext, fmt="aibot")
    if fmt == "app-json":
        return parse(plaintext, fmt="app-json")
    return parse(plaintext, fmt="xml")


async def enqueue_inbox(services: Services, row_id: int, *, time_boxed: bool,
                        swept: int | None = None) -> bool:
    # A sweep's job has an id of its own: arq refuses an id whose earlier job (crashed with
    # its worker) is still on record, for up to a day. Two jobs for one row are harmless:
    # the row's lock and status let only one handle it.
    job_id = f"inbox:{row_id}" if swept is None else f"inbox:{row_id}:swept:{swept}"
    return await services.queue.enqueue("process_inbox", row_id, priority=time_boxed,
                                        job_id=job_id)


async def sweep_inbox(services: Services, older_than: float | None = None) -> int:
    """Re-enqueue rows left pending (a crashed worker, a lost Redis job): those enqueued more
    than ``older_than`` seconds ago (default ``inbox_stale_seconds``)."""
    stale = services.settings.inbox_stale_seconds if older_than is None else older_than
    rows = await inbox.stale_pending(stale)
    now = int(time.time())
    for row in rows:
        await enqueue_inbox(services, row.id, time_boxed=row.time_boxed, swept=now)
    await inbox.touch_enqueued([r.id for r in rows])
    if rows:
        log.info("inbox.swept", count=len(rows))
    return len(rows)


# Back on a Redis that was lost, every pending row may have lost its job with it (a
# restarted Redis comes back empty): re-queued at once, not after inbox_stale_seconds; and
# once more a little later for rows `serve` stored while its own connection was still
# coming back (its enqueue failed). A second job for a row that kept its own is harmless.
RECOVER_SWEEPS = ((0.0, 5.0), (5.0, 0.0))  # (rows enqueued this long ago, then pause)
# A worker starting (after a crash, say): the rows a killed worker held are out of reach
# until their locks lapse (LOCK_TTL), not until arq's in-progress key for their job
# does (the job timeout + 10 s) nor until inbox_stale_seconds: swept now and once more
# after the locks' time. A `serve` starting (after a kill, say) sweeps alike: its
# predecessor may have stored and acknowledged callbacks it never queued (the queuing
# follows the ack), and the second sweep reaches those stored just before it died.
STARTUP_SWEEPS = ((LOCK_TTL, LOCK_TTL + 1), (LOCK_TTL, 0.0))


async def recover_sweeps(services: Services, sweeps: tuple[tuple[float, float], ...]) -> None:
    """``sweep_inbox`` for each (older_than, then pause) of ``sweeps``."""
    for older_than, pause in sweeps:
        try:
            count = await sweep_inbox(services, older_than=older_than)
        except Exception as exc:  # the database may be out too: the periodic sweep follows
            log.warning("inbox.recover_failed", error=type(exc).__name__)
            return
        log.info("inbox.recovered", requeued=count)
        await asyncio.sleep(pause)


async def sweep(services: Services) -> None:
    """Periodic: re-enqueue what a crash or a lost job left behind."""
    await sweep_inbox(services)
    await outbox.sweep(services)
    # Orders: due group tasks, owner reminders, lost kefu decisions, overdue stages.
    await orders_tick(services.ports)
