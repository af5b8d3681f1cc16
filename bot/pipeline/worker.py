"""Job functions and the production worker entry (arq).

The same functions run on the in-process runner in embedded mode (bot.app).
"""

from __future__ import annotations

import asyncio
import json
import signal
from typing import Any

from bot.runtime import HandlerContext, Services
from bot.delivery import outbox
from bot.infra.logs import get_logger
from bot.infra.store import LockTimeout
from bot.models import InboxEvent, InboxStatus
from bot.orders import binding, grouptasks
from bot.orders import kefu_notices as kefu
from bot.orders.tick import tick as orders_tick
from bot.pipeline import inbox
from bot.pipeline.runners import DEFAULT_QUEUE, FAST_QUEUE, JobFunc, retry_delay
from bot.protocol.events import KfText, parse, parse_kf_message
from bot.protocol.replies import deliver

log = get_logger("bot.pipeline.worker")
POLL_DELAY = 0.01  # seconds between an idle arq worker's polls of its queue


async def process_inbox(services: Services, inbox_id: int) -> None:
    """Dispatch one stored event to its handler; exactly once, whatever the retries."""
    settings = services.settings
    try:
        async with services.store.lock(
            f"inbox:{inbox_id}", ttl=settings.job_timeout_seconds + 5, wait=0
        ):
            await _process(services, inbox_id)
    except LockTimeout:
        log.info("inbox.busy", inbox_id=inbox_id)


async def _process(services: Services, inbox_id: int) -> None:
    row = await InboxEvent.get_or_none(id=inbox_id)
    if row is None or row.status != InboxStatus.PENDING:
        return
    await _handle(services, row.id, row.app, row.event_type, row.attempts,
                  lambda: decode(row.fmt, row.plaintext))


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
    ctx = HandlerContext(app=app, corp_id=services.settings.wecom.corp_id, passive=False,
                         services=services, fresh=fresh)
    try:
        reply = await services.dispatcher.feed(event, ctx)
        if reply is not None:
            await deliver(reply, event, ctx)
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


async def process_fresh(services: Services, row_id: int, app_name: str, event: Any) -> None:
    """Handle a row this process has just stored (a kf pull) right here, without a job hop.

    Nobody else can hold it yet (the sweeper only takes rows pending for minutes; the lock
    covers even that), so it is not read back. A failure is recorded on the row and the
    rest of its tries run as ordinary ``process_inbox`` jobs.
    """
    settings = services.settings
    try:
        if isinstance(event, KfText):
            # Handled exactly once without the row lock: the decision is keyed by the msgid
            # under the conversation's lock, and the sends by the outbox's own lock. A
            # conversation busy past the lock's wait is retried below, like any failure.
            await _handle(services, row_id, app_name, event.event_type, 0, lambda: event,
                          fresh=True)
        else:
            try:
                async with services.store.lock(
                    f"inbox:{row_id}", ttl=settings.job_timeout_seconds + 5, wait=0
                ):
                    await _handle(services, row_id, app_name, event.event_type, 0,
                                  lambda: event)
            except LockTimeout:  # someone else is handling this very row
                log.info("inbox.busy", inbox_id=row_id)
    except Exception:
        try:
            await services.queue.enqueue("process_inbox", row_id, job_id=f"inbox:{row_id}",
                                         priority=bool(event.time_boxed),
                                         defer=retry_delay(1))
        except Exception as exc:  # the sweeper finds the pending row later
            log.warning("inbox.enqueue_failed", inbox_id=row_id, error=type(exc).__name__)


def decode(fmt: str, plaintext: str) -> Any:
    """A stored inbox row as its typed event: callbacks (xml/json), kf sync_msg items (kf),
    chat-archive records (archive)."""
    if fmt == "kf":
        return parse_kf_message(json.loads(plaintext))
    if fmt == "archive":
        from bot.conversations.archive import ArchivedMessage

        return ArchivedMessage.from_record(json.loads(plaintext))
    return parse(plaintext, fmt="json" if fmt == "json" else "xml")


async def enqueue_inbox(services: Services, row_id: int, *, time_boxed: bool) -> bool:
    return await services.queue.enqueue(
        "process_inbox", row_id, priority=time_boxed, job_id=f"inbox:{row_id}"
    )


async def kf_callback(services: Services, inbox_id: int, open_kfid: str,
                      token: str | None) -> None:
    """Job for a stored kf_msg_or_event row, its content passed along: the pull (idempotent,
    so no row lock and no read of the row), then the row is done. Should this job be lost,
    the sweeper takes the still pending row through ``process_inbox``."""
    from bot.pipeline.pullers.kf import request_pull

    await request_pull(services, open_kfid, token)
    await services.inbox.mark_done(inbox_id)


async def sweep_inbox(services: Services) -> int:
    """Re-enqueue rows left pending (a crashed worker, a lost Redis job)."""
    rows = await inbox.stale_pending(services.settings.inbox_stale_seconds)
    for row in rows:
        await enqueue_inbox(services, row.id, time_boxed=row.time_boxed)
    await inbox.touch_enqueued([r.id for r in rows])
    if rows:
        log.info("inbox.swept", count=len(rows))
    return len(rows)


async def sweep(services: Services) -> None:
    """Periodic: re-enqueue what a crash or a lost job left behind."""
    await sweep_inbox(services)
    await outbox.sweep(services)
    # Orders: due group tasks, owner reminders, lost kefu decisions, overdue stages.
    await orders_tick(services)


