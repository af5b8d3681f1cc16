"""The store contract, against the in-process store and the real Redis."""

from __future__ import annotations

import asyncio
import sys
import textwrap
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.infra.store import LockTimeout, MemoryStore, make_store
from bot.infra.store.locks import LocalLocks
from bot.ports import Store
from tests.harness.waiting import wait_for


@pytest.fixture(params=["memory", "redis"])
async def store(request: pytest.FixtureRequest, redis_url: str) -> AsyncIterator[Store]:
    s = MemoryStore() if request.param == "memory" else make_store(redis_url, prefix="t:")
    yield s
    await s.close()


async def test_get_set_delete_and_set_if_absent(store: Store) -> None:
    assert await store.get("k") is None
    await store.set("k", "v")
    assert await store.get("k") == "v"
    assert await store.set_if_absent("k", "other") is False
    assert await store.get("k") == "v"
    await store.delete("k")
    assert await store.set_if_absent("k", "new") is True
    assert await store.get("k") == "new"


async def test_take_reads_and_deletes_a_value(store: Store) -> None:
    await store.delete("taken")
    assert await store.take("taken") is None
    await store.set("taken", "v", ttl=60)
    assert await store.take("taken") == "v"
    assert await store.get("taken") is None and await store.take("taken") is None
    await store.set("taken", "short", ttl=0.05)
    await asyncio.sleep(0.1)
    assert await store.take("taken") is None  # expired: as if unset


async def test_whether_a_lock_is_held_is_seen_by_everyone(store: Store) -> None:
    assert await store.held("busy") is False
    async with store.lock("busy", ttl=5, wait=0):
        assert await store.held("busy") is True
        assert await store.set_and_held("mark", "m", 5, "busy") is True
    assert await store.get("mark") == "m"
    assert await store.held("busy") is False
    assert await store.set_and_held("mark", "again", 5, "busy") is False
    assert await store.get("mark") == "again"


async def test_a_set_and_held_is_heard_by_whoever_watches_its_key(
    store: Store, redis_url: str
) -> None:
    """A lock holder waiting for a key (a kf puller for its account's mark) hears of each
    ``set_and_held`` on it, another process's too; not of other keys, nor of sets made
    before its watch."""
    memory = isinstance(store, MemoryStore)
    setter = store if memory else make_store(redis_url, prefix="t:")  # a second process
    try:
        marks = store.sets_of("mark")

        async def heard() -> bool:
            # The subscription comes up in the background: until then a set goes unheard,
            # which only costs a waiter its timeout.
            await setter.set_and_held("mark", "m", 5, "busy")
            return await marks.next(0.05)

        await wait_for(heard, timeout=5)
        assert await marks.next(0.1) is False  # that set was taken
        await setter.set_and_held("another", "x", 5, "busy")
        assert await marks.next(0.1) is False
        await setter.set_and_held("mark", "1", 5, "busy")
        await setter.set_and_held("mark", "2", 5, "busy")
        assert await marks.next(5) is True  # both at once
        assert await marks.next(0.1) is False
        late = store.sets_of("mark")  # made after those sets: none of them is its
        assert await late.next(0.1) is False
        waiting = asyncio.create_task(late.next(5))
        await asyncio.sleep(0.05)
        await setter.set_and_held("mark", "3", 5, "busy")
        assert await waiting is True
        assert await marks.next(0.1) is True
        assert await store.get("mark") == "3"
    finally:
        if setter is not store:
            await setter.close()


async def test_sets_are_heard_again_after_redis_dropped_the_subscription(
    redis_url: str,
) -> None:
    """Redis restarted (or dropped the connection): the listener ends, and the next watch
    subscribes again."""
    store, setter = make_store(redis_url, prefix="t:"), make_store(redis_url, prefix="t:")
    try:
        async def heard_by(marks: Any) -> bool:
            await setter.set_and_held("mark", "m", 5, "busy")
            return bool(await marks.next(0.05))

        async def subscribers() -> set[str]:
            found = await setter.redis.execute_command(  # type: ignore[attr-defined]
                "CLIENT", "LIST", "TYPE", "pubsub")
            return {f.split("=", 1)[1] for line in str(found).splitlines()
                    for f in line.split() if f.startswith("id=")}

        others = await subscribers()
        first = store.sets_of("mark")
        await wait_for(lambda: heard_by(first), timeout=5)
        for client in await subscribers() - others:  # this store's, no one else's
            await setter.redis.execute_command("CLIENT", "KILL", "ID", client)  # type: ignore[attr-defined]
        await wait_for(lambda: store._listener.done(), timeout=5)  # type: ignore[attr-defined]
        second = store.sets_of("mark")
        await wait_for(lambda: heard_by(second), timeout=5)
    finally:
        await store.close()
        await setter.close()
    assert store._listener.done()  # type: ignore[attr-defined]


