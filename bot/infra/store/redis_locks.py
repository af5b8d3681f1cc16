"""Redis locks whose commands travel together: one script per burst, not one call per lock.

A kf message takes and lets go of two locks (its inbox row's and its conversation's); a
process handling a pull's messages side by side would spend four Redis round trips on each
message, the dearest part of its handling (bench/round_trips.py: a lock cycle cost about
seven bare TCP round trips). Every take, release and renewal this process asks for while
one script is in flight goes into the next script (``group_commit.Batcher``: no timer, so a
lone lock costs what it did). Each caller still waits for its own answer: a lock is held
once the script that set it returned, and let go before ``release`` returns.

The semantics are those of the usual single-instance Redis lock: SET NX PX with a token of
the holder's own, released and renewed only while the key still holds that token.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import Coroutine
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from bot.infra.group_commit import Failed, LoopBatcher

# KEYS[i] with ARGV[3i-2..3i] = op, token, ttl in ms. Ops: a = take (SET NX PX),
# r = release (DEL if ours), e = extend (PEXPIRE if ours). One answer per key: 1 or 0, or
# -1 when Redis refused that key's command (pcall: the others' still run).
_SCRIPT = """
local out = {}
for i = 1, #KEYS do
  local op, token = ARGV[3 * i - 2], ARGV[3 * i - 1]
  local r
  if op == 'a' then
    r = redis.pcall('SET', KEYS[i], token, 'NX', 'PX', ARGV[3 * i])
  else
    r = redis.pcall('GET', KEYS[i])
    if r == token then
      if op == 'r' then
        r = redis.pcall('DEL', KEYS[i])
      else
        r = redis.pcall('PEXPIRE', KEYS[i], ARGV[3 * i])
      end
    else
      r = (type(r) == 'table' and r.err) and r or false
    end
  end
  if type(r) == 'table' and r.err then
    out[i] = -1
  else
    out[i] = r and 1 or 0
  end
end
return out
"""


def _quietly(task: asyncio.Future[Any]) -> None:
    if not task.cancelled():
        task.exception()  # a release that failed too: the key expires with its ttl


POLL = 0.01  # seconds between tries while waiting for a lock another process holds
TAKE, RELEASE, EXTEND = "a", "r", "e"
_Op = tuple[str, str, str, int]  # op, key, token, ttl in ms


class RedisLocks:
    def __init__(self, redis: aioredis.Redis) -> None:
        self._script = redis.register_script(_SCRIPT)
        self._tokens = itertools.count()
        self._me = os.urandom(8).hex()  # tokens unique across processes, cheap to make
        self._batcher: LoopBatcher[_Op, bool] = LoopBatcher(self._run)
        self._cleanups: set[asyncio.Task[bool]] = set()

    def token(self) -> str:
        return f"{self._me}:{next(self._tokens)}"

    async def _run(self, ops: list[_Op]) -> list[bool | Failed]:
        keys = [key for _, key, _, _ in ops]
        args: list[Any] = []
        for op, _, token, ttl_ms in ops:
            args += (op, token, ttl_ms)
        return [Failed(RedisError("Redis refused a lock command")) if x == -1 else bool(x)
                for x in await self._script(keys=keys, args=args)]

    def _op(self, op: str, key: str, token: str, ttl: float) -> Coroutine[Any, Any, bool]:
        return self._batcher.submit((op, key, token, max(1, int(ttl * 1000))))

    async def take(self, key: str, token: str, ttl: float, wait: float | None) -> bool:
        """Take the lock, trying every ``POLL`` seconds for up to ``wait`` (None: for
        ever); False when it stayed taken."""
        loop = asyncio.get_running_loop()
        stop = None if wait is None else loop.time() + wait
        while True:
            try:
                if await self._op(TAKE, key, token, ttl):
                    return True
            except BaseException:
                # Cancelled, or the answer lost (a timeout, a dropped connection): the
                # script may have set the key all the same. Let it go rather than leave it
                # blocking everyone for its ttl.
                task = asyncio.ensure_future(self._op(RELEASE, key, token, ttl))
                self._cleanups.add(task)
                task.add_done_callback(_quietly)
                task.add_done_callback(self._cleanups.discard)
                raise
            if stop is not None and loop.time() + POLL > stop:
                return False
            await asyncio.sleep(POLL)

    async def release(self, key: str, token: str) -> bool:
        """False when the lock was no longer ours (it expired and another took it)."""
        return bool(await self._op(RELEASE, key, token, 1))

    async def extend(self, key: str, token: str, ttl: float) -> bool:
        """Give a held lock ``ttl`` from now; False when it is no longer ours."""
        return bool(await self._op(EXTEND, key, token, ttl))
