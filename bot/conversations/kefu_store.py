"""The conversations domain's hand-written SQL (its one store module), on ``bot.infra.sql``.

Storing one kf decision, all or nothing: the conversation's new state, the customer's
message, the planned replies (outbox rows and their history rows), the rule's day counters
and an unanswered question. And the rule counters' upsert on its own (``add_rule_counts``).

Written by hand (tortoise's query building cost more than the queries). On PostgreSQL the
decisions under way side by side (a pull's customers) are parts of one statement
(data-modifying ``WITH`` over arrays): one round trip for all of them instead of seven each
(BEGIN, five writes, COMMIT), and a single statement is atomic by itself. SQLite has no
such ``WITH``; there the decisions of a group commit's transaction (a burst's, shared) are
written at its end, one statement for all their conversations' updates (``UPDATE … FROM``
their rows of values), one for their outbox rows, one for their history, one for the
counters, one for the questions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tortoise import BaseDBAsyncClient
from tortoise.backends.base.client import TransactionalDBClient

from bot.infra import sql
from bot.infra.clock import cst_date
from bot.infra.db import base_connection, connection, in_a_transaction
from bot.infra.group_commit import Failed, defer, loop_batcher
from bot.models import (
    ConversationMessage,
    KfConversation,
    OutboxMessage,
    RuleStat,
    UnansweredQuestion,
)

# What a decision changes in the conversation row (other fields belong to other paths, e.g.
# the servicer a session change records). The session state is not written from the value the
# decision read: a person may have taken the session meanwhile (a claim, a session change),
# and that must stand. The one change a decision makes to it is ``reopen``.
CONVERSATION_FIELDS = ("unmatched_streak", "nickname", "updated_at")


def reopen(current: str = "session_state") -> str:
    """The one change a decision makes to the session state: an ended session (4) reopens;
    ``current`` names the row's present state in the statement."""
    return f"session_state = CASE WHEN {current} = 4 THEN 0 ELSE {current} END"


# The kf budget is relative, like WeCom's: replies add to what was sent since the customer's
# last message, and a message newer than the last one known starts the count afresh. The
# puller moves ``last_customer_at`` forward as soon as it sees a newer message
# (``customer_wrote``), possibly while a decision on an older one is under way.


def lock_order(alias: str) -> str:
    """Statements that change several conversation rows lock them in this one order: a
    decision batch and a pull's budgets touch the same customers at once, and in orders of
    their own they deadlocked (PostgreSQL aborts one of the two after a second)."""
    return f"ORDER BY {alias}.open_kfid, {alias}.external_userid"


@dataclass
class Decision:
    conversation: KfConversation
    inbound: ConversationMessage
    replies: list[tuple[OutboxMessage, ConversationMessage]]  # unsaved; linked when stored
    rule_id: str | None
    at: datetime
    customer_at: datetime  # when the customer sent the message decided on
    unanswered: UnansweredQuestion | None = None
    suppressed: bool = False  # the rule matched within its cooldown: counted, not answered


async def record(conn: BaseDBAsyncClient, d: Decision) -> None:
    """Store ``d`` on ``conn``; once stored, its outbox rows carry their ids (and are saved
    rows, so the sender updates them). On PostgreSQL, outside a transaction, with the other
    decisions under way side by side (a pull's customers): one statement for all of them.
    On SQLite, in a group commit's transaction, with the other decisions of that
    transaction, just before it commits (``group_commit.defer``)."""
    if not sql.is_postgres(conn):
        if not defer(conn, _together_on_sqlite, d):
            await _together_on_sqlite(conn, [d])
        return
    if isinstance(conn, TransactionalDBClient):  # the caller's transaction: its own write
        await _together(conn, [d])
    else:
        # Stored before the caller lets go of the conversation's lock, even if cancelled.
        await loop_batcher("kf.decisions", _record_together).submit_shielded(d)
    _saved(d)


def _saved(d: Decision) -> None:
    for row, message in d.replies:
        row.id = message.outbox_id
        row._saved_in_db = True


