"""What the endpoint mixins need from the app client."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import aiohttp

if TYPE_CHECKING:
    from bot.settings import AppConfig
    from bot.wecom.client import WeComClient


class Endpoints(ABC):
    client: WeComClient
    config: AppConfig
    name: str

    @abstractmethod
    async def _call(
        self,
        method: str,
        api: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Callable[[], aiohttp.FormData] | None = None,
        recipients: Iterable[str] = (),
    ) -> dict[str, Any]:
        """One authenticated call; AppClient provides it (these mixins only declare it)."""
        ...