async def kf_poll(services: Services) -> int:
    """Every minute: pull each known kf account in case a callback was missed."""
    from bot.pipeline.pullers.kf import poll_all

    return await poll_all(services)


async def kf_pull(services: Services, open_kfid: str, mark: str) -> int:
    """A puller that ran out of its time budget hands the rest to this job."""
    from bot.pipeline.pullers.kf import pull_job

    return await pull_job(services, open_kfid, mark)


async def escalation_sla(services: Services) -> tuple[int, int]:
    """Every minute: re-notify and raise unclaimed escalations."""
    from bot.conversations.escalation import check_sla

    return await check_sla(services)


async def archive_poll(services: Services) -> int:
    """Every minute: pull the chat archive, when a source is configured."""
    from bot.conversations.archive import poll

    return await poll(services)


JOBS: dict[str, JobFunc] = {
    "process_inbox": process_inbox,
    "kf_callback": kf_callback,
    "sweep_inbox": sweep_inbox,
    "send_outbox": outbox.send_job,
    "kf_poll": kf_poll,
    "kf_pull": kf_pull,
    "escalation_sla": escalation_sla,
    "archive_poll": archive_poll,
    "orders_flush_notice": grouptasks.flush,
    "orders_kefu_notice": kefu.send_notice,
    "orders_join_way": binding.create_join_way,
}
# Periodic jobs (besides the inbox sweep): arq cron in production, bot.app's loop embedded.
PERIODIC = ("kf_poll", "escalation_sla", "archive_poll")


def _arq_function(name: str, fn: JobFunc, max_tries: int, timeout: float) -> Any:
    from arq import Retry, func

    async def run(ctx: dict[str, Any], *args: Any) -> Any:
        try:
            return await fn(ctx["services"], *args)
        except Exception as exc:
            attempt = int(ctx.get("job_try", 1))
            if attempt < max_tries:
                log.warning("job.retry", job=name, attempt=attempt, error=type(exc).__name__,
                            detail=str(exc)[:200])
                raise Retry(defer=retry_delay(attempt)) from exc
            log.error("job.failed", job=name, attempt=attempt, error=type(exc).__name__)
            raise

    run.__qualname__ = run.__name__ = name
    # Results of the hot jobs are never read: storing them costs a Redis write per job.
    keep = 0 if name in _NO_RESULT else None
    return func(run, name=name, max_tries=max_tries, timeout=timeout, keep_result=keep)


_NO_RESULT = frozenset({"process_inbox", "kf_callback", "send_outbox", "kf_pull"})


async def run_worker(
    services: Services, *, burst: bool = False, stop: asyncio.Event | None = None
) -> None:
    """Run arq workers on the fast and the default queue until SIGTERM/SIGINT or ``stop``."""
    from arq.connections import RedisSettings
    from arq.cron import cron
    from arq.worker import Worker

    settings = services.settings
    functions = [
        _arq_function(n, f, settings.job_max_tries, settings.job_timeout_seconds)
        for n, f in JOBS.items()
    ]
    redis_settings = RedisSettings.from_dsn(settings.redis_url)

    async def sweep_cron(ctx: dict[str, Any]) -> None:
        await sweep(ctx["services"])

    def minutely(name: str) -> Any:
        async def run(ctx: dict[str, Any]) -> None:
            try:
                await JOBS[name](ctx["services"])
            except Exception as exc:
                log.warning("periodic.failed", job=name, error=type(exc).__name__)

        run.__qualname__ = run.__name__ = f"cron_{name}"
        return cron(run, second={15}, unique=True)

    crons = [cron(sweep_cron, second={0, 30}, unique=True), *(minutely(n) for n in PERIODIC)]

    workers = [
        Worker(
            functions=functions,
            queue_name=queue,
            redis_settings=redis_settings,
            ctx={"services": services},
            cron_jobs=crons if queue == DEFAULT_QUEUE else [],
            burst=burst,
            handle_signals=False,
            keep_result=60,
            max_jobs=50,
            # arq sleeps poll_delay between polls of its queue (default 0.5 s): every job
            # hop would cost up to that much latency. A poll is one cheap Redis call.
            poll_delay=POLL_DELAY,
        )
        for queue in (FAST_QUEUE, DEFAULT_QUEUE)
    ]
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
    tasks = [asyncio.create_task(w.async_run()) for w in workers]
    waiter = asyncio.create_task(stop.wait())
    await asyncio.wait([*tasks, waiter], return_when=asyncio.FIRST_COMPLETED)
    # Graceful drain: take no new jobs, let running ones finish within the job timeout.
    for w in workers:
        w.allow_pick_jobs = False
    await asyncio.sleep(POLL_DELAY * 5)  # a poll already under way starts its jobs first

    async def running_done() -> None:
        while any(not t.done() for w in workers for t in w.tasks.values()):
            await asyncio.sleep(0.1)

    try:
        await asyncio.wait_for(running_done(), settings.job_timeout_seconds)
    except TimeoutError:
        log.warning("worker.drain_incomplete")
    for w in workers:
        try:
            await w.close()
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise
            # close() cancelled a job that slipped past the drain: it runs again later.
            log.warning("worker.job_cancelled_on_close")
            if w._pool is not None:
                await w._pool.close(close_connection_pool=True)
    for t in (*tasks, waiter):
        t.cancel()
    await asyncio.gather(*tasks, waiter, return_exceptions=True)
