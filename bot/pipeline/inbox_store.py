"""The inbox's hand-written SQL (the pipeline's one store module), on ``bot.infra.sql``.

On the callback path, where building tortoise's queries cost more than running them: the
insert-ignore of a burst of events (the unique dedupe key decides which are new),
marking rows done and stamping rows queued again. And a kf pull's batch: its rows, its
customers' budgets (the conversations' ``customer_wrote``) and which of its threads wait
behind an earlier row, in one statement on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.conversations import kefu_store
from bot.infra import sql
from bot.infra.clock import utcnow
from bot.infra.db import base_connection, connection
from bot.infra.group_commit import group_commit
from bot.models import InboxEvent, InboxStatus, KfCursor

COLUMNS = ("app", "dedupe_key", "fmt", "event_type", "time_boxed", "plaintext", "status",
           "attempts", "received_at", "enqueued_at", "thread")


# The stamps' position in COLUMNS: the only values whose database form differs from the
# value (str, bool, int and None go in as they are), one stamp for a whole batch.
_STAMPS = (COLUMNS.index("received_at"), COLUMNS.index("enqueued_at"))


def _insert(p: sql.Params, rows: Sequence[Sequence[Any]], returning: tuple[str, ...]) -> str:
    # One SQL text for any number of rows on PostgreSQL (sql.unnest says why).
    converted: dict[Any, Any] = {}
    values = []
    for row in rows:
        value = list(row)
        for i in _STAMPS:
            stamp = value[i]
            if stamp not in converted:
                converted[stamp] = sql.to_db(InboxEvent, COLUMNS[i], stamp)
            value[i] = converted[stamp]
        values.append(value)
    return sql.insert_rows_sql(p, InboxEvent, COLUMNS, values, conflict=("dedupe_key",),
                               returning=returning)


def marks_ride_with_inserts() -> bool:
    """Whether ``insert_new`` marks rows done in its own statement (PostgreSQL), so a
    flush of both is one write that fails or holds for all."""
    return sql.dialect_of(connection()) == sql.POSTGRES


async def insert_new(rows: Sequence[Sequence[Any]], *, done: Sequence[int] = (),
                     at: datetime | None = None) -> dict[str, int]:
    """Insert ``rows`` (values in ``COLUMNS`` order, distinct dedupe keys), skipping those
    whose dedupe key is stored already; returns the ids of the rows inserted, by key. And
    marks the rows ``done`` done at ``at``: in the same statement on PostgreSQL (a burst's
    callbacks and its passive answers cost one round trip), after it on SQLite. Outside
    any transaction (the inbox writer's batch flushes it for many callers)."""
    conn = base_connection()
    p = sql.Params(sql.dialect_of(conn))
    got: list[dict[str, Any]] = []
    if rows:
        insert = _insert(p, rows, ("id", "dedupe_key"))
        if done and p.dialect == sql.POSTGRES:
            insert = f"WITH done AS ({_mark_done_sql(p, done, at or utcnow())}) {insert}"
            done = ()
        got = await conn.execute_query_dict(insert, p.values)
    if done:
        await mark_done(done, at or utcnow())
    return {r["dedupe_key"]: int(r["id"]) for r in got}


@dataclass(frozen=True)
class Pulled:
    ids: dict[str, int]  # the rows inserted, by dedupe key
    earlier: dict[str, frozenset[int]]  # by key: its thread's earlier rows still pending


async def insert_pulled(rows: Sequence[Sequence[Any]],
                        wrote: Sequence[tuple[str, str, str, datetime]],
                        cursor: tuple[str, str] | None = None) -> Pulled:
    """``insert_new`` for a kf pull's batch, telling for each row inserted which earlier
    rows of its thread are still pending (this batch's included); for the customer messages
    among the rows inserted (``wrote``: dedupe key, open_kfid, external_userid, sent at),
    the conversations' ``customer_wrote``; and the account's sync_msg cursor after the
    batch (``cursor``: open_kfid, next_cursor), saved with it. One statement on
    PostgreSQL; on SQLite (no data-modifying ``WITH``) one for each part, in one
    transaction."""
    conn = connection()
    p = sql.Params(sql.dialect_of(conn))
    if not rows:
        if cursor is not None:
            await conn.execute_query(_save_cursor(p, *cursor), p.values)
        return Pulled({}, {})
    insert = _insert(p, rows, ("id", "dedupe_key", "thread"))
    (pending,) = p.add([InboxStatus.PENDING.value])
    batch_keys = sql.any_of(p, InboxEvent, "dedupe_key",
                            [r[COLUMNS.index("dedupe_key")] for r in rows], column="e.dedupe_key")
    table = sql.table(InboxEvent)
    # The thread's earlier pending rows outside this batch: SQLite's sub-query would see
    # the batch's own rows and PostgreSQL's not, so those are added below, alike on both.
    ids_of = "ARRAY(SELECT e.id" if p.dialect == sql.POSTGRES else "(SELECT group_concat(e.id)"
    insert += (f", {ids_of} FROM {table} e WHERE e.thread = {table}.thread "
               f"AND e.status = {pending} AND e.id < {table}.id "
               f"AND NOT {batch_keys}) AS earlier")
    if p.dialect == sql.POSTGRES:
        parts = [f"new AS ({insert})"]
        if wrote:
            parts.append(f"wrote AS ({kefu_store.customer_wrote_sql(p, wrote, 'new')})")
        if cursor is not None:
            parts.append(f"cursor AS ({_save_cursor(p, *cursor)})")
        got = await conn.execute_query_dict(
            f"WITH {', '.join(parts)} SELECT * FROM new", p.values)  # noqa: S608
    else:
        async def write(tx: Any) -> list[dict[str, Any]]:
            # May run twice (alone after a failed shared try): built from plain values.
            inserted = await tx.execute_query_dict(insert, p.values)
            new = {r["dedupe_key"] for r in inserted}
            latest: dict[tuple[str, str], datetime] = {}
            for key, open_kfid, external_userid, at in wrote:
                who = (open_kfid, external_userid)
                if key in new and (who not in latest or latest[who] < at):
                    latest[who] = at
            await kefu_store.customer_wrote(latest, tx)
            if cursor is not None:
                q = sql.Params(sql.SQLITE)
                await tx.execute_query(_save_cursor(q, *cursor), q.values)
            return inserted

        # One write of the group commit: the batch, the budgets and the cursor commit
        # together, in the transaction the decisions under way share (three statements
        # committed on their own each waited for that transaction, and cost a commit).
        got = await group_commit().run(write)
    ids = {r["dedupe_key"]: int(r["id"]) for r in got}
    earlier: dict[str, frozenset[int]] = {}
    batch: dict[str, list[int]] = {}  # the batch's rows so far, by thread
    for r in sorted(got, key=lambda r: int(r["id"])):
        thread, found = r["thread"], r["earlier"]
        before = [int(i) for i in (found.split(",") if isinstance(found, str) else found or [])]
        earlier[r["dedupe_key"]] = frozenset([*before, *batch.get(thread, [])])
        if thread:
            batch.setdefault(thread, []).append(int(r["id"]))
    return Pulled(ids, earlier)


def _save_cursor(p: sql.Params, open_kfid: str, cursor: str) -> str:
    row = KfCursor(open_kfid=open_kfid, cursor=cursor)
    fields = sql.insert_fields(KfCursor)
    return sql.insert_model_sql(KfCursor, [p.add(sql.db_values(row, fields))]) + (
        " ON CONFLICT (open_kfid) DO UPDATE SET cursor = excluded.cursor, "
        "updated_at = excluded.updated_at")


def _mark_done_sql(p: sql.Params, row_ids: Sequence[int], at: datetime) -> str:
    status, stamp = p.add([InboxStatus.DONE.value, sql.to_db(InboxEvent, "processed_at", at)])
    return (f"UPDATE {sql.table(InboxEvent)} SET status={status}, "  # noqa: S608
            f"processed_at={stamp} WHERE {sql.any_of(p, InboxEvent, 'id', row_ids)}")


async def mark_done(row_ids: Sequence[int], at: datetime) -> None:
    conn = base_connection()  # as insert_new
    p = sql.Params(sql.dialect_of(conn))
    await conn.execute_query(_mark_done_sql(p, row_ids, at), p.values)


async def touch_enqueued(row_ids: Sequence[int], at: datetime) -> None:
    """Stamp rows as enqueued (again) now: by hand, for one SQL text for any count."""
    conn = connection()
    p = sql.Params(sql.dialect_of(conn))
    (stamp,) = p.add([sql.to_db(InboxEvent, "enqueued_at", at)])
    await conn.execute_query(
        f"UPDATE {sql.table(InboxEvent)} SET enqueued_at={stamp} "  # noqa: S608
        f"WHERE {sql.any_of(p, InboxEvent, 'id', row_ids)}", p.values)


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
