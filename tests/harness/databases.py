"""Empty databases for a test: PostgreSQL's schema dropped, Redis's database flushed."""

from __future__ import annotations

from pathlib import Path

import asyncpg
import redis.asyncio as aioredis

from tests.harness.env import PG_URL, REDIS_URL

SQLITE_NAME = "bot.sqlite3"


async def fresh_postgres() -> None:
    conn = await asyncpg.connect(PG_URL.replace("postgres://", "postgresql://"))
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await conn.close()


async def fresh_sqlite(folder: Path) -> Path:
    """Where the SQLite database goes (the service creates and migrates it)."""
    return Path(folder) / SQLITE_NAME


async def flush_redis() -> None:
    client = aioredis.from_url(REDIS_URL)
    try:
        await client.flushdb()
    finally:
        await client.aclose()