async def _record_together(ds: list[Decision]) -> list[Failed | None]:
    """Should a shared statement fail, each of its decisions is stored alone, so one that
    cannot be (a duplicate outbox key) fails only its own caller. A conversation decided
    twice in one batch (its lock lost meanwhile) goes in a later statement: one
    ``UPDATE … FROM`` changes a row once, with one of its two matches."""
    conn = base_connection()
    out: list[Failed | None] = [None] * len(ds)
    for now in sql.distinct_rounds([d.conversation.id for d in ds]):
        try:
            await _together(conn, [ds[i] for i in now])
        except Exception as exc:
            if len(now) == 1:
                out[now[0]] = Failed(exc)
            else:
                for i in now:
                    try:
                        await _together(conn, [ds[i]])
                    except Exception as one:
                        out[i] = Failed(one)
    return out


# The rule counters: per rule, channel and day (China time), added to atomically.
_COUNTER_KEY = ("day", "rule_id", "channel")
_COUNTERS = ("hits", "replies", "suppressed")


async def add_rule_counts(conn: BaseDBAsyncClient, rule_id: str, channel: str, at: datetime,
                          *, hits: int = 0, replies: int = 0, suppressed: int = 0) -> None:
    """Add to the day's counters of one rule, atomically (concurrent workers never lose one)."""
    p = sql.Params(sql.dialect_of(conn))
    await conn.execute_query(_count_sql(p, rule_id, channel, at, hits=hits, replies=replies,
                                        suppressed=suppressed), p.values)


def _count_sql(p: sql.Params, rule_id: str, channel: str, at: datetime, *, hits: int,
               replies: int, suppressed: int) -> str:
    day: date | str = cst_date(at)
    if p.dialect != sql.POSTGRES:
        day = cst_date(at).isoformat()
    marks = p.add([day, rule_id, channel, hits, replies, suppressed])
    return sql.insert_sql(sql.table(RuleStat), [*_COUNTER_KEY, *_COUNTERS], [marks],
                          conflict=_COUNTER_KEY, add=_COUNTERS)


def _conversation_values(d: Decision) -> list[Any]:
    """A decision's row of new conversation state, as ``_conversation_sets`` reads it: c0
    the row's id, then CONVERSATION_FIELDS, the replies planned, the customer's time."""
    return [d.conversation.id, *sql.db_values(d.conversation, CONVERSATION_FIELDS),
            len(d.replies), sql.to_db(KfConversation, "last_customer_at", d.customer_at)]


def _update_conversations(p: sql.Params, ds: Sequence[Decision]) -> str:
    """SQLite: the conversations of ``ds`` (distinct) updated in one statement."""
    names = [f"c{i}" for i in range(len(CONVERSATION_FIELDS) + 3)]
    source = sql.values_rows(p, names, [_conversation_values(d) for d in ds])
    return (f"UPDATE {sql.table(KfConversation)} AS k SET {_conversation_sets()} "  # noqa: S608
            f"FROM {source} AS v WHERE k.id = v.c0")


def _conversation_sets() -> str:
    """The SET of a decision's conversation update, from its row ``v`` of new state
    (``_conversation_values``) onto the row ``k``: the fields, ``reopen`` and the budget."""
    n = len(CONVERSATION_FIELDS)
    sets = [f"{sql.quote(c)} = v.c{i + 1}"
            for i, c in enumerate(sql.columns(KfConversation, CONVERSATION_FIELDS))]
    newer = f"(k.last_customer_at IS NULL OR k.last_customer_at < v.c{n + 2})"
    return ", ".join([
        *sets, reopen("k.session_state"),
        f"sent_since_customer = CASE WHEN {newer} THEN v.c{n + 1} "
        f"ELSE k.sent_since_customer + v.c{n + 1} END",
        f"last_customer_at = CASE WHEN {newer} THEN v.c{n + 2} ELSE k.last_customer_at END"])


