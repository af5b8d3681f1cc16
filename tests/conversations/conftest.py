"""Helpers for conversation tests: the real service with the sandbox, in both modes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.settings import Settings
from bot.web.appkeys import SERVICES
from sandbox import SEED_CUSTOMERS, SEED_KF, Sandbox
from tests.conftest import wait_for
from tests.foundation.test_callback import serving

KF = SEED_KF
CUSTOMER = SEED_CUSTOMERS[0][0]


class World:
    """The running service, its sandbox, and shortcuts to what people received."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.services = client.app[SERVICES]
        self.sandbox: Sandbox = self.services.sandbox

    def kf_texts(self, euid: str = CUSTOMER) -> list[str]:
        out = []
        for m in self.sandbox.inbox(euid):
            if m["channel"] != "kf":
                continue
            p = m.get("payload") or {}
            out.append(p.get("content") or p.get("head_content") or m["msgtype"])
        return out

    async def wait_kf(self, count: int, euid: str = CUSTOMER, timeout: float = 10) -> list[str]:
        await wait_for(lambda: len(self.kf_texts(euid)) >= count, timeout=timeout)
        return self.kf_texts(euid)

    def app_inbox(self, userid: str) -> list[dict[str, Any]]:
        return [m for m in self.sandbox.inbox(userid) if m["channel"] == "app"]

    async def settle(self) -> None:
        """Wait until the service has nothing left to do for what happened so far."""
        from bot.models import InboxEvent, InboxStatus, OutboxMessage, OutboxStatus

        await self.sandbox.drain()

        async def idle() -> bool:
            pending = await InboxEvent.filter(status=InboxStatus.PENDING).count()
            sending = await OutboxMessage.filter(status=OutboxStatus.PENDING).count()
            return pending == 0 and sending == 0

        await wait_for(idle, timeout=15)
        await self.sandbox.drain()


@asynccontextmanager
async def world(settings: Settings) -> AsyncIterator[World]:
    async with serving(settings) as client:
        yield World(client)


@pytest.fixture
def conv_settings(mode_settings: Callable[..., Settings]) -> Callable[..., Settings]:
    """Settings with the sample rules loaded in both modes (production skips them by default,
    so tests import them explicitly there)."""
    return mode_settings


@pytest.fixture(params=["event", "error"])
def kf_over_limit(request: pytest.FixtureRequest) -> str:
    """Both ways WeCom may tell of a spent kf allowance (the sandbox's ``kf_over_limit``):
    a msg_send_fail event (fail_type 6) after an accepted send, or errcode 95001 at once."""
    return str(request.param)
