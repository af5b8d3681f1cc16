"""Database set-up: tortoise on SQLite (embedded) or PostgreSQL (production), aerich migrations.

aerich writes dialect-specific SQL, so each dialect has its own generated migration folder
(``migrations/sqlite``, ``migrations/postgres``); both are generated from the same models.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from tortoise import BaseDBAsyncClient, Tortoise
from tortoise.backends.base.client import TransactionalDBClient
from tortoise.context import TortoiseContext

MODELS = ["bot.models", "aerich.models"]
PG_POOL_SIZE = 20  # per process, unless the database URL names its own maxsize
# The checkout's migrations/, or ./migrations where the package is installed (the image).
_REPO_MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
MIGRATIONS_DIR = _REPO_MIGRATIONS if _REPO_MIGRATIONS.is_dir() else Path.cwd() / "migrations"


def dialect(database_url: str) -> str:
    """The dialect a database URL names (of an open connection: ``bot.infra.sql``)."""
    return "sqlite" if database_url.startswith("sqlite://") else "postgres"


def _normalize_url(database_url: str) -> str:
    if database_url.startswith("postgresql://"):
        return "postgres://" + database_url[len("postgresql://") :]
    return database_url


def tortoise_config(database_url: str) -> dict[str, Any]:
    url = _normalize_url(database_url)
    if url.startswith("sqlite://") and url != "sqlite://:memory:":
        path = Path(url[len("sqlite://") :].split("?", 1)[0])
        path.parent.mkdir(parents=True, exist_ok=True)
    # The connection is named after its dialect: tortoise caches compiled queries per
    # connection name, and one process (the test suite) may use both dialects in turn.
    name = dialect(database_url)
    conn: str | dict[str, Any] = url
    if name == "postgres":
        from tortoise.backends.base.config_generator import expand_db_url

        conn = expand_db_url(url)
        creds = conn["credentials"]
        # tortoise's default pool is 5 connections: too few for a worker's concurrent jobs.
        creds.setdefault("maxsize", PG_POOL_SIZE)
        creds["connection_class"] = _NoResetConnection
    return {
        "connections": {name: conn},
        "apps": {"models": {"models": MODELS, "default_connection": name}},
        "use_tz": True,
        "timezone": "UTC",
    }


def _no_reset_connection() -> type:
    import asyncpg

    class NoResetConnection(asyncpg.Connection):
        """A pooled connection released without asyncpg's reset query (advisory unlock,
        CLOSE ALL, UNLISTEN, RESET ALL): a round trip per query outside a transaction, for
        session state this service never creates. An open transaction is still rolled back.
        """

        def get_reset_query(self) -> str:
            return ""

    return NoResetConnection


_NoResetConnection = _no_reset_connection()


def migrations_location(database_url: str) -> Path:
    return MIGRATIONS_DIR / dialect(database_url)


async def migrate(database_url: str) -> list[str]:
    """Apply every pending migration; returns the names applied."""
    from aerich import Command

    # A context of its own, so migrating never disturbs (or is disturbed by) the app's.
    async with TortoiseContext():
        command = Command(
            tortoise_config=tortoise_config(database_url),
            app="models",
            location=str(migrations_location(database_url)),
        )
        await command.init()
        return list(await command.upgrade(run_in_transaction=True))


async def init_db(database_url: str) -> None:
    # Global fallback: request handlers and job tasks must all see the same connections.
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


async def close_db() -> None:
    await Tortoise.close_connections()


def connection() -> BaseDBAsyncClient:
    """The open database connection (for hand-written SQL: the store modules, maintenance,
    tests)."""
    from bot.models import InboxEvent

    return InboxEvent._meta.db


def base_connection() -> BaseDBAsyncClient:
    """The connection outside any transaction, even when asked from inside one: what a
    batch of several callers' writes goes through (the task that flushes a batch inherits
    the context of the caller that started it, its transaction included)."""
    conn = connection()
    while isinstance(conn, TransactionalDBClient):
        conn = conn._parent
    return conn


def in_a_transaction() -> bool:
    """Whether the caller runs inside a transaction (its writes then belong to it, not to a
    batch shared with others)."""
    return isinstance(connection(), TransactionalDBClient)


async def ping_db() -> bool:
    conn = connection()
    await conn.execute_query("SELECT 1")
    return True


def migration_names(database_url: str) -> list[str]:
    """The migrations this release carries for the URL's dialect, as aerich records them."""
    return list(_migration_names(dialect(database_url)))


@functools.cache
def _migration_names(name: str) -> tuple[str, ...]:
    folder = MIGRATIONS_DIR / name / "models"
    return tuple(sorted((p.name for p in folder.glob("*.py") if p.name[:1].isdigit()),
                  key=lambda name: int(name.split("_", 1)[0])))


async def pending_migrations(database_url: str) -> list[str]:
    """Migrations of this release the open database has not applied (``wecom-bot migrate``
    not run yet for this deploy): the service's tables may not be what its code expects."""
    from aerich.models import Aerich

    applied = set(await Aerich.filter(app="models").values_list("version", flat=True))
    return [name for name in migration_names(database_url) if name not in applied]