async def test_values_expire(store: Store) -> None:
    await store.set("short", "1", ttl=0.1)
    remaining = await store.ttl("short")
    assert remaining is not None and 0 < remaining <= 0.1
    await asyncio.sleep(0.2)
    assert await store.get("short") is None
    assert await store.ttl("short") is None
    assert await store.set_if_absent("short", "2", ttl=5) is True


async def test_counters_keep_their_first_ttl(store: Store) -> None:
    assert await store.incr("c", ttl=0.2) == 1
    assert await store.incr("c", 4, ttl=100) == 5
    remaining = await store.ttl("c")
    assert remaining is not None and remaining <= 0.2
    await asyncio.sleep(0.3)
    assert await store.incr("c") == 1
    assert await store.ttl("c") is None


async def test_lock_is_exclusive_and_bounded_wait(store: Store) -> None:
    inside = 0
    peak = 0

    async def critical() -> None:
        nonlocal inside, peak
        async with store.lock("res", ttl=5):
            inside += 1
            peak = max(peak, inside)
            await asyncio.sleep(0.01)
            inside -= 1

    await asyncio.gather(*(critical() for _ in range(10)))
    assert peak == 1
    async with store.lock("held", ttl=5):
        with pytest.raises(LockTimeout):
            async with store.lock("held", ttl=5, wait=0):
                pass
        with pytest.raises(LockTimeout):
            async with store.lock("held", ttl=5, wait=0.05):
                pass
    async with store.lock("held", ttl=5, wait=0):
        pass


async def test_local_locks_queue_in_order_and_forget_unused_names() -> None:
    locks = LocalLocks()
    order: list[int] = []

    async def take(i: int) -> None:
        async with locks.hold("conv:a", None):
            order.append(i)
            await asyncio.sleep(0.005)

    await asyncio.gather(*(take(i) for i in range(5)))
    assert order == [0, 1, 2, 3, 4]  # woken first come, first served; no polling
    async with locks.hold("conv:b", 1.0) as left:
        assert left is not None and 0 < left <= 1.0
        with pytest.raises(LockTimeout):
            async with locks.hold("conv:b", 0.02):
                pass
        with pytest.raises(LockTimeout):
            async with locks.hold("conv:b", 0):
                pass
        assert len(locks) == 1
    assert len(locks) == 0  # one entry per name in use, not one per name ever used


async def test_redis_lock_waiters_in_one_process_take_turns_across_processes(
    redis_url: str,
) -> None:
    a = make_store(redis_url, prefix="t:")
    b = make_store(redis_url, prefix="t:")
    inside = 0
    peak = 0

    async def critical(s: Store) -> None:
        nonlocal inside, peak
        async with s.lock("shared", ttl=5, wait=5):
            inside += 1
            peak = max(peak, inside)
            await asyncio.sleep(0.005)
            inside -= 1

    try:
        await asyncio.gather(*(critical(a if i % 2 else b) for i in range(12)))
        assert peak == 1
    finally:
        await a.close()
        await b.close()


async def test_pubsub_delivers_to_every_subscriber(store: Store) -> None:
    got: list[list[str]] = [[], []]
    ready = asyncio.Event()

    async def listen(i: int) -> None:
        stream = store.subscribe("rules")
        it = stream.__aiter__()
        nxt = asyncio.ensure_future(it.__anext__())
        await asyncio.sleep(0.2)  # the subscription is registered once iteration starts
        ready.set()
        got[i].append(await nxt)
        got[i].append(await it.__anext__())
        await stream.aclose()  # type: ignore[attr-defined]

    tasks = [asyncio.create_task(listen(i)) for i in range(2)]
    await ready.wait()
    await asyncio.sleep(0.05)
    await store.publish("rules", "v1")
    await store.publish("rules", "v2")
    await asyncio.wait_for(asyncio.gather(*tasks), 5)
    assert got == [["v1", "v2"], ["v1", "v2"]]
    assert await store.ping()


