"""What a running process holds, and the small context handlers see.

``Services`` is built once at start-up (bot.app) with the adapters the settings pick;
handlers get a ``HandlerContext``: the app the event came in on, whether they run inside
the callback request (passive), and the services they may use.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

from bot.pipeline.inbox import InboxWriter
from bot.pipeline.runners import JobQueue
from bot.ports import Store
from bot.protocol.crypto import WeComCrypto
from bot.routing import Dispatcher
from bot.settings import AppConfig, Settings


@dataclass
class Services:
    settings: Settings
    store: Store
    queue: JobQueue
    dispatcher: Dispatcher
    cryptos: dict[str, WeComCrypto]
    inbox: InboxWriter = field(default_factory=InboxWriter)
    # The WeCom API client (bot.wecom.client); None only in unit tests that need no API.
    wecom: Any = None
    extras: dict[str, Any] = field(default_factory=dict)
    _background: set[asyncio.Task[Any]] = field(default_factory=set)

    def app(self, name: str) -> AppConfig | None:
        return self.settings.wecom.app(name)

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        """Run work after the response, tracked so shutdown can wait for it."""
        task = asyncio.create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def settle(self) -> None:
        """Wait for spawned work (shutdown)."""
        while self._background:
            await asyncio.gather(*self._background, return_exceptions=True)


def make_cryptos(settings: Settings) -> dict[str, WeComCrypto]:
    """One crypto per app; receiveid is the corp id for apps and "" for AI bots (docs 101033)."""
    return {
        app.name: WeComCrypto(
            app.token.get_secret_value(),
            app.encoding_aes_key.get_secret_value(),
            settings.wecom.corp_id if app.kind == "app" else "",
        )
        for app in settings.wecom.apps
    }


@dataclass(frozen=True)
class HandlerContext:
    app: AppConfig
    corp_id: str
    passive: bool
    services: Services
    # The event's inbox row was stored by this process just now and never handled before
    # (a kf pull's own items): a handler may skip its look-up for an earlier attempt.
    fresh: bool = False

    @property
    def store(self) -> Store:
        return self.services.store
