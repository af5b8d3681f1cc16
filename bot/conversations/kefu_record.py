"""Storing one kf decision, all or nothing: the conversation's new state, the customer's
message, the planned replies (outbox rows and their history rows), the rule's day counters
and an unanswered question.

The same statements either way, written by hand (tortoise's query building cost more than
the queries). On PostgreSQL they are parts of one statement (data-modifying ``WITH``): one
round trip instead of seven (BEGIN, five writes, COMMIT), and a single statement is atomic by
itself. SQLite has no such ``WITH``; there they run in turn in the caller's transaction (the
group commit's, shared with other decisions). Only identifiers from the models and
parameter markers go into the SQL text; every value is a parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise import BaseDBAsyncClient

from bot.conversations import rule_counters as stats
from bot.infra.db import db_values, insert_fields, quote
from bot.models import ConversationMessage, KfConversation, OutboxMessage, UnansweredQuestion

# What a decision changes in the conversation row (other fields belong to other paths, e.g.
# the servicer a session change records). The session state is not written from the value the
# decision read: a person may have taken the session meanwhile (a claim, a session change),
# and that must stand. The one change a decision makes to it is in REOPEN.
CONVERSATION_FIELDS = ("unmatched_streak", "nickname", "sent_since_customer", "last_customer_at",
                       "updated_at")
REOPEN = "session_state = CASE WHEN session_state = 4 THEN 0 ELSE session_state END"


@dataclass
class Decision:
    conversation: KfConversation
    inbound: ConversationMessage
    replies: list[tuple[OutboxMessage, ConversationMessage]]  # unsaved; linked when stored
    rule_id: str | None
    at: datetime
    unanswered: UnansweredQuestion | None = None
    suppressed: bool = False  # the rule matched within its cooldown: counted, not answered


async def record(conn: BaseDBAsyncClient, d: Decision) -> None:
    """Store ``d`` on ``conn``; afterwards its outbox rows carry their ids (and are saved
    rows, so the sender updates them)."""
    if conn.capabilities.dialect == "postgres":
        await _one_statement(conn, d)
    else:
        await _in_turn(conn, d)
    for row, message in d.replies:
        row.id = message.outbox_id
        row._saved_in_db = True


class _Params:
    """A statement's parameters and their markers: ``$1, $2…`` numbered across the whole
    statement on PostgreSQL, ``?`` on SQLite."""

    def __init__(self, dialect: str) -> None:
        self.numbered = dialect == "postgres"
        self.values: list[Any] = []

    def add(self, values: list[Any]) -> list[str]:
        start = len(self.values)
        self.values += values
        if not self.numbered:
            return ["?"] * len(values)
        return [f"${start + i + 1}" for i in range(len(values))]


def _update_conversation(p: _Params, conv: KfConversation) -> str:
    marks = p.add(db_values(conv, CONVERSATION_FIELDS))
    sets = ", ".join([*(f"{quote(f)} = {m}"
                        for f, m in zip(CONVERSATION_FIELDS, marks, strict=True)), REOPEN])
    where = p.add([conv.id])[0]
    return f"UPDATE {quote(KfConversation._meta.db_table)} SET {sets} WHERE id = {where}"  # noqa: S608


def _insert(model: type[Any], rows: list[list[str]], returning: str = "") -> str:
    fields = insert_fields(model)
    columns = ", ".join(quote(model._meta.fields_db_projection[f]) for f in fields)
    values = ", ".join(f"({', '.join(r)})" for r in rows)
    table = quote(model._meta.db_table)
    return f"INSERT INTO {table} ({columns}) VALUES {values}{returning}"  # noqa: S608


def _insert_row(p: _Params, instance: Any, returning: str = "") -> str:
    model = type(instance)
    return _insert(model, [p.add(db_values(instance, insert_fields(model)))], returning)


def _history(p: _Params, d: Decision, outbox_id: Callable[[int], str]) -> str:
    """One INSERT for the customer's message and the replies, in order (ids follow the rows'
    order); ``outbox_id(i)``: the SQL naming reply i's outbox row, called in its place."""
    fields = insert_fields(ConversationMessage)
    link = fields.index("outbox_id")
    rows = [p.add(db_values(d.inbound, fields))]
    for i, (_, message) in enumerate(d.replies):
        values = db_values(message, fields)
        rows.append([*p.add(values[:link]), outbox_id(i), *p.add(values[link + 1:])])
    return _insert(ConversationMessage, rows)


def _count(p: _Params, d: Decision, dialect: str) -> str:
    return stats.upsert_sql(p.add(stats.count_values(
        dialect, d.rule_id or "", "kefu", d.at, hits=0 if d.suppressed else 1,
        replies=len(d.replies), suppressed=int(d.suppressed))))


async def _one_statement(conn: BaseDBAsyncClient, d: Decision) -> None:
    p = _Params("postgres")
    parts = [f"c AS ({_update_conversation(p, d.conversation)})"]
    for i, (row, _) in enumerate(d.replies):
        parts.append(f"o{i} AS ({_insert_row(p, row, ' RETURNING id')})")
    # Each history row names the outbox row this very statement inserts.
    parts.append(f"m AS ({_history(p, d, lambda i: f'(SELECT id FROM o{i})')})")  # noqa: S608
    if d.rule_id:
        parts.append(f"s AS ({_count(p, d, 'postgres')})")
    if d.unanswered is not None:
        parts.append(f"u AS ({_insert_row(p, d.unanswered)})")
    ids = ", ".join(f"(SELECT id FROM o{i}) AS o{i}"  # noqa: S608
                    for i in range(len(d.replies)))
    (got,) = await conn.execute_query_dict(f"WITH {', '.join(parts)} SELECT {ids or 'NULL'}",
                                           p.values)
    for i, (_, message) in enumerate(d.replies):
        message.outbox_id = got[f"o{i}"]


async def _in_turn(conn: BaseDBAsyncClient, d: Decision) -> None:
    async def run(build: Any, *args: Any) -> list[dict[str, Any]]:
        p = _Params("sqlite")
        sql = build(p, *args)
        return await conn.execute_query_dict(sql, p.values)

    await run(_update_conversation, d.conversation)
    for row, message in d.replies:
        (got,) = await run(_insert_row, row, " RETURNING id")
        message.outbox_id = got["id"]
    await run(lambda p: _history(p, d, lambda i: p.add([d.replies[i][1].outbox_id])[0]))
    if d.rule_id:
        await run(_count, d, "sqlite")
    if d.unanswered is not None:
        await run(_insert_row, d.unanswered)
