"""A clean database for every test without migrating from scratch each time.

Migrating a new database costs more than the rest of a service start, and the schema only
changes with the migrations: so each backend is migrated once per session, and then
PostgreSQL is emptied (TRUNCATE) and SQLite copied from that migrated file for each test.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import asyncpg
import redis.asyncio as aioredis

from bot.infra.db import migrate
from tests.harness.env import PG_URL, REDIS_URL

SQLITE_NAME = "bot.sqlite3"
# The public tables as migrated (None: not migrated yet in this session).
_pg_tables: frozenset[str] | None = None
_sqlite_template: Path | None = None
# Holds the migrated SQLite file for the whole session; removed when the process ends.
_template_dir = tempfile.TemporaryDirectory(prefix="wecom-bot-template-")


async def _public_tables(conn: asyncpg.Connection) -> frozenset[str]:
    rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return frozenset(r["tablename"] for r in rows)


async def fresh_postgres() -> None:
    """Every table empty and ids back at 1; a schema that is not as migrated is rebuilt."""
    global _pg_tables
    conn = await asyncpg.connect(PG_URL.replace("postgres://", "postgresql://"))
    try:
        if _pg_tables is not None and await _public_tables(conn) == _pg_tables:
            # aerich's table stays: it is what tells the next migrate there is nothing to do.
            names = ", ".join(f'"{t}"' for t in sorted(_pg_tables) if t != "aerich")
            await conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            return
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        await migrate(PG_URL)
        _pg_tables = await _public_tables(conn)
    finally:
        await conn.close()


async def fresh_sqlite(folder: Path) -> Path:
    """A migrated, empty SQLite database at ``folder/bot.sqlite3``."""
    global _sqlite_template
    if _sqlite_template is None:
        template = Path(_template_dir.name) / SQLITE_NAME
        await migrate(f"sqlite://{template}")
        _sqlite_template = template
    target = Path(folder) / SQLITE_NAME
    for suffix in ("", "-wal", "-shm"):  # a journal left beside it belongs to the copy too
        source = _sqlite_template.with_name(SQLITE_NAME + suffix)
        if source.exists():
            shutil.copyfile(source, target.with_name(SQLITE_NAME + suffix))
    return target


async def prepare(mode: str, folder: Path) -> None:
    """Empty databases for ``mode``: PostgreSQL and Redis, or a SQLite file in ``folder``."""
    if mode == "production":
        await fresh_postgres()
        await flush_redis()
    else:
        await fresh_sqlite(folder)


async def flush_redis() -> None:
    client = aioredis.from_url(REDIS_URL)
    try:
        await client.flushdb()
    finally:
        await client.aclose()
