"""access_token: single-flight, early refresh, refresh on invalidation (MemoryStore and Redis)."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp.test_utils import TestServer

from bot.ports import Store
from bot.protocol.errors import INVALID_SECRET, TokenError, WeComAPIError
from bot.settings import AppConfig, WeComConfig
from bot.wecom.access_tokens import TokenManager
from sandbox import Sandbox, SandboxClock
from tests.harness.wecom_client import calls, make_client


@pytest.fixture(autouse=True, params=[True, False], ids=["reused", "fresh"])
def _token_reuse(request: pytest.FixtureRequest, sandbox: Sandbox) -> None:
    """WeCom hands out the same token while it is valid; nothing here may rely on it."""
    sandbox.corp.limits.reuse_tokens = request.param


async def test_cold_cache_100_concurrent_calls_one_gettoken(
    config: WeComConfig, store: Store, server: TestServer, sandbox: Sandbox
) -> None:
    client = make_client(config, store, server)
    try:
        main = client.app("main")
        results = await asyncio.gather(*(main.kf_account_list() for _ in range(100)))
    finally:
        await client.close()
    assert all(r["errcode"] == 0 for r in results)
    assert len(calls(sandbox, "gettoken")) == 1
    assert len(calls(sandbox, "kf/account/list")) == 100


async def test_two_clients_share_the_cached_token(
    config: WeComConfig, store: Store, server: TestServer, sandbox: Sandbox
) -> None:
    # Two clients on one store stand for two processes sharing Redis.
    a, b = make_client(config, store, server), make_client(config, store, server)
    try:
        await asyncio.gather(
            *(a.app("main").kf_account_list() for _ in range(20)),
            *(b.app("main").kf_account_list() for _ in range(20)),
        )
    finally:
        await a.close()
        await b.close()
    assert len(calls(sandbox, "gettoken")) == 1


async def test_invalidated_token_is_refreshed_once_and_the_call_retried(
    config: WeComConfig, store: Store, server: TestServer, sandbox: Sandbox
) -> None:
    client = make_client(config, store, server)
    try:
        main = client.app("main")
        await main.kf_account_list()
        sandbox.corp.invalidate_tokens("main")
        results = await asyncio.gather(*(main.kf_account_list() for _ in range(30)))
    finally:
        await client.close()
    assert all(r["errcode"] == 0 for r in results)
    assert len(calls(sandbox, "gettoken")) == 2
    rejected = [c for c in calls(sandbox, "kf/account/list") if c["errcode"] == 40014]
    assert 1 <= len(rejected) <= 30


async def test_expired_token_42001_is_refreshed(
    config: WeComConfig, store: Store, server: TestServer, sandbox: Sandbox, clock: SandboxClock
) -> None:
    client = make_client(config, store, server)
    try:
        main = client.app("main")
        await main.kf_account_list()
        clock.advance(7201)  # WeCom's clock moves past expires_in; our cache does not know
        await main.kf_account_list()
    finally:
        await client.close()
    codes = [c["errcode"] for c in calls(sandbox, "kf/account/list")]
    assert codes == [0, 42001, 0]
    assert len(calls(sandbox, "gettoken")) == 2


async def test_token_refreshed_early_before_expiry(store: Store) -> None:
    now = [1000.0]
    fetched: list[str] = []

    async def fetch() -> tuple[str, int]:
        fetched.append(f"t{len(fetched)}")
        return fetched[-1], 100

    tm = TokenManager(store, "corp", "main", fetch, clock=lambda: now[0])
    assert await tm.get() == "t0"
    now[0] += 89  # < 90 % of expires_in: cached
    assert await tm.get() == "t0"
    now[0] += 2  # past 90 %: refreshed before WeCom would expire it
    assert await tm.get() == "t1"
    await tm.invalidate("t0")  # a stale rejection does not drop the new token
    assert await tm.get() == "t1"
    await tm.invalidate("t1")
    assert await tm.get() == "t2"


async def test_memo_saves_store_reads_and_never_outlives_an_invalidation(store: Store) -> None:
    now = [1000.0]
    fetched: list[str] = []
    reads = [0]
    real_get = store.get

    async def counting_get(key: str) -> str | None:
        reads[0] += 1
        return await real_get(key)

    async def fetch() -> tuple[str, int]:
        fetched.append(f"t{len(fetched)}")
        return fetched[-1], 7200

    store.get = counting_get  # type: ignore[method-assign]
    # Two managers on one store stand for two processes.
    a = TokenManager(store, "corp", "main", fetch, clock=lambda: now[0])
    b = TokenManager(store, "corp", "main", fetch, clock=lambda: now[0])
    assert await b.get() == "t0"  # b fetched it; a reads it from the store once
    reads[0] = 0
    assert [await a.get() for _ in range(5)] == ["t0"] * 5
    assert reads[0] == 1
    # WeCom rejects t0 in process b, which fetches t1; a still remembers t0, WeCom rejects
    # it there too, and a's retry reads t1 from the store.
    await b.invalidate("t0")
    assert await b.get() == "t1"
    assert await a.get() == "t0"
    await a.invalidate("t0")
    assert await a.get() == "t1"
    assert fetched == ["t0", "t1"]
    # The memo lasts seconds: past it, the store is read again.
    reads[0] = 0
    now[0] += 3
    assert await a.get() == "t1" and reads[0] == 1


async def test_a_read_racing_an_invalidation_is_not_remembered(store: Store) -> None:
    fetched: list[str] = []
    real_get = store.get
    gate = asyncio.Event()

    async def fetch() -> tuple[str, int]:
        fetched.append(f"t{len(fetched)}")
        return fetched[-1], 7200

    tm = TokenManager(store, "corp", "main", fetch)
    assert await tm.get() == "t0"
    await tm.invalidate("t0")  # nothing cached now; next get refreshes
    await store.set("wecom:token:corp:main", '{"token": "t0", "refresh_at": 9e12}', ttl=60)

    async def slow_get(key: str) -> str | None:
        value = await real_get(key)  # reads t0 ...
        await gate.wait()  # ... and only returns after the invalidation below
        return value

    store.get = slow_get  # type: ignore[method-assign]
    racing = asyncio.create_task(tm.get())
    await asyncio.sleep(0.05)
    await store.delete("wecom:token:corp:main")
    store.get = real_get  # type: ignore[method-assign]
    await tm.invalidate("t0")
    gate.set()
    assert await racing == "t0"  # that call was already on its way with t0
    assert await tm.get() == "t1"  # but t0 was not kept for the calls after it


async def test_a_read_made_while_an_invalidation_waits_is_not_remembered(store: Store) -> None:
    # The invalidation waits for the manager's lock (a refresh of this process under way);
    # meanwhile another call reads the store, which still holds the rejected token. That
    # call goes with it (WeCom will reject it, and it retries), but the calls after the
    # invalidation must not get it from the memo (a retry that did failed for good).
    fetched: list[str] = []

    async def fetch() -> tuple[str, int]:
        fetched.append(f"t{len(fetched)}")
        return fetched[-1], 7200

    tm = TokenManager(store, "corp", "main", fetch)
    assert await tm.get() == "t0"
    async with tm._local:
        invalidating = asyncio.create_task(tm.invalidate("t0"))
        await asyncio.sleep(0.01)  # it has forgotten the memo and waits for the lock
        assert await tm.get() == "t0"  # read from the store, not yet cleaned
    await invalidating
    assert await tm.get() == "t1"
    assert fetched == ["t0", "t1"]


async def test_token_rejected_twice_raises_token_error(
    config: WeComConfig, store: Store, server: TestServer, sandbox: Sandbox
) -> None:
    client = make_client(config, store, server)
    main = client.app("main")
    await main.kf_account_list()
    real = sandbox.corp.check_token

    def always_invalid(token: str | None) -> AppConfig:
        sandbox.corp.invalidate_tokens()
        return real(token)

    setattr(sandbox.corp, "check_token", always_invalid)  # noqa: B010
    try:
        with pytest.raises(TokenError) as info:
            await main.kf_account_list()
    finally:
        await client.close()
    assert info.value.errcode == 40014
    assert "access_token=" not in str(info.value)


async def test_bad_secret_is_a_config_error_not_retried(
    config: WeComConfig, memstore: Store, server: TestServer, sandbox: Sandbox
) -> None:
    bad_app = config.apps[0].model_copy(update={"secret": config.apps[0].secret.__class__("x")})
    bad = config.model_copy(update={"apps": (bad_app,)})
    client = make_client(bad, memstore, server)
    try:
        with pytest.raises(WeComAPIError) as info:
            await client.app("main").kf_account_list()
    finally:
        await client.close()
    assert info.value.errcode == INVALID_SECRET
    assert not isinstance(info.value, TokenError)
    assert "x" not in info.value.api and "corpsecret" not in str(info.value)
    assert len(calls(sandbox, "gettoken")) == 1


async def test_tokens_are_per_app(
    config: WeComConfig, memstore: Store, server: TestServer, sandbox: Sandbox
) -> None:
    client = make_client(config, memstore, server)
    try:
        await client.app("main").kf_account_list()
        await client.app("ops").kf_account_list()
        sandbox.corp.invalidate_tokens("ops")
        await client.app("main").kf_account_list()
    finally:
        await client.close()
    assert [c["app"] for c in calls(sandbox, "gettoken")] == ["main", "ops"]
    assert all(c["errcode"] == 0 for c in calls(sandbox, "kf/account/list"))
