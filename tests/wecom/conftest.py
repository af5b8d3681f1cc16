"""Fixtures for the WeCom client tests: the sandbox served alone and a client against it
(the pieces are in tests.harness.wecom_client)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.infra.store import MemoryStore
from bot.ports import Store
from bot.settings import WeComConfig
from bot.wecom.client import WeComClient
from sandbox import Limits, Sandbox, SandboxClock, build_sandbox_app
from tests.harness.receiver import Receiver
from tests.harness.wecom_client import drop_redis_store, make_client, make_config, redis_store


@pytest.fixture
def config() -> WeComConfig:
    return make_config()


@pytest.fixture
def clock() -> SandboxClock:
    return SandboxClock()


@pytest.fixture
async def sandbox(config: WeComConfig, clock: SandboxClock) -> AsyncIterator[Sandbox]:
    # Closed here too, not only by a server's cleanup: a test may point the callbacks at
    # a URL of its own, and the deliveries' HTTP session would outlive the test.
    sandbox = Sandbox(config, clock=clock, limits=Limits(), callback_retry_delay=0.0)
    try:
        yield sandbox
    finally:
        await sandbox.close()


@pytest.fixture
async def server(sandbox: Sandbox) -> AsyncIterator[TestServer]:
    srv = TestServer(build_sandbox_app(sandbox), host="127.0.0.1")
    await srv.start_server()
    try:
        yield srv
    finally:
        await srv.close()


@pytest.fixture(params=["memory", "redis"])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[Store]:
    if request.param == "memory":
        yield MemoryStore()
        return
    st = redis_store()
    try:
        yield st
    finally:
        await drop_redis_store(st)


@pytest.fixture
async def memstore() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
async def client(
    config: WeComConfig, memstore: MemoryStore, server: TestServer
) -> AsyncIterator[WeComClient]:
    c = make_client(config, memstore, server)
    try:
        yield c
    finally:
        await c.close()


@pytest.fixture
async def receiver(config: WeComConfig, sandbox: Sandbox) -> AsyncIterator[Receiver]:
    rec = Receiver(config)
    app = web.Application()
    app.router.add_post("/wecom/callback/{app}", rec.handle)
    srv = TestServer(app, host="127.0.0.1")
    await srv.start_server()
    sandbox.corp.callback_base_url = str(srv.make_url("")).rstrip("/")
    try:
        yield rec
    finally:
        await sandbox.close()
        await srv.close()
