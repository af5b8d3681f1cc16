from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestServer
from pydantic import SecretStr

from bot.infra.store import MemoryStore
from bot.infra.store.redis import RedisStore
from bot.ports import Store
from bot.settings import AppConfig, WeComConfig
from bot.wecom.client import WeComClient
from bot.wecom.policy import RateLimits, RetryPolicy
from sandbox import Limits, Sandbox, SandboxClock, build_sandbox_app
from tests.conftest import REDIS_URL

CORP = "wwtestcorp0000000001"

FAST = RetryPolicy(
    busy_retries=3,
    transient_retries=4,
    base_delay=0.001,
    max_delay=0.005,
    rate_limit_delay=0.001,
    budget_seconds=5.0,
    request_timeout=5.0,
)


def make_config() -> WeComConfig:
    return WeComConfig(
        corp_id=CORP,
        api_base="sandbox",
        apps=(
            AppConfig(
                name="main",
                kind="app",
                agent_id=1000002,
                secret=SecretStr("main-secret-value"),
                token=SecretStr("maintoken"),
                encoding_aes_key=SecretStr("a" * 43),
            ),
            AppConfig(
                name="ops",
                kind="app",
                agent_id=1000003,
                secret=SecretStr("ops-secret-value"),
                token=SecretStr("opstoken"),
                encoding_aes_key=SecretStr("b" * 43),
            ),
            AppConfig(
                name="aibot",
                kind="aibot",
                token=SecretStr("bottoken"),
                encoding_aes_key=SecretStr("c" * 43),
            ),
        ),
    )


@pytest.fixture
def config() -> WeComConfig:
    return make_config()


@pytest.fixture
def clock() -> SandboxClock:
    return SandboxClock()


@pytest.fixture
def sandbox(config: WeComConfig, clock: SandboxClock) -> Sandbox:
    return Sandbox(config, clock=clock, limits=Limits(), callback_retry_delay=0.0)


@pytest.fixture
async def server(sandbox: Sandbox) -> AsyncIterator[TestServer]:
    srv = TestServer(build_sandbox_app(sandbox), host="127.0.0.1")
    await srv.start_server()
    try:
        yield srv
    finally:
        await srv.close()


async def _redis_store() -> RedisStore:
    return RedisStore(REDIS_URL, prefix=f"test-wecom-{uuid.uuid4().hex}:")


async def _cleanup_redis(store: RedisStore) -> None:
    keys = [k async for k in store.redis.scan_iter(match=store.prefix + "*")]
    if keys:
        await store.redis.delete(*keys)
    await store.close()


@pytest.fixture(params=["memory", "redis"])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[Store]:
    if request.param == "memory":
        yield MemoryStore()
        return
    st = await _redis_store()
    try:
        yield st
    finally:
        await _cleanup_redis(st)


@pytest.fixture
async def memstore() -> MemoryStore:
    return MemoryStore()


def make_client(
    config: WeComConfig,
    store: Store,
    server: TestServer,
    *,
    retry: RetryPolicy = FAST,
    limits: RateLimits | None = None,
) -> WeComClient:
    return WeComClient(
        config,
        store,
        base_url=str(server.make_url("")).rstrip("/"),
        retry=retry,
        limits=limits,
    )


@pytest.fixture
async def client(
    config: WeComConfig, memstore: MemoryStore, server: TestServer
) -> AsyncIterator[WeComClient]:
    c = make_client(config, memstore, server)
    try:
        yield c
    finally:
        await c.close()


def calls(sandbox: Sandbox, path: str) -> list[dict[str, object]]:
    return [c for c in sandbox.calls if c["path"] == path]