async def test_redis_lock_expires_when_holder_dies(redis_url: str) -> None:
    """A holder killed with its process (its renewals stop) blocks the others for ttl."""
    holder = await asyncio.create_subprocess_exec(
        sys.executable, "-c", textwrap.dedent(f"""
            import asyncio
            from bot.infra.store import make_store

            async def main():
                store = make_store({redis_url!r}, prefix="t:")
                async with store.lock("crashy", ttl=0.5):
                    print("held", flush=True)
                    await asyncio.sleep(3600)

            asyncio.run(main())
        """), stdout=asyncio.subprocess.PIPE)
    b = make_store(redis_url, prefix="t:")
    try:
        assert holder.stdout is not None
        assert (await asyncio.wait_for(holder.stdout.readline(), 20)).strip() == b"held"
        await asyncio.sleep(0.8)  # past its ttl: alive, it renews
        with pytest.raises(LockTimeout):
            async with b.lock("crashy", ttl=1, wait=0.1):
                pass
        holder.kill()
        await holder.wait()
        async with b.lock("crashy", ttl=1, wait=2):
            pass
    finally:
        if holder.returncode is None:
            holder.kill()
            await holder.wait()
        await b.close()


async def test_a_live_redis_lock_holder_keeps_it_past_its_ttl(redis_url: str) -> None:
    """The lock is renewed while held: ttl bounds a crashed holder, not the work."""
    a = make_store(redis_url, prefix="t:")
    b = make_store(redis_url, prefix="t:")
    try:
        async with a.lock("long-work", ttl=0.3):
            await asyncio.sleep(1.0)
            with pytest.raises(LockTimeout):
                async with b.lock("long-work", ttl=1, wait=0.1):
                    pass
        async with b.lock("long-work", ttl=1, wait=0.5):
            pass
    finally:
        await a.close()
        await b.close()


async def test_the_memory_store_forgets_expired_keys_nobody_reads_again() -> None:
    """A counter per address (the progress pages' limit) is written once and never read:
    the in-process store drops such keys once expired instead of keeping every one."""
    s = MemoryStore()
    for i in range(5000):
        await s.incr(f"rl:{i}", ttl=0.05)
    await asyncio.sleep(0.1)
    for i in range(5000, 10000):
        await s.incr(f"rl:{i}", ttl=0.05)
    assert len(s._data) <= 6000  # the first 5,000 went; a live key never does
    await s.set("kept", "1")
    await asyncio.sleep(0.1)
    for i in range(10000, 30000):
        await s.incr(f"rl:{i}", ttl=0.05)
    assert await s.get("kept") == "1" and len(s._data) < 30000


def _count_commands(store: Any) -> list[int]:
    """Counts the commands the store's client sends (one each way; a pipeline is one)."""
    sent = [0]
    send = store.redis.execute_command

    async def counted(*args: Any, **options: Any) -> Any:
        sent[0] += 1
        return await send(*args, **options)

    store.redis.execute_command = counted
    return sent


async def test_a_burst_of_redis_locks_shares_its_round_trips(redis_url: str) -> None:
    """Locks taken and let go side by side (a pull's messages) travel in shared scripts,
    and each is still exclusive: another process finds every one of them taken."""
    a = make_store(redis_url, prefix="t:")
    b = make_store(redis_url, prefix="t:")
    inside = asyncio.Event()
    go = asyncio.Event()

    async def hold(i: int) -> None:
        async with a.lock(f"burst:{i}", ttl=5, wait=1):
            inside.set()
            await go.wait()

    try:
        async with a.lock("warm", ttl=5):  # the script is loaded once, outside the count
            pass
        sent = _count_commands(a)
        tasks = [asyncio.create_task(hold(i)) for i in range(40)]
        await inside.wait()
        await asyncio.sleep(0.05)
        taking, sent[0] = sent[0], 0
        for i in range(40):
            assert await b.held(f"burst:{i}")
            with pytest.raises(LockTimeout):
                async with b.lock(f"burst:{i}", ttl=5, wait=0):
                    pass
        go.set()
        await asyncio.gather(*tasks)
        releasing = sent[0]
        # 40 takes and 40 releases: a few scripts each, not a command per lock.
        assert 1 <= taking <= 5 and 1 <= releasing <= 5, (taking, releasing)
        for i in range(40):
            assert not await b.held(f"burst:{i}")
    finally:
        await a.close()
        await b.close()


async def test_a_redis_lock_taker_cancelled_in_flight_leaves_nothing_held(
    redis_url: str,
) -> None:
    """Cancelled while its script is on the way, the taker may have set the key: it is
    let go at once, not left blocking everyone for the lock's ttl."""
    a, b = make_store(redis_url, prefix="t:"), make_store(redis_url, prefix="t:")
    try:
        await b.delete("lock:cancelled")  # a run killed before could have left it
        taker = asyncio.create_task(_enter(a, "cancelled", ttl=30))
        await asyncio.sleep(0)  # the take is submitted; its script not yet answered
        taker.cancel()
        with pytest.raises(asyncio.CancelledError):
            await taker
        # Another process gets it within moments, not after the ttl. Asked at once, on its
        # own connection, it could beat the take's script to the key (and held() could say
        # False before that script set it): the script and the release follow within
        # milliseconds, so it asks a little later.
        await asyncio.sleep(0.2)
        async with b.lock("cancelled", ttl=5, wait=2.0):
            pass
    finally:
        await a.close()
        await b.close()


