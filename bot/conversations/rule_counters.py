"""Bookkeeping for the statistics pages: per rule, channel and day counters."""

from __future__ import annotations

from datetime import datetime

from tortoise import BaseDBAsyncClient

from bot.conversations import kefu_store
from bot.infra.db import connection


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
    await kefu_store.add_rule_counts(using_db or connection(), rule_id, channel, at, hits=hits,
                                     replies=replies, suppressed=suppressed)
