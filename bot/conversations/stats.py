"""Bookkeeping for the statistics pages: per rule, channel and day counters (an upsert)."""

from __future__ import annotations

from datetime import datetime

from tortoise import BaseDBAsyncClient

from bot.conversations.common import day_of
from bot.db import connection, placeholders


async def count_rule(
    rule_id: str,
    channel: str,
    at: datetime,
    *,
    hits: int = 0,
    replies: int = 0,
    suppressed: int = 0,
    using_db: BaseDBAsyncClient | None = None,
) -> None:
    """Add to today's counters of one rule, atomically (concurrent workers never lose one)."""
    conn = using_db or connection()
    marks = ", ".join(placeholders(conn.capabilities.dialect, 6))
    sql = (
        "INSERT INTO rule_stat (day, rule_id, channel, hits, replies, suppressed) "  # noqa: S608
        f"VALUES ({marks}) ON CONFLICT (day, rule_id, channel) DO UPDATE SET "
        "hits = rule_stat.hits + excluded.hits, replies = rule_stat.replies + excluded.replies, "
        "suppressed = rule_stat.suppressed + excluded.suppressed"
    )
    day = day_of(at)
    await conn.execute_query(sql, [day if conn.capabilities.dialect == "postgres" else
                                   day.isoformat(), rule_id, channel, hits, replies, suppressed])
