"""The outbox's hand-written SQL (the delivery step's one store module), on ``bot.infra.sql``.

The sender's outcome for a row runs once for every message sent: tortoise built its
conditional UPDATE anew each time (a queryset, cloned at each step), which cost more than
the statement itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tortoise import BaseDBAsyncClient

from bot.infra import sql
from bot.infra.group_commit import Failed
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


async def finish_together(conn: BaseDBAsyncClient, items: Sequence[tuple[int, Mapping[str, Any]]]
                          ) -> list[bool | Failed]:
    """``finish`` for the rows of several senders at once, one statement per set of fields
    (nearly always one: every sent row writes the same fields); per row, whether it was
    still pending. Should a statement fail, each of its rows is written alone, so a row
    that cannot be written fails only its own sender."""
    out: list[bool | Failed] = [False] * len(items)
    # A row named twice (two senders' outcomes at once) goes in a later round.
    for round_ in sql.distinct_rounds([row_id for row_id, _ in items]):
        now: dict[tuple[str, ...], list[int]] = {}
        for i in round_:
            now.setdefault(tuple(items[i][1]), []).append(i)
        for fields, indexes in now.items():
            try:
                done = await _update_pending(conn, fields, [items[i] for i in indexes])
            except Exception as exc:
                if len(indexes) == 1:
                    out[indexes[0]] = Failed(exc)
                    continue
                for i in indexes:
                    try:
                        out[i] = await finish(conn, *items[i])
                    except Exception as one:
                        out[i] = Failed(one)
                continue
            for i in indexes:
                out[i] = items[i][0] in done
    return out


async def _update_pending(conn: BaseDBAsyncClient, fields: tuple[str, ...],
                          items: Sequence[tuple[int, Mapping[str, Any]]]) -> set[int]:
    p = sql.Params(sql.dialect_of(conn))
    cols = sql.columns(OutboxMessage, fields)
    names = ["id", *(sql.quote(c) for c in cols)]
    rows = [[row_id, *(sql.to_db(OutboxMessage, f, values[f]) for f in fields)]
            for row_id, values in items]
    if p.dialect == sql.POSTGRES:
        source = sql.unnest(
            p, ["BIGINT[]", *(sql.array_type(OutboxMessage, f) for f in fields)], rows)
        source += f" AS v({', '.join(names)})"
        returned = "o.id"
    else:
        # SQLite takes neither a column list after the alias nor a qualified RETURNING.
        source, returned = sql.values_rows(p, names, rows) + " AS v", "id"
    (pending,) = p.add([OutboxStatus.PENDING.value])
    sets = ", ".join(f"{sql.quote(c)} = v.{sql.quote(c)}" for c in cols)
    got = await conn.execute_query_dict(
        f"UPDATE {sql.table(OutboxMessage)} AS o SET {sets} "  # noqa: S608
        f"FROM {source} WHERE o.id = v.id AND o.status = {pending} "
        f"RETURNING {returned}", p.values)
    return {int(r["id"]) for r in got}
