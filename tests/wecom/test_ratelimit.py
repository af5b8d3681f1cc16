"""Client-side rate limits: calls wait their turn, across processes (one shared store)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from bot.infra.ratelimit import RateLimiter
from bot.ports import Store
from bot.settings import WeComConfig
from bot.wecom.policy import RateLimits
from sandbox import Sandbox, SandboxClock
from tests.harness.wecom_client import calls, make_client


async def test_limiter_makes_the_excess_wait(store: Store) -> None:
    limiter = RateLimiter(store, prefix="rl-test:")
    waits = [await limiter.acquire("k", 3, 0.2) for _ in range(3)]
    assert waits == [0.0, 0.0, 0.0]
    assert await limiter.acquire("k", 3, 0.2) > 0  # the 4th waits for the next window
    assert await store.get("rl-test:k") is not None


async def test_per_api_limit_delays_but_loses_nothing(
    config: WeComConfig, store: Store, server: TestServer, sandbox: Sandbox
) -> None:
    limits = RateLimits(per_api=4, window=0.2)
    a = make_client(config, store, server, limits=limits)
    b = make_client(config, store, server, limits=limits)  # a second "process"
    waited: list[float] = []
    for c in (a, b):
        orig = c.limiter.acquire_all

        async def spy(keys: Any, orig: Any = orig, **kw: Any) -> float:
            w: float = await orig(keys, **kw)
            waited.append(w)
            return w

        setattr(c.limiter, "acquire_all", spy)  # noqa: B010
    try:
        results = await asyncio.gather(
            *(c.app("main").kf_account_list() for c in (a, b) for _ in range(5))
        )
    finally:
        await a.close()
        await b.close()
    assert all(r["errcode"] == 0 for r in results)
    assert len(calls(sandbox, "kf/account/list")) == 10
    assert sum(1 for w in waited if w > 0) >= 5  # 10 calls, 4 per window: most waited


async def test_member_limit_waits_instead_of_being_dropped(
    config: WeComConfig,
    store: Store,
    server: TestServer,
    sandbox: Sandbox,
    clock: SandboxClock,
) -> None:
    # WeCom (and the sandbox) silently drop a member's 31st message within a minute; with
    # a client limit of 2 per window and a sandbox limit of 2 per minute, nothing is lost
    # only because the client waits for the next window — so make the sandbox's window
    # follow the client's by advancing its clock when the client waits.
    sandbox.corp.limits.member_per_minute = 2
    client = make_client(
        config, store, server, limits=RateLimits(member_per_minute=2, member_minute_window=0.2)
    )
    orig = client.limiter.acquire

    async def acquire(key: str, limit: int, window: float, **kw: Any) -> float:
        w = await orig(key, limit, window, **kw)
        if w and key.startswith("member:"):
            clock.advance(61)
        return w

    setattr(client.limiter, "acquire", acquire)  # noqa: B010
    try:
        for i in range(5):
            await client.app("main").send_text("zhangwei", f"n{i}")
    finally:
        await client.close()
    assert [m["payload"]["content"] for m in sandbox.inbox("zhangwei")] == [
        f"n{i}" for i in range(5)
    ]
    assert sandbox.app_messages.dropped == []


async def test_sandbox_drops_a_members_excess_silently(
    config: WeComConfig, store: Store, server: TestServer, sandbox: Sandbox
) -> None:
    client = make_client(config, store, server, limits=RateLimits(member_per_minute=1000))
    try:
        for i in range(31):
            res = await client.app("main").send_text("lina", f"m{i}")
            assert res["errcode"] == 0
    finally:
        await client.close()
    assert len(sandbox.inbox("lina")) == 30
    assert len(sandbox.app_messages.dropped) == 1


async def test_a_wait_longer_than_allowed_raises_limiter_busy(
    config: WeComConfig, store: Store, server: TestServer, sandbox: Sandbox
) -> None:
    from bot.protocol.errors import LimiterBusy
    from bot.wecom.policy import RetryPolicy

    client = make_client(config, store, server, limits=RateLimits(per_api=1, window=30))
    client.retry = RetryPolicy(limiter_wait=0.05)
    try:
        await client.app("main").kf_account_list()
        with pytest.raises(LimiterBusy) as err:
            await client.app("main").kf_account_list()
        assert 0 < err.value.retry_after <= 30
    finally:
        await client.close()
    assert len(calls(sandbox, "kf/account/list")) == 1  # the refused call was never sent


class _CountingStore:
    """The test's store, its counter takes recorded: (time, count after, amount taken)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.takes: list[tuple[float, int, int]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    async def incr(self, key: str, amount: int = 1, ttl: float | None = None) -> int:
        n = await self.store.incr(key, amount, ttl=ttl)
        self.takes.append((time.monotonic(), n, amount))
        return n


