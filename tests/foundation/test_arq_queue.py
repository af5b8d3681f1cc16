"""The production queue: jobs queued by one script per burst are arq's own jobs, with arq's
refusal of a taken id, its expiry and its deferral; one refused job fails alone."""

from __future__ import annotations

import asyncio
import time

import pytest
from arq.constants import job_key_prefix, result_key_prefix
from arq.jobs import Job, JobStatus
from redis.exceptions import ResponseError

from bot.infra.logs import correlated
from bot.pipeline.runners import CORRELATION_ARG, DEFAULT_QUEUE, FAST_QUEUE, ArqQueue
from tests.harness.waiting import wait_for


@pytest.fixture
async def queue(redis_url: str):  # type: ignore[no-untyped-def]
    q = await ArqQueue.connect(redis_url)
    yield q
    await q.close()


async def test_a_burst_is_one_script_and_each_job_is_arqs(queue: ArqQueue) -> None:
    calls = 0
    script = queue._script

    async def counting(**kw):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return await script(**kw)

    queue._script = counting  # type: ignore[method-assign]
    with correlated(42):
        queued = await asyncio.gather(*(
            queue.enqueue("process_inbox", i, priority=i % 2 == 0, job_id=f"inbox:{i}")
            for i in range(50)))
    assert queued == [True] * 50
    # Queued side by side: one script for all of them, where arq takes three round trips
    # for each.
    assert calls == 1
    pool = queue.pool
    for i in (0, 1, 49):
        info = await Job(f"inbox:{i}", pool, _queue_name=FAST_QUEUE if i % 2 == 0
                         else DEFAULT_QUEUE).info()
        assert info is not None
        assert (info.function, info.args, info.kwargs) == (
            "process_inbox", (i,), {CORRELATION_ARG: 42})
    assert await pool.zcard(FAST_QUEUE) == 25
    assert await pool.zcard(DEFAULT_QUEUE) == 25
    ttl = await pool.pttl(job_key_prefix + "inbox:3")
    assert 86_000_000 < ttl <= 86_400_000  # arq's expiry of a job not deferred: a day


async def test_an_id_queued_or_done_is_refused(queue: ArqQueue) -> None:
    assert await queue.enqueue("process_inbox", 1, job_id="inbox:1") is True
    assert await queue.enqueue("process_inbox", 1, job_id="inbox:1") is False
    # Twice in one burst: the first is queued, the second refused.
    assert await asyncio.gather(queue.enqueue("a", job_id="x"), queue.enqueue("a", job_id="x"),
                                queue.enqueue("a", job_id="x")) == [True, False, False]
    await queue.pool.set(result_key_prefix + "inbox:2", b"done")  # its job ran, result kept
    assert await queue.enqueue("process_inbox", 2, job_id="inbox:2") is False
    assert await queue.pool.zrange(DEFAULT_QUEUE, 0, -1) == [b"inbox:1", b"x"]
    # No id: a fresh one each time.
    assert await queue.enqueue("tick") is True
    assert await queue.enqueue("tick") is True
    assert await queue.pool.zcard(DEFAULT_QUEUE) == 4


async def test_a_deferred_job_is_scored_later_and_kept_longer(queue: ArqQueue) -> None:
    before = time.time() * 1000
    assert await queue.enqueue("check", job_id="later", defer=30) is True
    score = await queue.pool.zscore(DEFAULT_QUEUE, "later")
    assert before + 29_000 <= score <= time.time() * 1000 + 30_000
    status = await Job("later", queue.pool, _queue_name=DEFAULT_QUEUE).status()
    assert status is JobStatus.deferred
    ttl = await queue.pool.pttl(job_key_prefix + "later")
    assert 86_400_000 < ttl <= 86_430_000


