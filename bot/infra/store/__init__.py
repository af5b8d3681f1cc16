"""Store adapters; ``make_store`` picks one from the settings, once, at start-up."""

from __future__ import annotations

from bot.infra.store.locks import LockTimeout
from bot.infra.store.memory import MemoryStore
from bot.ports import Store


def make_store(redis_url: str, *, prefix: str = "wecom-bot:") -> Store:
    if not redis_url:
        return MemoryStore()
    from bot.infra.store.redis import RedisStore

    return RedisStore(redis_url, prefix=prefix)


__all__ = ["LockTimeout", "MemoryStore", "make_store"]