def _counts(ds: Sequence[Decision]) -> list[tuple[tuple[date, str], list[int]]]:
    """The decisions' rule day counters (hits, replies, suppressed), added up per counter
    (a statement may not change a row twice) and in key order (concurrent statements lock
    shared rows alike)."""
    counts: dict[tuple[date, str], list[int]] = {}
    for d in ds:
        if d.rule_id:
            tally = counts.setdefault((cst_date(d.at), d.rule_id), [0, 0, 0])
            tally[0] += 0 if d.suppressed else 1
            tally[1] += len(d.replies)
            tally[2] += int(d.suppressed)
    return sorted(counts.items())


def _types(model: type[Any], fields: Sequence[str]) -> list[str]:
    return [sql.array_type(model, f) for f in fields]


def _names(count: int) -> str:
    return ", ".join(f"c{i}" for i in range(count))


async def _together(conn: BaseDBAsyncClient, ds: Sequence[Decision]) -> None:
    """PostgreSQL: decisions of distinct conversations in one statement, whose SQL text is
    the same for any number of them and of their replies (``sql.unnest`` says why)."""
    p = sql.Params(sql.POSTGRES)
    # c: each conversation's new state (see CONVERSATION_FIELDS, reopen and the budget).
    conv_types = ["BIGINT[]", *_types(KfConversation, CONVERSATION_FIELDS), "INT[]",
                  "TIMESTAMPTZ[]"]
    convs = sql.unnest(p, conv_types, [_conversation_values(d) for d in ds])
    n = len(CONVERSATION_FIELDS)
    conversations = sql.table(KfConversation)
    (ids,) = p.add([[d.conversation.id for d in ds]])
    parts = [
        f"c AS (UPDATE {conversations} AS k SET {_conversation_sets()} "  # noqa: S608
        f"FROM {convs} AS v({_names(n + 3)}), (SELECT t.id FROM {conversations} AS t "
        f"WHERE t.id = ANY({ids}::BIGINT[]) {lock_order('t')} FOR UPDATE) AS l "
        "WHERE k.id = v.c0 AND l.id = k.id)"]
    # o: the replies' outbox rows.
    out_fields = sql.insert_fields(OutboxMessage)
    parts.append("o AS (" + sql.insert_rows_sql(
        p, OutboxMessage, out_fields,
        [sql.db_values(row, out_fields) for d in ds for row, _ in d.replies],
        returning=("id", "key")) + ")")
    # m: the customer's message, then its replies, each linked to its outbox row (by key);
    # ids follow the rows' order.
    fields = sql.insert_fields(ConversationMessage)
    link = fields.index("outbox_id")
    rows = []
    for d in ds:
        inbound = sql.db_values(d.inbound, fields)
        inbound[link] = None
        rows.append(inbound)
        for row, message in d.replies:
            values = sql.db_values(message, fields)
            rows.append([*values[:link], row.key, *values[link + 1:]])
    types = _types(ConversationMessage, fields)
    types[link] = "text[]"
    history = sql.unnest(p, types, rows)
    picked = ", ".join("o.id" if i == link else f"v.c{i}" for i in range(len(fields)))
    cols = ", ".join(sql.quote(c) for c in sql.columns(ConversationMessage, fields))
    parts.append(
        f"m AS (INSERT INTO {sql.table(ConversationMessage)} ({cols}) "  # noqa: S608
        f"SELECT {picked} FROM {history} WITH ORDINALITY AS v({_names(len(fields))}, ord) "
        f"LEFT JOIN o ON o.key = v.c{link} ORDER BY v.ord)")
    # s: the rules' day counters, added up per counter first (a statement may not change a
    # row twice) and in key order (concurrent statements lock shared rows alike).
    stat_fields = [*_COUNTER_KEY, *_COUNTERS]
    parts.append("s AS (" + sql.insert_rows_sql(
        p, RuleStat, stat_fields,
        [[day, rule_id, "kefu", *tally] for (day, rule_id), tally in _counts(ds)])
        + f" ON CONFLICT ({', '.join(sql.quote(c) for c in _COUNTER_KEY)}) DO UPDATE SET "
        + ", ".join(f"{sql.quote(c)} = {sql.table(RuleStat)}.{sql.quote(c)} + "
                    f"excluded.{sql.quote(c)}" for c in _COUNTERS) + ")")
    # u: the questions nothing answered.
    asked = [d.unanswered for d in ds if d.unanswered is not None]
    q_fields = sql.insert_fields(UnansweredQuestion)
    parts.append("u AS (" + sql.insert_rows_sql(
        p, UnansweredQuestion, q_fields, [sql.db_values(q, q_fields) for q in asked]) + ")")
    got = await conn.execute_query_dict(
        f"WITH {', '.join(parts)} SELECT id, key FROM o", p.values)  # noqa: S608
    stored = {r["key"]: r["id"] for r in got}
    for d in ds:
        for row, message in d.replies:
            message.outbox_id = stored[row.key]


