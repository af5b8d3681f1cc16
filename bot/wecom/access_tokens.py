"""access_token cache: one per app, in the store, refreshed early by one caller at a time.

- Cached under ``wecom:token:{corp}:{app}`` with a ttl of ``refresh_ratio * expires_in``, so
  it is refreshed before WeCom expires it (default: at 90 %).
- A refresh is single-flight: a local asyncio lock per app (coroutines of this process) and
  the store's lock (other processes); whoever gets the lock re-reads the cache first.
- ``invalidate(token)`` drops the cached token only if it is still the one that failed, so
  a burst of 40014s after an early invalidation causes one refresh, not many.
- Each process keeps the token it last read for ``MEMO_SECONDS``, saving a store round trip
  per API call; ``invalidate`` forgets it, and a read that raced an invalidation is not kept.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable

from bot.infra.logs import get_logger
from bot.ports import Store

log = get_logger(__name__)

Fetch = Callable[[], Awaitable[tuple[str, int]]]
# How long a token read from the store is used without reading it again. WeCom keeps a token
# valid to its expiry however often it is fetched, so the only stale case is one WeCom
# rejected (40014/42001): ``invalidate`` forgets the memo and the retry reads the store.
MEMO_SECONDS = 2.0


class TokenManager:
    def __init__(
        self,
        store: Store,
        corp_id: str,
        app: str,
        fetch: Fetch,
        *,
        refresh_ratio: float = 0.9,
        refresh_wait: float = 30.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._clock = clock
        self._store = store
        self._key = f"wecom:token:{corp_id}:{app}"
        self._lock_name = f"wecom:token-refresh:{corp_id}:{app}"
        self._app = app
        self._fetch = fetch
        self._ratio = refresh_ratio
        self._refresh_wait = refresh_wait  # for another process's refresh (a gettoken)
        self._local = asyncio.Lock()
        self._memo: tuple[str, float, float] | None = None  # token, refresh_at, read at
        # Bumped by invalidate: a store read that began before it must not become the memo.
        self._generation = 0

    async def _cached(self) -> str | None:
        now = self._clock()
        if self._memo is not None:
            token, refresh_at, read_at = self._memo
            if refresh_at > now and 0 <= now - read_at < MEMO_SECONDS:
                return token
            self._memo = None
        generation = self._generation
        raw = await self._store.get(self._key)
        if raw is None:
            return None
        try:
            item = json.loads(raw)
            token, refresh_at = str(item["token"]), float(item["refresh_at"])
        except (ValueError, KeyError, TypeError):
            return None
        if refresh_at <= now:
            return None
        if generation == self._generation:
            self._memo = (token, refresh_at, now)
        return token

    async def get(self) -> str:
        token = await self._cached()
        if token is not None:
            return token
        async with self._local:
            token = await self._cached()
            if token is not None:
                return token
            async with self._store.lock(self._lock_name, wait=self._refresh_wait):
                token = await self._cached()
                if token is not None:
                    return token
                return await self._refresh()

    async def _refresh(self) -> str:
        token, expires_in = await self._fetch()
        life = max(1.0, float(expires_in) * self._ratio)
        item = {"token": token, "refresh_at": self._clock() + life}
        await self._store.set(self._key, json.dumps(item), ttl=life)
        log.info("wecom.token.refreshed", app=self._app, expires_in=expires_in)
        return token

    async def invalidate(self, token: str) -> None:
        """Forget ``token`` if it is still the cached one (WeCom rejected it)."""
        self._forget()  # whatever the memo holds, the next read goes to the store
        try:
            async with self._local:
                raw = await self._store.get(self._key)
                if raw is None:
                    return
                try:
                    current = json.loads(raw).get("token")
                except ValueError:
                    current = None
                if current in (token, None):
                    await self._store.delete(self._key)
                    log.info("wecom.token.invalidated", app=self._app)
        finally:
            # Again once the store no longer holds it: a read made while this waited for
            # the lock could still find the rejected token there, and must not keep it.
            self._forget()

    def _forget(self) -> None:
        self._memo = None
        self._generation += 1