async def _enter(s: Store, name: str, ttl: float) -> None:
    async with s.lock(name, ttl=ttl):
        await asyncio.sleep(3600)


async def test_a_redis_lock_lost_past_its_ttl_is_not_released_for_its_new_holder(
    redis_url: str,
) -> None:
    """A holder whose lock expired (Redis away past the ttl) and was taken by another does
    not let go of the other's lock on its way out."""
    a = make_store(redis_url, prefix="t:")
    b = make_store(redis_url, prefix="t:")
    try:
        async with a.lock("stolen", ttl=5):
            await a.redis.delete("t:lock:stolen")  # as if it had expired
            async with b.lock("stolen", ttl=5, wait=0):
                pass
            await b.redis.set("t:lock:stolen", "someone-else", px=5000)
        assert await b.redis.get("t:lock:stolen") == "someone-else"
    finally:
        await a.close()
        await b.close()


async def test_redis_commands_under_way_together_share_a_pipeline(redis_url: str) -> None:
    """Reads and writes asked for side by side (a pull's customers each read a mark) go in
    one pipeline, in order; a command Redis refuses fails only its own caller."""
    a = make_store(redis_url, prefix="t:")
    pipelines = [0]
    make = a.redis.pipeline

    def counted(*args: Any, **kwargs: Any) -> Any:
        pipelines[0] += 1
        return make(*args, **kwargs)

    try:
        await a.set("mark:0", "v0")
        await a.redis.hset("t:a-hash", "f", "1")  # GET of it: WRONGTYPE
        a.redis.pipeline = counted  # type: ignore[method-assign]
        sent = _count_commands(a)
        got = await asyncio.gather(
            *(a.get(f"mark:{i}") for i in range(30)),
            a.set("mark:new", "x", ttl=5), a.set_if_absent("mark:0", "other"),
            a.get("a-hash"), return_exceptions=True)
        assert got[:30] == ["v0", *[None] * 29]
        assert got[30] is None and got[31] is False and isinstance(got[32], Exception)
        assert pipelines[0] <= 2 and sent[0] == 0, (pipelines, sent)
        assert await a.get("mark:new") == "x" and await a.get("mark:0") == "v0"
        assert 0 < (await a.ttl("mark:new") or 0) <= 5
    finally:
        await a.close()


async def test_a_redis_command_or_lock_refused_fails_only_its_own_caller(
    redis_url: str,
) -> None:
    """A value Redis cannot take, or a lock key holding something else, fails the caller
    who asked, not the others sharing its pipeline or script; no lock is left set."""
    a = make_store(redis_url, prefix="t:")
    try:
        await a.set("ok", "1")
        got = await asyncio.gather(a.get("ok"), a.set("bad", None),  # type: ignore[arg-type]
                                   a.delete("gone"), return_exceptions=True)
        assert got[0] == "1" and isinstance(got[1], Exception) and got[2] is None, got
        go = asyncio.Event()

        async def spoiled() -> None:
            async with a.lock("spoiled", ttl=30, wait=0):
                # Its key replaced by something else: Redis refuses the release's GET.
                await a.redis.delete("t:lock:spoiled")
                await a.redis.hset("t:lock:spoiled", "f", "1")
                await go.wait()

        async def hold(name: str) -> str:
            await go.wait()  # taken in the same script as the spoiled release
            async with a.lock(name, ttl=30, wait=0):
                return name

        tasks = [asyncio.create_task(c) for c in (spoiled(), hold("x"), hold("y"))]
        await asyncio.sleep(0.05)
        go.set()
        got = await asyncio.gather(*tasks, return_exceptions=True)
        assert isinstance(got[0], Exception) and got[1:] == ["x", "y"], got
        assert not await a.redis.exists("t:lock:x", "t:lock:y")
    finally:
        await a.close()


def test_a_loops_batchers_do_not_keep_the_loop_alive() -> None:
    """Batchers kept per event loop hold no finished task (which would hold its loop), so
    a closed loop and its batchers go (tests run a loop each)."""
    import gc
    import weakref

    from bot.infra import group_commit

    async def flush(items: list[int]) -> list[int]:
        return items

    loops: list[weakref.ref[asyncio.AbstractEventLoop]] = []

    async def use() -> int:
        loops.append(weakref.ref(asyncio.get_running_loop()))
        return await group_commit.loop_batcher("test.leak", flush).submit(7)

    assert asyncio.run(use()) == 7
    gc.collect()
    assert loops[0]() is None  # the loop is gone, and with it its batchers
