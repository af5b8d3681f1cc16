"""What a running process holds: built once at start-up by the composition root (``bot.app``).

The pipeline and the web layer use ``Services``; domain code never sees it, only the
``Ports`` it carries (``bot.ports``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.infra.metrics import NullRecorder, Recorder
from bot.ports import JobQueue, PlaygroundSandbox, Ports, Store
from bot.protocol.crypto import WeComCrypto
from bot.routing import Dispatcher
from bot.settings import AppConfig, Settings
from bot.wecom.client import WeComClient

if TYPE_CHECKING:
    from bot.pipeline.inbox import InboxWriter
    from bot.pipeline.outages import OutageWatch
    from sandbox import Sandbox


@dataclass
class Services:
    settings: Settings
    store: Store
    queue: JobQueue
    dispatcher: Dispatcher
    cryptos: dict[str, WeComCrypto]
    wecom: WeComClient
    inbox: InboxWriter
    # This process's view of its storage: an outage under way, recorded once it is over.
    outages: OutageWatch
    # The built-in simulator when it is this process's WeCom (api_base = "sandbox").
    sandbox: Sandbox | None = None
    # The console's playground in that simulator (the composition root adapts it).
    playground: PlaygroundSandbox | None = None
    # Prometheus metrics of this process (NullRecorder when metrics_enabled is off).
    metrics: Recorder = field(default_factory=NullRecorder)
    # Built right after (the adapters hold the services): bot.app.build_ports.
    ports: Ports = field(init=False)
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