async def test_a_busy_caller_takes_its_slots_in_leases(store: Store) -> None:
    """A process making many calls takes several slots per store round trip (as many as it
    used in the last second, capped), not one each."""
    counting = _CountingStore(store)
    limiter = RateLimiter(counting, prefix="rl-lease:")  # type: ignore[arg-type]
    calls = 0
    started = time.monotonic()
    while time.monotonic() - started < 1.5:  # a steady stream of calls
        assert await limiter.acquire("k", 10_000, 60.0) == 0.0
        calls += 1
        await asyncio.sleep(0.005)
    assert len(counting.takes) < calls / 4, (len(counting.takes), calls)
    assert max(amount for _, _, amount in counting.takes) <= 64
    taken = counting.takes[-1][1]
    assert calls <= taken <= calls + 64  # every call counted; at most a lease unused


async def test_leased_slots_never_pass_the_limit_of_their_window(store: Store) -> None:
    """Three callers as fast as they can against 3,200 calls per 0.4 s: no window of the
    store's counter sees more calls than its limit (slots left in a lease when its window
    ends are not used in the next). A call whose slot was taken just before a window ended
    may be made just after: up to one per caller is allowed for that."""
    limit, window = 3200, 0.4
    counting = _CountingStore(store)
    limiter = RateLimiter(counting, prefix="rl-window:")  # type: ignore[arg-type]
    used: list[float] = []

    async def caller() -> None:
        started = time.monotonic()
        while time.monotonic() - started < 1.0:
            await limiter.acquire("k", limit, window)
            used.append(time.monotonic())
            if len(used) % 50 == 0:
                await asyncio.sleep(0)

    await asyncio.gather(*(caller() for _ in range(3)))
    starts = [at for at, n, amount in counting.takes if n == amount]  # a new window
    assert len(starts) >= 2  # the limit was reached: callers waited for the next window
    per_window = [0] * len(starts)
    for at in used:
        per_window[max(k for k, s in enumerate(starts) if s <= at)] += 1
    assert max(per_window) <= limit + 3, per_window


async def test_a_burst_of_calls_shares_one_take(store: Store) -> None:
    """Calls arriving side by side (a pull's replies) while a take of slots is under way
    wait for its answer and are served from its lease, every call still counted before it
    is made: a round trip or two for the burst, not one each (each took slots of its own,
    as many as the second's calls so far: 25 takes and 725 slots for 25 calls here). Should
    the take fail, those that waited for it go on with a take of their own."""
    class _RoundTrips(_CountingStore):
        async def incr(self, key: str, amount: int = 1, ttl: float | None = None) -> int:
            await asyncio.sleep(0.002)  # a round trip, also for the in-process store
            return await super().incr(key, amount, ttl)

    counting = _RoundTrips(store)
    limiter = RateLimiter(counting, prefix=f"rl-burst-{time.time_ns()}:")  # type: ignore[arg-type]
    for _ in range(40):  # a busy second before: the next take leases as many
        await limiter.acquire("k", 10_000, 60.0)
        await asyncio.sleep(0.005)
    await asyncio.sleep(1.1)  # the lease's time is up: the burst must take anew
    before = len(counting.takes)
    assert await asyncio.gather(*(limiter.acquire("k", 10_000, 60.0) for _ in range(25))) \
        == [0.0] * 25
    # The first call takes for itself (no demand known yet); the next one for the burst.
    burst = counting.takes[before:]
    assert len(burst) <= 2 and sum(amount for _, _, amount in burst) <= 25 + 25, burst

    class _Failing(_CountingStore):
        fail = False

        async def incr(self, key: str, amount: int = 1, ttl: float | None = None) -> int:
            if self.fail:
                self.fail = False
                await asyncio.sleep(0.01)
                raise ConnectionError("store away")
            return await super().incr(key, amount, ttl)

    failing = _Failing(store)
    prefix = f"rl-burst-failing-{time.time_ns()}:"  # counted afresh, whatever ran before
    limiter = RateLimiter(failing, prefix=prefix)  # type: ignore[arg-type]
    for _ in range(40):
        await limiter.acquire("k", 10_000, 60.0)
        await asyncio.sleep(0.005)
    await asyncio.sleep(1.1)
    failing.fail = True
    got = await asyncio.gather(*(limiter.acquire("k", 10_000, 60.0) for _ in range(5)),
                               return_exceptions=True)
    assert [type(g) for g in got] == [ConnectionError, float, float, float, float]
    taken = int(await store.get(prefix + "k") or 0)
    assert 40 + 4 <= taken <= 40 + 4 + 64  # every call made counted; at most a lease unused
