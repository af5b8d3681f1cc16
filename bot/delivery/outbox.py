"""The outbox: how every message leaves for WeCom, once, and is tracked to the end.

Domain code adds rows inside its own transaction (``add``), so a state change and the
messages it causes commit together; after the commit ``flush`` enqueues a sender job per row.
The sender (``send_outbox``) calls the client, keeps WeCom's answer, and schedules retries in
the database (so a crash loses none); the sweeper re-enqueues rows whose job got lost.

Idempotency: the row key is unique, so adding the same message twice is a no-op; kf messages
carry a msgid derived from the key (WeCom refuses a repeated msgid) and app messages ask
WeCom for its duplicate check, so a retry after a lost response does not send twice.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from bot.delivery import groupmsg_lookup, outbox_store
from bot.infra import sql
from bot.infra.clock import utcnow
from bot.infra.db import base_connection, connection, in_a_transaction
from bot.infra.group_commit import Failed, defer, group_commit, loop_batcher
from bot.infra.logs import correlated, correlation_id, get_logger
from bot.infra.store import LockTimeout
from bot.models import OutboxMessage, OutboxStatus
from bot.protocol import errors as E
from bot.protocol.errors import (
    RATE_LIMIT_CODES,
    SYSTEM_BUSY,
    LimiterBusy,
    OperatorError,
    WeComAPIError,
    WeComError,
)
from bot.runtime import Services
from bot.wecom.operator_alerts import MIN_BACKOFF

log = get_logger("bot.delivery.outbox")

# The AppClient methods a row may name; anything else is a programming error at ``add``.
SENDABLE = frozenset({
    "message_send", "kf_send_msg", "kf_send_msg_on_event", "send_welcome_msg",
    "add_msg_template", "remind_groupmsg_send", "kf_upgrade_service",
})
KF_MSGID_APIS = frozenset({"kf_send_msg", "kf_send_msg_on_event"})
# A repeated kf msgid: WeCom publishes no code for it (protocol-2.md §10); 40058 is its code
# for a bad msgid ("msgid exceed max length"), and an unpublished code may be its answer too.
_DUPLICATE_KF_MSGID = frozenset({E.INVALID_PARAM})
# One-use codes that answer "already used" when an earlier, unanswered try spent them.
_SPENT_AFTER_UNANSWERED = {"send_welcome_msg": frozenset({41051}),
                           "kf_send_msg_on_event": frozenset({95013})}
# One-use codes past their window: the message can no longer go out (missed, not failed).
_WINDOW_CLOSED = {"send_welcome_msg": frozenset({E.WELCOME_CODE_INVALID})}
# Answers that say "not now" for this API: tried again, within the row's deadline.
_NOT_YET = {"send_welcome_msg": frozenset({E.WELCOME_CONCURRENT})}
MAX_ATTEMPTS = 6
# Each API's channel, the label the metrics count rows by.
CHANNELS = {"message_send": "app", "kf_send_msg": "kf", "kf_send_msg_on_event": "kf",
            "kf_upgrade_service": "kf", "send_welcome_msg": "welcome",
            "add_msg_template": "group_task", "remind_groupmsg_send": "group_task"}


def channel_of(api: str) -> str:
    return CHANNELS.get(api, "other")



def retry_after(attempts: int) -> timedelta:
    """Backoff between attempts: 2 s, 4 s, 8 s … capped at 10 minutes."""
    return timedelta(seconds=min(600, 2**attempts))


def kf_msgid(key: str) -> str:
    """A kf ``msgid`` (≤32 chars of [0-9a-zA-Z_-], unique per kf account) from the row key."""
    return hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:32]


def new_row(
    *,
    key: str,
    app: str,
    api: str,
    args: dict[str, Any],
    recipient: str,
    ref: str | None = None,
    deadline: datetime | None = None,
    priority: bool = False,
) -> OutboxMessage:
    """A row as it will be stored (not saved): the key bounded, the args completed."""
    if api not in SENDABLE:
        raise ValueError(f"outbox cannot send via {api!r}")
    if len(key) > 128:
        key = "h:" + hashlib.sha256(key.encode()).hexdigest()
    args = dict(args)
    if api in KF_MSGID_APIS:
        args.setdefault("msgid", kf_msgid(key))
    elif api == "message_send":
        args.setdefault("enable_duplicate_check", 1)
        args.setdefault("duplicate_check_interval", 1800)
    return OutboxMessage(key=key, app=app, api=api, args=args, recipient=recipient[:128],
                         ref=ref, deadline=deadline, priority=priority, next_attempt_at=utcnow(),
                         inbox_id=correlation_id())


async def add(
    *,
    key: str,
    app: str,
    api: str,
    args: dict[str, Any],
    recipient: str,
    ref: str | None = None,
    deadline: datetime | None = None,
    priority: bool = False,
    using_db: BaseDBAsyncClient | None = None,
) -> OutboxMessage:
    """Add a message (inside the caller's transaction via ``using_db``); returns the row.

    The same key again returns the existing row untouched: callers may repeat themselves.
    """
    row = new_row(key=key, app=app, api=api, args=args, recipient=recipient, ref=ref,
                  deadline=deadline, priority=priority)
    existing = await OutboxMessage.filter(key=row.key).using_db(using_db).first()
    if existing is not None:
        return existing
    try:
        await row.save(using_db=using_db)
        return row
    except IntegrityError:
        # Added concurrently by another caller with the same key: theirs stands.
        return await OutboxMessage.get(key=row.key)


async def flush(services: Services, rows: Iterable[OutboxMessage]) -> None:
    """Enqueue the sender for rows just committed (a lost enqueue is swept up later)."""
    for row in rows:
        if row.status == OutboxStatus.PENDING:
            try:
                await services.queue.enqueue("send_outbox", row.id, priority=row.priority,
                                             job_id=f"outbox:{row.id}:{row.attempts}")
            except Exception as exc:
                log.warning("outbox.enqueue_failed", outbox_id=row.id, error=type(exc).__name__)


async def send_outbox(services: Services, row_id: int, *, row: OutboxMessage | None = None
                      ) -> OutboxMessage | None:
    """Job: one attempt at sending one row; returns the row as it ends up (None: not tried).

    ``row``: the caller's own copy of a row it has just committed (not read back).
    """
    if row is not None:
        # Just committed by the caller: no other sender can have it (the sweeper takes rows
        # only a minute overdue, and the kf msgid makes WeCom refuse a repeat anyway).
        return await _attempt(services, row)
    try:
        async with services.store.lock(f"outbox:{row_id}", wait=0):
            row = await OutboxMessage.get_or_none(id=row_id)
            if row is None:
                return None
            return await _attempt(services, row)
    except LockTimeout:
        log.info("outbox.busy", outbox_id=row_id)
        return None


async def send_job(services: Services, row_id: int) -> None:
    """The queued form of ``send_outbox`` (a job's result is stored: keep it empty). A kf
    reply that went out (or failed for good) carries on with the replies held behind it."""
    row = await send_outbox(services, row_id)
    while row is not None and row.status != OutboxStatus.PENDING and row.api == "kf_send_msg" \
            and row.ref:
        nxt = await OutboxMessage.filter(ref=row.ref, status=OutboxStatus.PENDING,
                                         id__gt=row.id).order_by("id").first()
        if nxt is None:
            return
        row = await send_outbox(services, nxt.id)


async def _attempt(services: Services, row: OutboxMessage) -> OutboxMessage | None:
    if row.inbox_id is not None and correlation_id() is None:
        with correlated(row.inbox_id):
            return await _attempt_once(services, row)
    return await _attempt_once(services, row)


async def _attempt_once(services: Services, row: OutboxMessage) -> OutboxMessage | None:
    # A deferred job may fire a hair early; a second of slack keeps it from being skipped.
    if row.status != OutboxStatus.PENDING or (
        row.next_attempt_at > utcnow() + timedelta(seconds=1)
    ):
        return row
    if row.deadline is not None and row.deadline <= utcnow():
        await _finish(services, row, OutboxStatus.MISSED, error="deadline passed before sending")
        return row
    try:
        client = services.wecom.app(row.app)
        landed = None
        if row.api == "add_msg_template" and _unanswered(row):
            # The last try may have landed (its answer lost): ask WeCom before calling again.
            try:
                landed = await groupmsg_lookup.landed(services.store, client, row)
            except LockTimeout:
                # Another process has been listing for long (WeCom slow): ask again later.
                await _reschedule(services, row, DISPATCH_WAIT_SECONDS)
                return row
            except WeComAPIError as exc:
                if exc.errcode != E.GROUPMSG_DISPATCHING:
                    raise _LookupFailed from exc
                # WeCom will not list 群发 records while one was just made (41063, for as
                # long as a burst of them is being dispatched): not an attempt, ask later.
                # The unanswered error stays, so the next try asks again.
                await _reschedule(services, row, DISPATCH_WAIT_SECONDS)
                return row
            except WeComError as exc:
                raise _LookupFailed from exc
        result = landed if landed is not None else await _call(services, client, row)
    except WeComAPIError as exc:
        if _already_done(row, exc):
            await _finish(services, row, OutboxStatus.SENT, result={
                "msgid": row.args.get("msgid"), "duplicate": True, "errcode": exc.errcode})
            return row
        if (row.deadline is not None and row.deadline <= utcnow()) \
                or exc.errcode in _WINDOW_CLOSED.get(row.api, ()):
            # Its window closed (while the client was retrying, or WeCom says the code is
            # past it): missed, like any late one, never counted as sent.
            await _finish(services, row, OutboxStatus.MISSED,
                          error=f"{exc.errcode} {exc.errmsg}"[:500])
            return row
        if isinstance(exc, OperatorError):
            # Only an operator can fix it (trusted IP, agent_id): the message waits, with
            # backoff, and goes out once they have; the alert tells them what to do.
            alert = await services.wecom.alerts.get(row.app, exc.errcode)
            now = time.time()
            await _reschedule(services, row, alert.backoff(now) if alert else MIN_BACKOFF,
                              error=f"{exc.errcode} {exc.errmsg}")
            return row
        if exc.errcode in RATE_LIMIT_CODES:
            # WeCom's ban on this API (a minute, or an hour) says nothing about the message:
            # come back after it rather than spend the row's attempts on it.
            await _reschedule(services, row, services.wecom.retry.rate_limit_ban)
            return row
        retryable = exc.errcode == SYSTEM_BUSY or exc.errcode in _NOT_YET.get(row.api, ())
        await _failed_attempt(services, row, f"{exc.errcode} {exc.errmsg}", retryable)
        return row
    except _LookupFailed:
        # Still unknown: keep the unanswered error, so the next try asks again.
        await _failed_attempt(services, row, row.last_error or "", retryable=True)
        return row
    except LimiterBusy as exc:
        # Our own limiter is full for a while: come back when a slot frees up. Not an attempt:
        # nothing was sent.
        await _reschedule(services, row, exc.retry_after)
        return row
    except WeComError as exc:  # timeouts, 5xx: the client's own retries were not enough
        await _failed_attempt(services, row, str(exc), retryable=True)
        return row
    except OSError as exc:  # a media library file not readable (its volume away) for now
        await _failed_attempt(services, row, f"media file: {type(exc).__name__}",
                              retryable=True)
        return row
    except (KeyError, TypeError, ValueError) as exc:
        # A row that cannot be sent as it is (its app renamed away, args the API refuses):
        # failed at once, visible in the console, instead of pending and swept for ever.
        await _failed_attempt(services, row, f"{type(exc).__name__}: {exc}", retryable=False)
        return row
    await _finish(services, row, OutboxStatus.SENT, result=dict(result))
    return row


class _LookupFailed(Exception):
    """Asking WeCom whether an unanswered try landed failed: the answer is still unknown."""


DISPATCH_WAIT_SECONDS = 5.0


async def _call(services: Services, client: Any, row: OutboxMessage) -> Any:
    """The row's call, its media library references resolved for this very try (a media_id
    is never kept in the row, so none goes out stale); should WeCom still call one invalid
    (40007), it is uploaded afresh and the call made once more."""
    media = services.ports.media
    try:
        return await getattr(client, row.api)(**await media.resolve(row.api, row.args))
    except WeComAPIError as exc:
        if exc.errcode != E.INVALID_MEDIA_ID or not await media.forget(row.api, row.args):
            raise
    return await getattr(client, row.api)(**await media.resolve(row.api, row.args))


def _unanswered(row: OutboxMessage) -> bool:
    """Whether the row's last try went unanswered (a timeout, a 5xx: it may have landed)."""
    return bool(row.attempts and row.last_error) and errcode_of(row) is None


def _already_done(row: OutboxMessage, exc: WeComAPIError) -> bool:
    """Whether WeCom's refusal says an earlier try of this row did the work: only when such
    a try went unanswered (it may have landed). A kf msgid is this row's own, so only an
    earlier try of it can have used it; the refusal is told by its code (40058, or one not
    published), never by errmsg, which WeCom says is for reading only."""
    if not (exc.after_unanswered or _unanswered(row)):
        return False
    if row.api in KF_MSGID_APIS and (exc.errcode in _DUPLICATE_KF_MSGID
                                     or exc.errcode not in E.KNOWN_CODES):
        return True
    return exc.errcode in _SPENT_AFTER_UNANSWERED.get(row.api, ())


def errcode_of(row: OutboxMessage) -> int | None:
    """The WeCom errcode a row's last attempt ended with (its last_error starts with it);
    None when WeCom never answered (a timeout, a 5xx) or the row has no error."""
    head = (row.last_error or "").split(" ", 1)[0]
    return int(head) if head.lstrip("-").isdigit() else None


async def _failed_attempt(services: Services, row: OutboxMessage, error: str,
                          retryable: bool) -> None:
    row.attempts += 1
    row.last_error = error[:500]
    if not retryable or row.attempts >= MAX_ATTEMPTS:
        row.status = OutboxStatus.FAILED
        await row.save(update_fields=["attempts", "last_error", "status", "updated_at"])
        services.metrics.outbox_state(channel_of(row.api), OutboxStatus.FAILED.value)
        log.warning("outbox.failed", outbox_id=row.id, api=row.api, attempts=row.attempts,
                    error=error[:120])
        return
    delay = retry_after(row.attempts)
    services.metrics.outbox_state(channel_of(row.api), "retry")
    row.next_attempt_at = utcnow() + delay
    await row.save(update_fields=["attempts", "last_error", "next_attempt_at", "updated_at"])
    await _hold_behind(row)
    await services.queue.enqueue("send_outbox", row.id, priority=row.priority,
                                 job_id=f"outbox:{row.id}:{row.attempts}",
                                 defer=delay.total_seconds())


async def _reschedule(services: Services, row: OutboxMessage, seconds: float, *,
                      error: str | None = None) -> None:
    """Try again in ``seconds`` without spending one of the row's attempts; ``error`` says
    why it waits (shown in the console)."""
    row.next_attempt_at = utcnow() + timedelta(seconds=seconds)
    services.metrics.outbox_state(channel_of(row.api), "rescheduled")
    fields = ["next_attempt_at", "updated_at"]
    if error is not None:
        row.last_error = error[:500]
        fields.append("last_error")
    await row.save(update_fields=fields)
    await _hold_behind(row)
    await services.queue.enqueue("send_outbox", row.id, priority=row.priority,
                                 job_id=_retry_job_id(row),
                                 defer=seconds)
    log.info("outbox.rescheduled", outbox_id=row.id, api=row.api, seconds=round(seconds, 1))


def _retry_job_id(row: OutboxMessage) -> str:
    # Unique per planned try: arq keeps a finished job's id for a while, so an id reused by
    # a second wait of the same length would never run.
    return f"outbox:{row.id}:{row.attempts}:at{int(row.next_attempt_at.timestamp() * 1000)}"


async def _hold_behind(row: OutboxMessage) -> None:
    """kf replies to one customer message go out in order: those after a row that must wait
    wait with it (the sweep leaves them alone), and its retry sends them (``send_job``)."""
    if row.api == "kf_send_msg" and row.ref:
        await OutboxMessage.filter(ref=row.ref, status=OutboxStatus.PENDING, id__gt=row.id) \
            .update(next_attempt_at=row.next_attempt_at)


async def _finish(services: Services, row: OutboxMessage, status: OutboxStatus, *,
                  result: Any = None,
                  error: str | None = None) -> None:
    """The sender's outcome for a row it tried. Written only while the row is still
    pending: a later fact learned meanwhile (a kf ``msg_send_fail`` naming it) stands."""
    values: dict[str, Any] = {"status": status, "result": result, "last_error": error,
                              "updated_at": utcnow()}
    if status == OutboxStatus.SENT:
        values["sent_at"] = utcnow()
        values["attempts"] = row.attempts + 1
    # Whether the row was still pending: set by the write, or at the end of the group
    # commit's transaction when the write was deferred to it.
    outcome: list[bool] = [False]

    async def write(conn: BaseDBAsyncClient) -> None:
        if not defer(conn, _finish_deferred, (row.id, values, outcome)):
            outcome[0] = await outbox_store.finish(conn, row.id, values)

    if sql.is_postgres(connection()) and not in_a_transaction():
        # Senders finishing side by side (a pull's replies) share one statement; written
        # before the sender lets go of the row's lock, even if cancelled.
        outcome[0] = await loop_batcher("outbox.finish", _finish_together).submit_shielded(
            (row.id, values))
    else:
        # Committed with other senders' results in one transaction (one fsync); on SQLite
        # in one statement with them.
        await group_commit().run(write, single_statement=True)
    written = outcome[0]
    if written:
        for name, value in values.items():
            setattr(row, name, value)
        services.metrics.outbox_state(channel_of(row.api), status.value)
        log.info("outbox.finished", outbox_id=row.id, api=row.api, status=status.value)
        return
    fresh = await OutboxMessage.get(id=row.id)
    row.status, row.result, row.last_error = fresh.status, fresh.result, fresh.last_error
    log.info("outbox.already_finished", outbox_id=row.id, api=row.api,
             status=fresh.status.value, ours=status.value)


async def _finish_together(items: list[tuple[int, dict[str, Any]]]) -> list[bool | Failed]:
    return await outbox_store.finish_together(base_connection(), items)


async def _finish_deferred(conn: BaseDBAsyncClient,
                           items: list[tuple[int, dict[str, Any], list[bool]]]) -> None:
    """The outcomes a group commit's transaction deferred (SQLite), written together. One
    that cannot be written fails the transaction, whose writes then run again one by one:
    it fails only its own sender."""
    got = await outbox_store.finish_together(conn, [(rid, values) for rid, values, _ in items])
    for (_, _, outcome), result in zip(items, got, strict=True):
        if isinstance(result, Failed):
            raise result.exc
        outcome[0] = result


# A later fact may move a row only forward: pending → sent → delivered, and failed from
# pending or sent; delivered, failed and missed are final.
_MAY_BECOME = {
    OutboxStatus.SENT: (OutboxStatus.PENDING,),
    OutboxStatus.DELIVERED: (OutboxStatus.PENDING, OutboxStatus.SENT),
    OutboxStatus.FAILED: (OutboxStatus.PENDING, OutboxStatus.SENT),
    OutboxStatus.MISSED: (OutboxStatus.PENDING,),
}


async def mark(row_id: int, status: OutboxStatus, *, error: str | None = None) -> bool:
    """A later fact about a sent message: delivered (e.g. a confirmed group task), or failed
    (e.g. a kf ``msg_send_fail`` event naming its msgid). False when the row had already
    reached a state this cannot follow (a final one)."""
    fields: dict[str, Any] = {"status": status, "updated_at": utcnow()}
    if error is not None:
        fields["last_error"] = error[:500]
    return bool(await OutboxMessage.filter(id=row_id, status__in=_MAY_BECOME[status])
                .update(**fields))


async def sweep(services: Services, stale_seconds: float | None = None) -> int:
    """Re-enqueue pending rows whose attempt is overdue: their job was lost.

    Overdue means later than any attempt can still be under way (the client's whole retry
    budget): a reply sent right after its decision runs without the row lock, and the sweep
    must not send it a second time alongside.
    """
    if stale_seconds is None:
        p = services.wecom.retry
        stale_seconds = p.limiter_wait + p.budget_seconds + p.request_timeout + 30
    cutoff = utcnow() - timedelta(seconds=stale_seconds)
    rows = await OutboxMessage.filter(status=OutboxStatus.PENDING, next_attempt_at__lt=cutoff) \
        .order_by("next_attempt_at", "id").limit(500)
    for row in rows:
        await services.queue.enqueue("send_outbox", row.id, priority=row.priority,
                                     job_id=f"outbox:{row.id}:{row.attempts}:swept")
    if rows:
        log.info("outbox.swept", count=len(rows))
    return len(rows)
