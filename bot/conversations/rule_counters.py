"""Bookkeeping for the statistics pages: per rule, channel and day counters (an upsert)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise import BaseDBAsyncClient

from bot.infra.clock import cst_date
from bot.infra.db import connection, param_markers


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
    dialect = conn.capabilities.dialect
    await conn.execute_query(upsert_sql(param_markers(dialect, 6)), count_values(
        dialect, rule_id, channel, at, hits=hits, replies=replies, suppressed=suppressed))


def upsert_sql(marks: list[str]) -> str:
    """The counter upsert, its six values given by ``marks`` (see ``count_values``)."""
    return (
        "INSERT INTO rule_stat (day, rule_id, channel, hits, replies, suppressed) "  # noqa: S608
        f"VALUES ({', '.join(marks)}) ON CONFLICT (day, rule_id, channel) DO UPDATE SET "
        "hits = rule_stat.hits + excluded.hits, replies = rule_stat.replies + excluded.replies, "
        "suppressed = rule_stat.suppressed + excluded.suppressed"
    )


def count_values(dialect: str, rule_id: str, channel: str, at: datetime, *, hits: int = 0,
                 replies: int = 0, suppressed: int = 0) -> list[Any]:
    day = cst_date(at)
    return [day if dialect == "postgres" else day.isoformat(), rule_id, channel, hits, replies,
            suppressed]
