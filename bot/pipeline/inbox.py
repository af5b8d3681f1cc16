"""The durable inbox: every accepted callback is stored, once, before it is acknowledged."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.infra.clock import utcnow
from bot.infra.group_commit import Batcher, Failed
from bot.models import InboxEvent, InboxStatus
from bot.pipeline import inbox_store


@dataclass(frozen=True, slots=True)
class NewEvent:
    app: str
    dedupe_key: str
    fmt: str
    event_type: str
    time_boxed: bool
    plaintext: str
    thread: str | None = None  # see InboxEvent.thread


class InboxWriter:
    """Writes to the inbox with group commit (bot.infra.group_commit): the callbacks of a
    burst are stored by one statement, and the rows their passive answers marked done
    meanwhile are marked by that same statement on PostgreSQL. On SQLite these are two
    statements, and each caller shares the fate of its own only: a failed mark must not
    answer 503 for callbacks that are stored."""

    def __init__(self, *, max_batch: int = 256) -> None:
        self._writes: Batcher[NewEvent | int, int | None] = Batcher(self._write_many,
                                                                     max_batch=max_batch)

    async def store(self, event: NewEvent) -> int | None:
        """The new row's id once it is durable; None when the key was seen before (a retry).

        The unique dedupe key is the guard: a Redis pre-check would cost every callback a
        round trip and could not be trusted alone (a crash between mark and insert would lose
        the event). Raises on a storage failure, so the caller answers non-200 and WeCom
        retries.
        """
        return await self._writes.submit(event)

    async def mark_done(self, row_id: int) -> None:
        """Once the row is durably done (its handler must not run again)."""
        await self._writes.submit(row_id)

    async def store_pulled(self, events: Sequence[NewEvent],
                           wrote: Sequence[tuple[str, str, str, datetime]],
                           cursor: tuple[str, str] | None = None,
                           ) -> tuple[list[int | None], dict[str, frozenset[int]]]:
        """A kf pull's batch, stored at once (it is a batch already) with its customers'
        budgets moved on (``wrote``) and the account's cursor after it (``cursor``), see
        ``inbox_store.insert_pulled``: each event's new row id (None when seen before), and
        by dedupe key, which earlier rows of its thread are still pending."""
        if not events and cursor is None:
            return [], {}
        first = _first_of_each(events)
        pulled = await inbox_store.insert_pulled(_rows(first.values()), wrote, cursor)
        return _owned(events, first, pulled.ids), pulled.earlier

    @staticmethod
    async def _write_many(items: list[NewEvent | int]) -> list[int | Failed | None]:
        events = [i for i in items if isinstance(i, NewEvent)]
        done = [i for i in items if isinstance(i, int)]
        first = _first_of_each(events)
        rows = _rows(first.values())
        stored: Sequence[int | Failed | None]
        marked: Failed | None = None
        if not done or inbox_store.marks_ride_with_inserts():
            # One statement: it fails for all of them or for none (raised to each).
            stored = _owned(events, first,
                            await inbox_store.insert_new(rows, done=done, at=utcnow()))
        else:
            try:
                stored = _owned(events, first, await inbox_store.insert_new(rows))
            except Exception as exc:
                stored = [Failed(exc)] * len(events)
            try:
                await inbox_store.mark_done(done, utcnow())
            except Exception as exc:
                marked = Failed(exc)
        each = iter(stored)
        return [next(each) if isinstance(i, NewEvent) else marked for i in items]


def _first_of_each(events: Iterable[NewEvent]) -> dict[str, NewEvent]:
    first: dict[str, NewEvent] = {}
    for ev in events:
        first.setdefault(ev.dedupe_key, ev)
    return first


def _rows(events: Iterable[NewEvent]) -> list[tuple[Any, ...]]:
    stamp = utcnow()
    return [(ev.app, ev.dedupe_key, ev.fmt, ev.event_type[:96], ev.time_boxed, ev.plaintext,
             InboxStatus.PENDING.value, 0, stamp, stamp, ev.thread) for ev in events]


def _owned(events: Sequence[NewEvent], first: dict[str, NewEvent],
           ids: dict[str, int]) -> list[int | None]:
    # Only the first occurrence of a key in the batch owns the new row.
    return [ids.get(ev.dedupe_key) if first[ev.dedupe_key] is ev else None for ev in events]


async def record_failure(row_id: int, error: str, *, final: bool) -> None:
    row = await InboxEvent.get_or_none(id=row_id)
    if row is None:
        return
    row.attempts += 1
    row.last_error = error[:500]
    if final:
        row.status = InboxStatus.FAILED
        row.processed_at = utcnow()
    await row.save(update_fields=["attempts", "last_error", "status", "processed_at"])


async def record_done_with(row_id: int, reason: str) -> None:
    """Done, with why it ended short of the usual (a reply that could not be delivered, an
    event not acted on)."""
    await InboxEvent.filter(id=row_id).update(status=InboxStatus.DONE, last_error=reason[:500],
                                              processed_at=utcnow())


async def stale_pending(older_than: float, limit: int = 500) -> list[InboxEvent]:
    """Rows still pending long after they were (re)enqueued: a crash or a lost job."""
    cutoff = utcnow() - timedelta(seconds=older_than)
    return (
        await InboxEvent.filter(status=InboxStatus.PENDING, enqueued_at__lt=cutoff)
        .order_by("id")
        .limit(limit)
    )


async def keep_passive_reply(row_id: int, record: dict[str, object]) -> None:
    await InboxEvent.filter(id=row_id).update(passive_reply=record)


# Settled rows go in batches of this many (a short statement never holds the callbacks'
# inserts up for long: SQLite has one writer), batch after batch for up to PRUNE_SECONDS a
# run, well inside a job's timeout. At 40-50 ms a batch on PostgreSQL here, a run deletes
# about a million rows: more than any traffic one deploy takes in a minute.
PRUNE_BATCH = 5_000
PRUNE_SECONDS = 10.0


async def prune_settled(keep_days: float) -> int:
    """Delete the rows settled (done or failed) that were received over ``keep_days`` ago,
    and their decrypted text with them: how many went.

    A retry of a callback comes within seconds and kf/sync_msg hands out the last 3 days
    (protocol-2.md §6.2), so older dedupe keys are never asked for again. Pending rows stay
    whatever their age (nothing acknowledged is lost), and so does the newest row: a
    serve's start reads when the last callback came (``outages.startup_window``).
    """
    before = utcnow() - timedelta(days=keep_days)
    newest = await InboxEvent.all().order_by("-id").limit(1).values_list("id", flat=True)
    if not newest:
        return 0
    deleted = 0
    until = time.monotonic() + PRUNE_SECONDS
    while True:
        ids = await (InboxEvent.filter(received_at__lt=before, id__lt=newest[0],
                                       status__in=[InboxStatus.DONE, InboxStatus.FAILED])
                     # By arrival: a range of its index, which ends at once when nothing
                     # is old enough (in id order the scan would walk the whole table).
                     .order_by("received_at", "id").limit(PRUNE_BATCH)
                     .values_list("id", flat=True))
        if not ids:
            break
        deleted += await InboxEvent.filter(id__in=ids).delete()
        if len(ids) < PRUNE_BATCH or time.monotonic() >= until:
            break
    return deleted


@dataclass(frozen=True)
class EarlierDelivery:
    """What became of the row an earlier delivery of a callback stored."""

    row_id: int
    pending: bool
    time_boxed: bool
    received_at: datetime
    passive_reply: dict[str, object] | None  # what it was answered with, if passively


async def earlier_delivery(dedupe_key: str) -> EarlierDelivery | None:
    rows = await InboxEvent.filter(dedupe_key=dedupe_key).limit(1).values_list(
        "id", "status", "time_boxed", "received_at", "passive_reply")
    if not rows:
        return None
    row_id, status, time_boxed, received_at, reply = rows[0]
    return EarlierDelivery(int(row_id), status == InboxStatus.PENDING, bool(time_boxed),
                           received_at, reply if isinstance(reply, dict) else None)


def kf_thread(open_kfid: str | None, external_userid: str | None) -> str | None:
    """The thread of a kf item: its customer on its account (None when it names neither)."""
    return f"kf:{open_kfid}:{external_userid}" if open_kfid and external_userid else None


async def pending_upto(thread: str, row_id: int) -> list[int]:
    """The ids of the thread's rows up to ``row_id`` (itself included) still pending,
    oldest first."""
    return await inbox_store.pending_ids_upto(thread, row_id)


async def touch_enqueued(row_ids: list[int]) -> None:
    if row_ids:
        await inbox_store.touch_enqueued(row_ids, utcnow())
