"""The Redis pool's hand-out check (bot.infra.redis_pool), against the real Redis: a
connection the server closed, or one holding a reply nobody read, is never handed out as
it is; each is replaced before the next command."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import redis.asyncio as aioredis
from redis._parsers import _AsyncHiredisParser, _AsyncRESP2Parser

from bot.infra import redis_pool

PARSERS = {"hiredis": _AsyncHiredisParser, "python": _AsyncRESP2Parser}


@pytest.fixture(params=sorted(PARSERS))
async def client(request: pytest.FixtureRequest, redis_url: str) -> Any:
    # With hiredis (installed) and without it: the parser is where a reply is half read.
    pool = redis_pool.pool(redis_url, decode_responses=True,
                           parser_class=PARSERS[request.param])
    r = aioredis.Redis.from_pool(pool)
    yield r
    await r.aclose()


async def test_a_connection_the_server_closed_is_replaced_before_the_next_command(
        client: aioredis.Redis, redis_url: str) -> None:
    await client.set("k", "v")
    admin = aioredis.Redis.from_url(redis_url)
    try:
        # Every connection but the admin's, the pooled one of ``client`` among them.
        await admin.client_kill_filter(_type="normal", skipme=True)
    finally:
        await admin.aclose()
    await asyncio.sleep(0.05)  # the server's close reaches the event loop
    assert await client.get("k") == "v"


async def test_a_connection_holding_an_unread_reply_is_not_handed_out(
        client: aioredis.Redis) -> None:
    await client.set("k", "v")
    await client.set("other", "not this")
    pool = client.connection_pool
    conn = await pool.get_connection()
    await conn.send_command("GET", "other")  # its reply is left unread
    await pool.release(conn)
    await asyncio.sleep(0.05)
    assert await client.get("k") == "v"
    assert len(pool._available_connections) + len(pool._in_use_connections) <= 2


def test_a_connection_of_an_unknown_shape_is_left_to_the_librarys_check() -> None:
    assert redis_pool._unclean(object()) is None
