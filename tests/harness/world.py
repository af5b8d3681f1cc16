"""The running service with its built-in sandbox: customers and staff act in the sandbox,
tests read what people received there and wait until the service is idle."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from aiohttp.test_utils import TestClient

from bot.conversations import rules_store
from bot.conversations.rulebook import changed, sample_rules_text
from bot.models import InboxEvent, InboxStatus, OutboxMessage, OutboxStatus
from bot.settings import Settings
from sandbox import SEED_CUSTOMERS, SEED_KF, Sandbox, SandboxClock
from tests.harness.service import sandbox_of, services_of, serving, set_clock
from tests.harness.waiting import wait_for

KF = SEED_KF
CUSTOMER = SEED_CUSTOMERS[0][0]


class World:
    """The running service, its sandbox, and shortcuts to what people received."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.services = services_of(client)
        self.sandbox: Sandbox = sandbox_of(client)

    def set_clock(self, at: datetime) -> SandboxClock:
        """WeCom's clock and the service's read ``at`` from now on (``advance`` moves both)."""
        return set_clock(self.services, at)

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


async def load_sample_rules(w: World) -> None:
    """The sample rule set, unless rules exist already (production mode starts with none),
    and the running service told about it."""
    if not await rules_store.list_rules():
        await rules_store.import_rules(sample_rules_text(), mode="replace", actor="test")
    await changed(w.services.ports)
