"""/readyz says whether this process can do its work, with the real PostgreSQL and Redis:
503 while Redis is down (a redis-server of the test's own, killed and restarted), while
PostgreSQL does not answer (a gate in front of the real server, closed and opened), and
while the database lacks a migration of this release; 200 again once each is over. (60020
on every app: tests/foundation/test_operator_alerts.py.)"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient

from bot.infra.db import connection, migrate, migration_names, migrations_location
from bot.settings import Settings
from tests.harness.env import PG_URL
from tests.harness.network import gate
from tests.harness.redis_server import AVAILABLE, private_redis
from tests.harness.service import serving
from tests.harness.waiting import wait_for

pytestmark = pytest.mark.parametrize("mode_settings", ["production"], indirect=True)


async def _ready(client: TestClient) -> tuple[int, dict[str, Any]]:
    resp = await client.get("/readyz")
    return resp.status, await resp.json()


async def _becomes(client: TestClient, status: int) -> dict[str, Any]:
    async def answered() -> dict[str, Any] | None:
        got, body = await _ready(client)
        return body if got == status else None

    return await wait_for(answered, timeout=20)  # type: ignore[no-any-return]


@pytest.mark.skipif(not AVAILABLE, reason="needs redis-server to run a Redis of its own")
async def test_not_ready_while_redis_is_down(mode_settings: Callable[..., Settings]) -> None:
    async with private_redis() as redis:
        async with serving(mode_settings(redis_url=redis.url)) as client:
            status, body = await _ready(client)
            assert status == 200 and body["checks"] == {
                "database": "ok", "store": "ok", "migrations": "ok", "wecom": "ok"}
            await redis.stop()
            body = await _becomes(client, 503)
            assert body["status"] == "unavailable"
            assert body["checks"]["store"].startswith("unreachable")
            assert body["checks"]["database"] == "ok"
            await redis.start()
            body = await _becomes(client, 200)
            assert body["status"] == "ok"


async def test_not_ready_while_postgres_does_not_answer(
    mode_settings: Callable[..., Settings],
) -> None:
    real = urlsplit(PG_URL)
    async with gate(real.hostname or "127.0.0.1", real.port or 5432) as pg:
        url = PG_URL.replace(f":{real.port}/", f":{pg.port}/")
        async with serving(mode_settings(database_url=url)) as client:
            assert (await _ready(client))[0] == 200
            await pg.close()
            body = await _becomes(client, 503)
            assert body["checks"]["database"].startswith("unreachable")
            assert body["checks"]["store"] == "ok"
            await pg.open()
            await _becomes(client, 200)


async def _undo_last_migration() -> str:
    """The database as it was before this release's last migration: its downgrade run and
    aerich's record of it removed."""
    name = migration_names(PG_URL)[-1]
    path = migrations_location(PG_URL) / "models" / name
    spec = importlib.util.spec_from_file_location("last_migration", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    conn = connection()
    await conn.execute_script(await module.downgrade(conn))
    await conn.execute_query("DELETE FROM aerich WHERE version = $1", [name])
    return name


async def test_not_ready_while_migrations_are_behind(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(mode_settings()) as client:
        assert (await _ready(client))[0] == 200
        last = await _undo_last_migration()
        status, body = await _ready(client)
        assert status == 503 and body["pending_migrations"] == [last]
        assert "wecom-bot migrate" in body["checks"]["migrations"]
        assert await migrate(PG_URL) == [last]  # what `wecom-bot migrate` does
        status, body = await _ready(client)
        assert status == 200 and "pending_migrations" not in body
