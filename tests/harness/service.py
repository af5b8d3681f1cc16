"""The service in this process, on a loopback port, as tests drive it.

Production mode runs an arq worker beside the app, as ``wecom-bot worker`` would; embedded
mode runs jobs in the app itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

from aiohttp.test_utils import TestClient, TestServer

from bot.app import bind_public_url
from bot.infra.clock import SettableClock
from bot.infra.db import migrate
from bot.pipeline.worker import run_worker
from bot.runtime import Services
from bot.settings import Settings
from bot.web.appkeys import SERVICES
from bot.web.server import create_app
from sandbox import Sandbox, SandboxClock


@asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[TestClient]:
    """The real app on a loopback port; in production mode an arq worker runs beside it."""
    if not settings.embedded:
        await migrate(settings.database_url)  # what `wecom-bot migrate` does before a deploy
    app = create_app(settings)
    async with TestClient(TestServer(app)) as client:
        bind_public_url(app[SERVICES], str(client.make_url("")))
        stop = asyncio.Event()
        worker = None
        if not settings.embedded:
            worker = asyncio.create_task(run_worker(app[SERVICES], stop=stop))
        try:
            yield client
        finally:
            stop.set()
            if worker is not None:
                await worker


def services_of(client: TestClient) -> Services:
    """What the running app holds: settings, queue, ports (``.ports.clock``, ``.ports.rules``,
    ``.ports.archive``), the WeCom client and the built-in sandbox."""
    return client.app[SERVICES]


def set_clock(services: Services, at: datetime) -> SandboxClock:
    """Put WeCom (the built-in sandbox) and the service on the same clock, reading ``at``
    now and running on from there; the returned clock's ``advance`` moves both."""
    sandbox = services.sandbox
    assert sandbox is not None, "the service runs without its built-in sandbox"
    clock = sandbox.corp.clock
    assert isinstance(clock, SandboxClock)
    clock.set(at.timestamp())
    services.ports.clock = SettableClock(clock)
    return clock


def sandbox_of(client: TestClient) -> Sandbox:
    """The built-in sandbox (the test settings always have one)."""
    sandbox = services_of(client).sandbox
    assert sandbox is not None, "the service runs without its built-in sandbox"
    return sandbox
