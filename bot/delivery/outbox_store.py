"""The outbox's hand-written SQL (the delivery step's one store module), on ``bot.infra.sql``.

The sender's outcome for a row runs once for every message sent: tortoise built its
conditional UPDATE anew each time (a queryset, cloned at each step), which cost more than
the statement itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tortoise import BaseDBAsyncClient

from bot.infra import sql
from bot.models import OutboxMessage, OutboxStatus


async def finish(conn: BaseDBAsyncClient, row_id: int, values: Mapping[str, Any]) -> bool:
    """Write ``values`` (fields of the row) to row ``row_id`` if it is still pending;
    whether it was."""
    p = sql.Params(sql.dialect_of(conn))
    marks = p.add([sql.to_db(OutboxMessage, f, v) for f, v in values.items()])
    sets = ", ".join(f"{sql.quote(c)} = {m}"
                     for c, m in zip(sql.columns(OutboxMessage, list(values)), marks, strict=True))
    rid, pending = p.add([row_id, OutboxStatus.PENDING.value])
    count, _ = await conn.execute_query(
        f"UPDATE {sql.table(OutboxMessage)} SET {sets} "  # noqa: S608
        f"WHERE id = {rid} AND status = {pending}", p.values)
    return bool(count)
