"""The Redis connection pool of the store (bot.infra.store.redis: locks, marks, counters);
arq's clients, the job queue and the worker, keep redis-py's own.

redis-py 5 checks each connection it hands out with a read under a zero timeout: a timer
and a turn of the event loop for every command, about a third of a command's CPU here
(redis-py#4063 replaced it upstream, in a release arq does not allow yet). The check
looks for a reply nobody read or a connection the server has closed; both are already
visible without waiting, in the parser and the asyncio stream the loop feeds, and that is
where this pool looks (the library's own check missed a reply left in the stream when
hiredis is not installed). A connection of another shape gets the library's check.
"""

from __future__ import annotations

import asyncio
from typing import Any

import redis.asyncio as aioredis

# Per process; a command waits for a free connection beyond that.
MAX_CONNECTIONS = 128


def _unclean(connection: Any) -> bool | None:
    """Whether the connection holds unread data or has seen the server close it; None
    when it is not of a shape this knows (the library's check decides then)."""
    parser = getattr(connection, "_parser", None)
    stream = getattr(parser, "_stream", None)
    buffered = getattr(stream, "_buffer", None)  # the bytes the loop read, not yet parsed
    if not isinstance(stream, asyncio.StreamReader) or buffered is None:
        return None
    reader: Any = getattr(parser, "_reader", None)
    if hasattr(reader, "has_data"):  # hiredis: what it holds of a reply
        parsing = bool(reader.has_data())
    elif isinstance(own := getattr(parser, "_buffer", None), bytes):  # redis-py's parser
        parsing = bool(own)
    else:
        return None
    if not getattr(parser, "_connected", False):
        return True
    return bool(parsing or buffered or stream.at_eof() or stream.exception() is not None)


class QuickCheckPool(aioredis.BlockingConnectionPool):
    """The blocking pool (its connection check runs outside its lock, see
    bot.infra.store.redis), with the hand-out check made without waiting."""

    async def ensure_connection(self, connection: Any) -> None:
        await connection.connect()
        unclean = _unclean(connection)
        if unclean is None:
            await super().ensure_connection(connection)
        elif unclean:
            await connection.disconnect()
            await connection.connect()


def pool(url: str, **options: Any) -> QuickCheckPool:
    """A pool for ``url``; ``options`` as redis-py's (e.g. ``decode_responses``)."""
    options.setdefault("max_connections", MAX_CONNECTIONS)
    options.setdefault("timeout", 30)  # seconds a command waits for a free connection
    return QuickCheckPool.from_url(url, **options)