async def _together_on_sqlite(conn: BaseDBAsyncClient, ds: list[Decision]) -> None:
    """SQLite, in the caller's transaction: the decisions' conversation updates, outbox
    rows, history rows, counters and questions, one statement each."""
    async def run(build: Any, *args: Any) -> list[dict[str, Any]]:
        p = sql.Params(sql.SQLITE)
        return await conn.execute_query_dict(build(p, *args), p.values)

    # A conversation decided twice here (its lock lost meanwhile) goes in a later statement:
    # one UPDATE … FROM changes a row once, with one of its matches.
    for now in sql.distinct_rounds([d.conversation.id for d in ds]):
        await run(_update_conversations, [ds[i] for i in now])
    out_fields = sql.insert_fields(OutboxMessage)
    replies = [(row, message) for d in ds for row, message in d.replies]
    if replies:
        got = await run(lambda p: sql.insert_rows_sql(
            p, OutboxMessage, out_fields, [sql.db_values(row, out_fields) for row, _ in replies],
            returning=("id", "key")))
        stored = {r["key"]: r["id"] for r in got}
        for row, message in replies:
            message.outbox_id = stored[row.key]
    fields = sql.insert_fields(ConversationMessage)
    messages = [m for d in ds for m in (d.inbound, *(m for _, m in d.replies))]
    await run(lambda p: sql.insert_rows_sql(
        p, ConversationMessage, fields, [sql.db_values(m, fields) for m in messages]))
    counts = _counts(ds)
    if counts:
        await run(lambda p: sql.insert_sql(
            sql.table(RuleStat), [*_COUNTER_KEY, *_COUNTERS],
            [p.add([day.isoformat(), rule_id, "kefu", *tally])
             for (day, rule_id), tally in counts],
            conflict=_COUNTER_KEY, add=_COUNTERS))
    asked = [d.unanswered for d in ds if d.unanswered is not None]
    if asked:
        q_fields = sql.insert_fields(UnansweredQuestion)
        await run(lambda p: sql.insert_rows_sql(
            p, UnansweredQuestion, q_fields, [sql.db_values(q, q_fields) for q in asked]))
    for d in ds:
        _saved(d)


async def customer_wrote(latest: dict[tuple[str, str], datetime],
                         conn: BaseDBAsyncClient | None = None) -> None:
    """The newest new message each customer sent, as a pull just stored it (before any of
    them is decided): their budgets count from it, as WeCom's does, so decisions on older
    messages of a backlog know what is left for the newest. A new message in the same
    second as the last one known starts the count afresh too (it is new: the pull stored
    it just now). A customer without a conversation row gets one. One statement for the
    whole batch (it runs for every pull). ``conn``: the transaction it belongs to."""
    if not latest:
        return
    conn = conn or connection()
    p = sql.Params(sql.dialect_of(conn))
    fields = sql.insert_fields(KfConversation)
    rows = []
    for (open_kfid, external_userid), at in sorted(latest.items()):  # see lock_order
        row = KfConversation(open_kfid=open_kfid, external_userid=external_userid,
                             last_customer_at=at)
        rows.append(p.add(sql.db_values(row, fields)))
    await conn.execute_query(sql.insert_model_sql(KfConversation, rows) + _WROTE, p.values)


