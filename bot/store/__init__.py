"""Store adapters; ``make_store`` picks one from the settings, once, at start-up."""

from __future__ import annotations

from bot.store.base import LockTimeout, Store
from bot.store.memory import MemoryStore


def make_store(redis_url: str, *, prefix: str = "wecom-bot:") -> Store:
    if not redis_url:
        return MemoryStore()
    from bot.store.redis import RedisStore

    return RedisStore(redis_url, prefix=prefix)


__all__ = ["LockTimeout", "MemoryStore", "Store", "make_store"]
