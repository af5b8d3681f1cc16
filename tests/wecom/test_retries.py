"""Retries and their bounds, against the sandbox's fault injection."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestServer

from bot.ports import Store
from bot.protocol.errors import (
    KF_SESSION_STATE_INVALID,
    RateLimitError,
    WeComAPIError,
    WeComHTTPError,
)
from bot.settings import WeComConfig
from bot.wecom.client import WeComClient
from bot.wecom.policy import RetryPolicy
from sandbox import SEED_CUSTOMERS, SEED_KF, Sandbox
from tests.harness.policies import FAST_CLIENT
from tests.harness.wecom_client import calls, make_client

API = "kf/account/list"


async def test_busy_is_retried_then_succeeds(client: WeComClient, sandbox: Sandbox) -> None:
    sandbox.set_faults(busy_burst=2)
    res = await client.app("main").kf_account_list()
    assert res["errcode"] == 0
    assert [c["errcode"] for c in calls(sandbox, API)] == [-1, -1, 0]


async def test_busy_is_retried_at_most_three_times(client: WeComClient, sandbox: Sandbox) -> None:
    sandbox.set_faults(busy_burst=100)
    with pytest.raises(WeComAPIError) as info:
        await client.app("main").kf_account_list()
    assert info.value.errcode == -1
    assert len(calls(sandbox, API)) == 4  # 1 + 3 retries


async def test_rate_limit_burst_is_retried(client: WeComClient, sandbox: Sandbox) -> None:
    sandbox.set_faults(rate_limit_burst=3)
    await client.app("main").kf_account_list()
    assert [c["errcode"] for c in calls(sandbox, API)] == [45009, 45009, 45009, 0]


async def test_rate_limit_retries_are_bounded(client: WeComClient, sandbox: Sandbox) -> None:
    sandbox.set_faults(rate_limit_burst=100)
    with pytest.raises(RateLimitError) as info:
        await client.app("main").kf_account_list()
    assert info.value.errcode == 45009
    assert len(calls(sandbox, API)) == 1 + FAST_CLIENT.transient_retries


async def test_rate_limit_retries_stop_at_the_time_budget(
    config: WeComConfig, memstore: Store, server: TestServer, sandbox: Sandbox
) -> None:
    policy = RetryPolicy(transient_retries=50, rate_limit_delay=1.0, budget_seconds=0.5)
    client = make_client(config, memstore, server, retry=policy)
    sandbox.set_faults(rate_limit_burst=100)
    try:
        with pytest.raises(RateLimitError):
            await client.app("main").kf_account_list()
    finally:
        await client.close()
    assert len(calls(sandbox, API)) == 1  # the first wait would already pass the budget


async def test_http_5xx_is_retried(client: WeComClient, sandbox: Sandbox) -> None:
    sandbox.set_faults(http5xx_burst=2)
    await client.app("main").kf_account_list()
    assert [c["http_status"] for c in calls(sandbox, API)] == [503, 503, 200]


async def test_http_5xx_retries_are_bounded(client: WeComClient, sandbox: Sandbox) -> None:
    sandbox.set_faults(http5xx_burst=100)
    with pytest.raises(WeComHTTPError) as info:
        await client.app("main").kf_account_list()
    assert info.value.status == 503
    assert len(calls(sandbox, API)) == 1 + FAST_CLIENT.transient_retries
    assert "access_token" not in str(info.value)


async def test_timeouts_are_retried_and_bounded(
    config: WeComConfig, memstore: Store, server: TestServer, sandbox: Sandbox
) -> None:
    policy = RetryPolicy(transient_retries=2, base_delay=0.001, request_timeout=0.05)
    client = make_client(config, memstore, server, retry=policy)
    await client.app("main").tokens.get()
    sandbox.set_faults(latency=0.3, paths=[API])
    try:
        with pytest.raises(WeComHTTPError) as info:
            await client.app("main").kf_account_list()
    finally:
        await client.close()
    assert "Timeout" in info.value.detail
    assert "access_token" not in str(info.value)


async def test_other_errors_raise_at_once(client: WeComClient, sandbox: Sandbox) -> None:
    customer = SEED_CUSTOMERS[0][0]
    with pytest.raises(WeComAPIError) as info:
        # never wrote: the session is not in state 0/1
        await client.app("main").kf_send_text(customer, SEED_KF, "hi")
    assert info.value.errcode == KF_SESSION_STATE_INVALID
    assert info.value.api == "kf/send_msg"
    assert len(calls(sandbox, "kf/send_msg")) == 1


async def test_error_rate_is_deterministic_for_a_seed(
    client: WeComClient, sandbox: Sandbox
) -> None:
    def run() -> list[object]:
        sandbox.set_faults(error_rate=0.5, seed=7)
        return [sandbox.corp.faults.draw(API) for _ in range(20)]

    first, second = run(), run()
    assert first == second
    assert "busy" in first and None in first
