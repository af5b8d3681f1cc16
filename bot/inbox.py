"""The durable inbox: every accepted callback is stored, once, before it is acknowledged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError

from bot.models import InboxEvent, InboxStatus


def now() -> datetime:
    return datetime.now(UTC)


async def store_event(
    *,
    app: str,
    dedupe_key: str,
    fmt: str,
    event_type: str,
    time_boxed: bool,
    plaintext: str,
) -> InboxEvent | None:
    """Insert the event; None when it was seen before (a WeCom retry).

    The unique dedupe key is the guard: a Redis pre-check would cost every callback a round
    trip and could not be trusted alone (a crash between mark and insert would lose the event).
    Raises on a storage failure, so the caller answers non-200 and WeCom retries.
    """
    try:
        return await InboxEvent.create(
            app=app,
            dedupe_key=dedupe_key,
            fmt=fmt,
            event_type=event_type[:96],
            time_boxed=time_boxed,
            plaintext=plaintext,
            enqueued_at=now(),
        )
    except IntegrityError:
        return None


async def mark_done(row_id: int) -> None:
    await InboxEvent.filter(id=row_id).update(status=InboxStatus.DONE, processed_at=now())


async def record_failure(row_id: int, error: str, *, final: bool) -> None:
    row = await InboxEvent.get_or_none(id=row_id)
    if row is None:
        return
    row.attempts += 1
    row.last_error = error[:500]
    if final:
        row.status = InboxStatus.FAILED
        row.processed_at = now()
    await row.save(update_fields=["attempts", "last_error", "status", "processed_at"])


async def stale_pending(older_than: float, limit: int = 500) -> list[InboxEvent]:
    """Rows still pending long after they were (re)enqueued: a crash or a lost job."""
    cutoff = now() - timedelta(seconds=older_than)
    return (
        await InboxEvent.filter(status=InboxStatus.PENDING, enqueued_at__lt=cutoff)
        .order_by("id")
        .limit(limit)
    )


async def touch_enqueued(row_ids: list[int]) -> None:
    if row_ids:
        await InboxEvent.filter(id__in=row_ids).update(enqueued_at=now())
