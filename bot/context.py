"""What a running process holds, and the small context handlers see.

``Services`` is built once at start-up (bot.service) with the adapters the settings pick;
handlers get a ``HandlerContext``: the app the event came in on, whether they run inside
the callback request (passive), and the services they may use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.crypto import WeComCrypto
from bot.dispatch import Dispatcher
from bot.jobs import JobQueue
from bot.settings import AppConfig, Settings
from bot.store import Store


@dataclass
class Services:
    settings: Settings
    store: Store
    queue: JobQueue
    dispatcher: Dispatcher
    cryptos: dict[str, WeComCrypto]
    # The WeCom API client (bot.wecom.client); None only in unit tests that need no API.
    wecom: Any = None
    extras: dict[str, Any] = field(default_factory=dict)

    def app(self, name: str) -> AppConfig | None:
        return self.settings.wecom.app(name)


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

    @property
    def store(self) -> Store:
        return self.services.store