# A customer's newest message restarts the budget unless a later message is known.
_WROTE = (" ON CONFLICT (open_kfid, external_userid) DO UPDATE SET "
          "last_customer_at = excluded.last_customer_at, sent_since_customer = 0 "
          "WHERE kf_conversation.last_customer_at IS NULL "
          "OR kf_conversation.last_customer_at <= excluded.last_customer_at")


def customer_wrote_sql(p: sql.Params, wrote: Sequence[tuple[str, str, str, datetime]],
                       stored: str) -> str:
    """``customer_wrote`` as one part of a pull's statement on PostgreSQL (a data-modifying
    ``WITH``): ``wrote`` holds (dedupe key, open_kfid, external_userid, sent at) of each
    customer message of the batch, ``stored`` names the relation of the inbox rows the same
    statement inserted (with their ``dedupe_key``), so only messages stored just now count."""
    # One SQL text for any number of messages (sql.unnest says why).
    messages = sql.unnest(p, ["text[]", "text[]", "text[]", "timestamptz[]"], [
        (key, open_kfid, external_userid, sql.to_db(KfConversation, "last_customer_at", at))
        for key, open_kfid, external_userid, at in wrote])
    fields = sql.insert_fields(KfConversation)
    template = sql.db_values(KfConversation(open_kfid="", external_userid=""), fields)
    picked = {"open_kfid": "w.open_kfid", "external_userid": "w.external_userid",
              "last_customer_at": "max(w.at)"}
    select = [picked.get(f) or p.add([v])[0] for f, v in zip(fields, template, strict=True)]
    cols = ", ".join(sql.quote(c) for c in sql.columns(KfConversation, fields))
    return (f"INSERT INTO {sql.table(KfConversation)} ({cols}) "  # noqa: S608
            f"SELECT {', '.join(select)} FROM {messages} "
            f"AS w(key, open_kfid, external_userid, at) JOIN {stored} "
            f"ON {stored}.dedupe_key = w.key GROUP BY w.open_kfid, w.external_userid "
            f"{lock_order('w')}" + _WROTE)


async def conversation(open_kfid: str, external_userid: str) -> KfConversation | None:
    """The conversation row, read with those of the other decisions under way side by side
    (a pull's customers): one SELECT for all of them. Each asks holding its conversation's
    lock, and the SELECT runs after it asked, so it reads what the last holder wrote."""
    if in_a_transaction():  # it reads what its own transaction wrote
        return (await conversations([(open_kfid, external_userid)]))[0]
    return await loop_batcher("kf.conversations", _conversations_outside).submit(
        (open_kfid, external_userid))


async def _conversations_outside(keys: Sequence[tuple[str, str]]
                                 ) -> list[KfConversation | None]:
    return await conversations(keys, base_connection())


async def conversations(keys: Sequence[tuple[str, str]], conn: BaseDBAsyncClient | None = None
                        ) -> list[KfConversation | None]:
    """The conversation rows of ``keys`` (open_kfid, external_userid), None where there is
    none."""
    conn = conn or connection()
    p = sql.Params(sql.dialect_of(conn))
    unique = list(dict.fromkeys(keys))
    if p.dialect == sql.POSTGRES:
        # One SQL text for any number of keys (sql.unnest says why).
        wanted = f"SELECT * FROM {sql.unnest(p, ['text[]', 'text[]'], unique)}"  # noqa: S608
    else:
        wanted = "VALUES " + ", ".join(f"({', '.join(p.add(k))})" for k in unique)
    projection = KfConversation._meta.fields_db_projection
    rows = await conn.execute_query_dict(
        f"SELECT {', '.join(sql.quote(c) for c in projection.values())} "  # noqa: S608
        f"FROM {sql.table(KfConversation)} WHERE (open_kfid, external_userid) IN ({wanted})",
        p.values)
    found = {(r["open_kfid"], r["external_userid"]): r for r in rows}
    return [KfConversation._init_from_db(**found[k]) if k in found else None for k in keys]
