"""The in-process job runner keeps the arq semantics: retries, timeout, priority, ids, drain."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.pipeline.runners import InProcessRunner, retry_delay


def test_retry_delay_backs_off_and_is_capped() -> None:
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, 4.0]
    assert retry_delay(50) == 60.0


async def test_time_boxed_jobs_run_before_the_rest() -> None:
    order: list[str] = []
    gate = asyncio.Event()

    async def job(ctx: Any, name: str) -> None:
        await gate.wait()
        order.append(name)

    runner = InProcessRunner({"job": job}, None, concurrency=1)
    await runner.start()
    await runner.enqueue("job", "blocker")
    await asyncio.sleep(0.01)  # the single worker now waits on the blocker
    for i in range(3):
        await runner.enqueue("job", f"normal-{i}")
    await runner.enqueue("job", "welcome", priority=True)
    gate.set()
    assert await runner.join(5)
    await runner.close()
    assert order == ["blocker", "welcome", "normal-0", "normal-1", "normal-2"]


async def test_same_job_id_is_not_queued_twice_until_it_finished() -> None:
    runs: list[int] = []

    async def job(ctx: Any, n: int) -> None:
        runs.append(n)

    runner = InProcessRunner({"job": job}, None)
    assert await runner.enqueue("job", 1, job_id="inbox:1") is True
    assert await runner.enqueue("job", 1, job_id="inbox:1") is False
    await runner.start()
    assert await runner.join(5)
    assert await runner.enqueue("job", 1, job_id="inbox:1") is True
    assert await runner.join(5)
    await runner.close()
    assert runs == [1, 1]


async def test_failures_retry_with_backoff_then_give_up() -> None:
    attempts: list[int] = []

    async def flaky(ctx: Any) -> None:
        attempts.append(len(attempts) + 1)
        raise RuntimeError("boom")

    runner = InProcessRunner({"flaky": flaky}, None, max_tries=3, delay=lambda n: 0.01)
    await runner.start()
    await runner.enqueue("flaky")
    assert await runner.join(5)
    await runner.close()
    assert attempts == [1, 2, 3]


async def test_a_job_past_its_timeout_is_cancelled_and_retried() -> None:
    calls = 0

    async def slow(ctx: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            await asyncio.sleep(10)

    runner = InProcessRunner({"slow": slow}, None, timeout=0.05, delay=lambda n: 0.01)
    await runner.start()
    await runner.enqueue("slow")
    assert await runner.join(5)
    await runner.close()
    assert calls == 2


async def test_close_drains_queued_work_and_then_refuses_more() -> None:
    done: list[int] = []

    async def job(ctx: Any, n: int) -> None:
        await asyncio.sleep(0.01)
        done.append(n)

    runner = InProcessRunner({"job": job}, None, concurrency=2)
    await runner.start()
    for n in range(10):
        await runner.enqueue("job", n)
    await runner.close(drain_timeout=5)
    assert sorted(done) == list(range(10))
    assert await runner.enqueue("job", 99) is False


async def test_close_waits_for_retries_due_within_the_drain_and_no_longer() -> None:
    """Deferred jobs and retries due after the drain are left to the next start's sweep (their
    rows are durable): stopping must not sit out a 5-minute deferral or a retry storm."""
    tries: dict[str, int] = {"soon": 0, "never": 0, "later": 0}

    async def job(ctx: Any, name: str) -> None:
        tries[name] += 1
        if name == "soon" and tries[name] == 1:
            raise RuntimeError("transient")
        if name == "never":
            raise RuntimeError("down")

    # A first retry after 0.05 s falls inside the drain, a second one after 10 s outside it.
    runner = InProcessRunner({"job": job}, None, delay=lambda n: 0.05 if n == 1 else 10)
    await runner.start()
    await runner.enqueue("job", "later", defer=300, job_id="later")
    await runner.enqueue("job", "soon")
    await runner.enqueue("job", "never")
    loop = asyncio.get_running_loop()
    started = loop.time()
    await runner.close(drain_timeout=2)
    assert loop.time() - started < 1
    assert tries == {"soon": 2, "never": 2, "later": 0}
    assert runner.idle


async def test_hurry_ends_the_drain_and_cancels_what_still_runs() -> None:
    cancelled = asyncio.Event()

    async def slow(ctx: Any) -> None:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    runner = InProcessRunner({"slow": slow}, None)
    await runner.start()
    await runner.enqueue("slow")
    await asyncio.sleep(0.01)
    loop = asyncio.get_running_loop()
    started = loop.time()
    closing = asyncio.create_task(runner.close(drain_timeout=60))
    await asyncio.sleep(0.05)
    assert not closing.done()  # draining: waits for the job
    runner.hurry()  # a second stop signal
    await asyncio.wait_for(closing, 2)
    assert cancelled.is_set() and loop.time() - started < 1
    await runner.close(drain_timeout=60)  # the service's own close after it: at once
    assert loop.time() - started < 1


async def test_unknown_job_name_is_an_error() -> None:
    runner = InProcessRunner({}, None)
    with pytest.raises(KeyError):
        await runner.enqueue("nope")
