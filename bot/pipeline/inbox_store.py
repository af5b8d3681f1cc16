"""The inbox's hand-written SQL (the pipeline's one store module), on ``bot.infra.sql``.

On the callback path, where building tortoise's queries cost more than running them: the
insert-ignore of a burst of events (the unique dedupe key decides which are new) and
marking rows done.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.infra import sql
from bot.infra.db import connection
from bot.models import InboxEvent, InboxStatus

COLUMNS = ("app", "dedupe_key", "fmt", "event_type", "time_boxed", "plaintext", "status",
           "attempts", "received_at", "enqueued_at", "thread")


async def insert_new(rows: Sequence[Sequence[Any]]) -> dict[str, int]:
    """Insert ``rows`` (values in ``COLUMNS`` order, distinct dedupe keys), skipping those
    whose dedupe key is stored already; returns the ids of the rows inserted, by key."""
    conn = connection()
    p = sql.Params(sql.dialect_of(conn))
    marks = [p.add([sql.to_db(InboxEvent, c, v) for c, v in zip(COLUMNS, row, strict=True)])
             for row in rows]
    statement = sql.insert_sql(sql.table(InboxEvent), COLUMNS, marks, conflict=("dedupe_key",),
                               returning=("id", "dedupe_key"))
    got = await conn.execute_query_dict(statement, p.values)
    return {r["dedupe_key"]: int(r["id"]) for r in got}


async def mark_done(row_ids: Sequence[int], at: datetime) -> None:
    conn = connection()
    p = sql.Params(sql.dialect_of(conn))
    status, stamp = p.add([InboxStatus.DONE.value, sql.to_db(InboxEvent, "processed_at", at)])
    ids = p.add(list(row_ids))
    await conn.execute_query(
        f"UPDATE {sql.table(InboxEvent)} SET status={status}, processed_at={stamp} "  # noqa: S608
        f"WHERE id IN ({','.join(ids)})", p.values)


async def pending_ids_upto(thread: str, row_id: int, limit: int = 100) -> list[int]:
    """The ids of the thread's pending rows up to ``row_id`` (itself included), oldest first.
    Read for every pulled kf item: by hand, like the insert."""
    conn = connection()
    p = sql.Params(sql.dialect_of(conn))
    t, status, upto = p.add([thread, InboxStatus.PENDING.value, row_id])
    rows = await conn.execute_query_dict(
        f"SELECT id FROM {sql.table(InboxEvent)} WHERE thread = {t} "  # noqa: S608
        f"AND status = {status} AND id <= {upto} ORDER BY id LIMIT {int(limit)}", p.values)
    return [int(r["id"]) for r in rows]