async def test_a_job_redis_refuses_fails_alone(queue: ArqQueue) -> None:
    # The fast queue's key holds a string: ZADD to it is refused; the others are queued.
    await queue.pool.set(FAST_QUEUE, b"not a sorted set")
    results = await asyncio.gather(
        queue.enqueue("a", job_id="first"), queue.enqueue("a", job_id="second"),
        queue.enqueue("a", job_id="refused", priority=True), queue.enqueue("a", job_id="third"),
        return_exceptions=True)
    assert results[:2] == [True, True] and results[3] is True
    # Redis's own reason, as arq's enqueue_job would have raised it.
    assert isinstance(results[2], ResponseError) and "WRONGTYPE" in str(results[2])
    assert await queue.pool.zrange(DEFAULT_QUEUE, 0, -1) == [b"first", b"second", b"third"]
    # Nothing of the refused job is left to block its id.
    assert await queue.pool.exists(job_key_prefix + "refused") == 0
    await queue.pool.delete(FAST_QUEUE)
    assert await queue.enqueue("a", job_id="refused", priority=True) is True


async def test_jobs_queued_are_run_by_an_arq_worker(redis_url: str, queue: ArqQueue) -> None:
    from arq.connections import RedisSettings
    from arq.worker import Worker, func

    ran: list[tuple[int, str]] = []

    async def job(ctx: dict[str, object], n: int, word: str) -> None:
        ran.append((n, word))

    await asyncio.gather(*(queue.enqueue("job", n, "字", job_id=f"j{n}") for n in range(5)))
    worker = Worker(functions=[func(job, name="job")], queue_name=DEFAULT_QUEUE,
                    redis_settings=RedisSettings.from_dsn(redis_url), burst=True,
                    poll_delay=0.01, handle_signals=False)
    try:
        await worker.main()
    finally:
        await worker.close()
    assert sorted(ran) == [(n, "字") for n in range(5)]


async def test_the_script_is_loaded_again_after_redis_lost_it(queue: ArqQueue) -> None:
    """A restarted Redis has no scripts: the next burst loads it again and is queued."""
    assert await queue.enqueue("a", job_id="before") is True
    await queue.pool.script_flush()
    assert await asyncio.gather(queue.enqueue("a", job_id="after"),
                                queue.enqueue("a", job_id="also")) == [True, True]
    assert await queue.pool.zcard(DEFAULT_QUEUE) == 3


async def test_the_worker_polls_when_a_job_is_announced_not_all_the_time(
    redis_url: str, queue: ArqQueue, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Idle, the worker waits for ``ArqQueue``'s announcement instead of polling every
    ``poll_delay``: with the idle poll set to a minute, a queued job still runs at once,
    and the queue is read a few times, not a hundred times a second."""
    import redis.asyncio as aioredis
    from arq.connections import RedisSettings
    from arq.worker import func

    from bot.pipeline import worker as worker_module

    monkeypatch.setattr(worker_module, "IDLE_POLL", 60.0)
    ran: list[int] = []

    async def job(ctx: dict[str, object], n: int) -> None:
        ran.append(n)

    watcher = aioredis.from_url(redis_url)
    worker = worker_module._waking_worker()(
        functions=[func(job, name="job")], queue_name=DEFAULT_QUEUE,
        redis_settings=RedisSettings.from_dsn(redis_url), poll_delay=0.01,
        handle_signals=False)
    running = asyncio.create_task(worker.main())

    async def polls() -> int:
        stats = await watcher.info("commandstats")
        return int(stats.get("cmdstat_zrangebyscore", {}).get("calls", 0))

    async def listening() -> bool:
        return bool((await watcher.pubsub_numsub(f"{DEFAULT_QUEUE}:wake"))[0][1])

    try:
        await wait_for(listening, timeout=10)
        before = await polls()
        await asyncio.sleep(0.5)  # idle: the old worker read its queue ~50 times meanwhile
        assert await polls() - before <= 2
        for n in range(3):
            await queue.enqueue("job", n, job_id=f"w{n}")
            await wait_for(lambda n=n: n in ran, timeout=10)  # the minute's poll is far off
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await worker.close()
        await watcher.aclose()
    assert ran == [0, 1, 2]
