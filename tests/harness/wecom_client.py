"""A WeComClient against the sandbox served alone (no bot service): the corp's config, the
client, and the calls the sandbox saw. The fixtures live in tests/wecom/conftest.py."""

from __future__ import annotations

import uuid

from aiohttp.test_utils import TestServer
from pydantic import SecretStr

from bot.infra.store.redis import RedisStore
from bot.ports import Store
from bot.settings import AppConfig, WeComConfig
from bot.wecom.client import WeComClient
from bot.wecom.policy import RateLimits, RetryPolicy
from sandbox import Sandbox
from tests.harness.env import REDIS_URL
from tests.harness.policies import FAST_CLIENT

CORP = "wwtestcorp0000000001"


def make_config() -> WeComConfig:
    """Two self-built apps and an AI bot, with fixed secrets (the sandbox checks them)."""
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


def make_client(
    config: WeComConfig,
    store: Store,
    server: TestServer,
    *,
    retry: RetryPolicy = FAST_CLIENT,
    limits: RateLimits | None = None,
) -> WeComClient:
    return WeComClient(
        config,
        store,
        base_url=str(server.make_url("")).rstrip("/"),
        retry=retry,
        limits=limits,
    )


def calls(sandbox: Sandbox, path: str) -> list[dict[str, object]]:
    """The API calls the sandbox answered on ``path``, in order."""
    return [c for c in sandbox.calls if c["path"] == path]


def redis_store() -> RedisStore:
    """A Redis store under a prefix of its own, in the tests' Redis database."""
    return RedisStore(REDIS_URL, prefix=f"test-wecom-{uuid.uuid4().hex}:")


async def drop_redis_store(store: RedisStore) -> None:
    """Delete the store's keys and close it."""
    keys = [k async for k in store.redis.scan_iter(match=store.prefix + "*")]
    if keys:
        await store.redis.delete(*keys)
    await store.close()
