"""Redis store for production: shared by every web and worker process."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import redis.asyncio as aioredis

from bot.infra import redis_pool
from bot.infra.group_commit import Failed, LoopBatcher
from bot.infra.logs import get_logger
from bot.infra.store.announcements import Announcements
from bot.infra.store.locks import LocalLocks, LockTimeout
from bot.infra.store.redis_locks import RedisLocks
from bot.ports import LOCK_TTL, SetWatch

log = get_logger("bot.infra.store")
# Where ``set_and_held`` announces the keys it sets (the key, unprefixed, as the message).
SETS_CHANNEL = "sets"


async def _renew(locks: RedisLocks, key: str, token: str, ttl: float) -> None:
    while True:
        try:
            if not await locks.extend(key, token, ttl):
                return  # lost (expired while Redis was away and taken): nothing to keep
        except Exception as exc:  # Redis unreachable for now: try again next round
            log.info("store.lock_renew_failed", error=type(exc).__name__)
        await asyncio.sleep(ttl / 3)


class _Renewal:
    """Renews a held lock every third of its ttl. Nearly every hold ends long before the
    first renewal (a kf message holds two locks for some milliseconds), so until then it is
    a timer, not a task: a task per lock, started and cancelled, cost more than the lock."""

    def __init__(self, locks: RedisLocks, key: str, token: str, ttl: float) -> None:
        self._task: asyncio.Task[None] | None = None
        self._timer = asyncio.get_running_loop().call_later(
            ttl / 3, self._start, locks, key, token, ttl)

    def _start(self, locks: RedisLocks, key: str, token: str, ttl: float) -> None:
        self._task = asyncio.create_task(_renew(locks, key, token, ttl))

    async def stop(self) -> None:
        self._timer.cancel()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)


def _set(key: str, value: str, ttl: float | None) -> tuple[Any, ...]:
    return ("SET", key, value) if ttl is None else ("SET", key, value, "PX",
                                                    max(1, int(ttl * 1000)))


class RedisStore:
    def __init__(self, url: str, *, prefix: str = "wecom-bot:") -> None:
        # The blocking pool checks a connection's health outside its lock. redis-py 5.3's
        # plain pool holds its lock through that check, which waits a turn of the event
        # loop, so every command of the process queued behind every other (redis-py#3692):
        # under load a GET took ~30 ms. (arq caps redis-py below 6.) bot.infra.redis_pool
        # makes the check itself without waiting.
        pool = redis_pool.pool(url, decode_responses=True)
        self.redis = aioredis.Redis.from_pool(pool)
        self.prefix = prefix
        self._local = LocalLocks()
        self._locks = RedisLocks(self.redis)
        self._batcher: LoopBatcher[tuple[tuple[Any, ...], ...], list[Any]] = LoopBatcher(
            self._pipeline)
        self._announced = Announcements()
        self._listener: asyncio.Task[None] | None = None

    def _k(self, key: str) -> str:
        return self.prefix + key

    async def _send(self, *commands: tuple[Any, ...]) -> list[Any]:
        """``commands`` in this order, in the same pipeline as the other commands asked for
        while one is in flight (a pull's customers each read a mark: one round trip for
        all). Not a transaction: as if sent one after the other."""
        return await self._batcher.submit(commands)

    async def _pipeline(self, items: list[tuple[tuple[Any, ...], ...]]
                        ) -> list[list[Any] | Failed]:
        encoder = self.redis.get_encoder()
        out: list[list[Any] | Failed] = []
        sent: list[int] = []  # the items that went into the pipeline
        async with self.redis.pipeline(transaction=False) as pipe:
            for i, commands in enumerate(items):
                try:
                    # Encoded here, item by item: a value Redis cannot take fails its own
                    # caller, not the whole pipeline's.
                    encoded = [(c[0], *(encoder.encode(a) for a in c[1:])) for c in commands]
                except Exception as exc:
                    out.append(Failed(exc))
                    continue
                out.append([])
                sent.append(i)
                for command in encoded:
                    pipe.execute_command(*command)
            results = iter(await pipe.execute(raise_on_error=False) if sent else [])
        for i in sent:
            mine = [next(results) for _ in items[i]]
            error = next((r for r in mine if isinstance(r, Exception)), None)
            out[i] = Failed(error) if error is not None else mine
        return out

    async def get(self, key: str) -> str | None:
        (value,) = await self._send(("GET", self._k(key)))
        return None if value is None else str(value)

    async def set(self, key: str, value: str, ttl: float | None = None) -> None:
        await self._send(_set(self._k(key), value, ttl))

    async def set_if_absent(self, key: str, value: str, ttl: float | None = None) -> bool:
        (done,) = await self._send((*_set(self._k(key), value, ttl), "NX"))
        return bool(done)

    async def delete(self, key: str) -> None:
        await self._send(("DEL", self._k(key)))

    async def take(self, key: str) -> str | None:
        # GET and DEL in one pipeline rather than GETDEL, which needs Redis 6.2.
        value, _ = await self._send(("GET", self._k(key)), ("DEL", self._k(key)))
        return None if value is None else str(value)

    async def incr(self, key: str, amount: int = 1, ttl: float | None = None) -> int:
        k = self._k(key)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incrby(k, amount)
            if ttl is not None:
                pipe.pexpire(k, max(1, int(ttl * 1000)), nx=True)
            result = await pipe.execute()
        return int(result[0])

    async def ttl(self, key: str) -> float | None:
        ms = await self.redis.pttl(self._k(key))
        return None if ms is None or ms < 0 else ms / 1000

    @asynccontextmanager
    async def lock(
        self, name: str, *, ttl: float = LOCK_TTL, wait: float | None = None
    ) -> AsyncIterator[None]:
        # This process's contenders queue locally first: only one of them at a time polls
        # Redis, and the next is woken at once when the holder lets go.
        async with self._local.hold(name, wait) as left:
            key, token = self._k(f"lock:{name}"), self._locks.token()
            if not await self._locks.take(key, token, ttl, left):
                raise LockTimeout(name)
            # While held, the lock is renewed: ``ttl`` is then how long a crashed holder
            # blocks the others, not a cap on the work (a pull longer than ttl keeps it).
            renew = _Renewal(self._locks, key, token, ttl)
            try:
                yield
            finally:
                await renew.stop()
                # False when held past its ttl and taken by another: nothing of ours left.
                await self._locks.release(key, token)

    async def held(self, name: str) -> bool:
        if self._local.held(name):
            return True
        return bool(await self.redis.exists(self._k(f"lock:{name}")))

    async def set_and_held(self, key: str, value: str, ttl: float | None, lock: str) -> bool:
        # The announcement rides in the same round trip; with nobody listening it is a no-op.
        _, held, _ = await self._send(_set(self._k(key), value, ttl),
                                      ("EXISTS", self._k(f"lock:{lock}")),
                                      ("PUBLISH", self._k(SETS_CHANNEL), key))
        return self._local.held(lock) or bool(held)

    def sets_of(self, key: str) -> SetWatch:
        # One subscription per store, made on the first watch (and again after Redis lost
        # it): only processes that wait for sets listen to them.
        if self._listener is None or self._listener.done():
            self._listener = asyncio.create_task(self._listen(), name="store-sets")
        return self._announced.watch(key)

    async def _listen(self) -> None:
        try:
            async for key in self.subscribe(SETS_CHANNEL):
                self._announced.heard(key)
        except Exception as exc:  # Redis gone: waits time out until the next watch
            log.info("store.sets_unheard", error=type(exc).__name__)

    async def publish(self, channel: str, message: str) -> None:
        await self.redis.publish(self._k(channel), message)

    async def subscribe(self, channel: str) -> AsyncIterator[str]:
        pubsub = self.redis.pubsub()
        await pubsub.subscribe(self._k(channel))
        try:
            while True:
                msg = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                if msg is not None and msg.get("type") == "message":
                    yield str(msg["data"])
                else:
                    await asyncio.sleep(0)
        finally:
            await pubsub.unsubscribe()
            await pubsub.aclose()

    async def ping(self) -> bool:
        return bool(await self.redis.ping())

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            await asyncio.gather(self._listener, return_exceptions=True)
        await self.redis.aclose()
