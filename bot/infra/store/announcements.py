"""Keys set by ``set_and_held``, as a store hears of them: what ``Store.sets_of`` waits on.

Shared by the store adapters. The memory store hears its own sets; the Redis store hears
every process's on a channel (``RedisStore``), so a lock holder in a worker learns at once of
a key a ``serve`` set. A set it does not hear of (its subscription not up yet, or lost with
Redis) costs the waiter its timeout only: waiters read the key itself after waiting.
"""

from __future__ import annotations

import asyncio


class _Heard:
    __slots__ = ("count", "event")

    def __init__(self) -> None:
        self.count = 0
        self.event = asyncio.Event()


class Announcements:
    """Per watched key: how many sets were heard, and an event for the next one. Keys
    nobody ever watched are not kept (every callback announces its account's mark)."""

    def __init__(self) -> None:
        self._keys: dict[str, _Heard] = {}

    def heard(self, key: str) -> None:
        item = self._keys.get(key)
        if item is None:
            return
        item.count += 1
        event, item.event = item.event, asyncio.Event()
        event.set()

    def watch(self, key: str) -> _Watch:
        return _Watch(self._keys.setdefault(key, _Heard()))


class _Watch:
    """The sets of one key from the moment the watch was made (``bot.ports.SetWatch``)."""

    def __init__(self, heard: _Heard) -> None:
        self._heard = heard
        self._seen = heard.count

    async def next(self, within: float) -> bool:
        """Whether a set was heard since the watch began or since the last ``next`` that
        returned True, waiting up to ``within`` seconds for one."""
        heard = self._heard
        if heard.count == self._seen:
            try:
                async with asyncio.timeout(within):
                    await heard.event.wait()
            except TimeoutError:
                return False
        self._seen = heard.count
        return True
