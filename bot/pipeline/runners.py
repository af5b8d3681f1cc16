"""Background jobs: one set of job functions, two runners.

Production runs them on arq workers (``wecom-bot worker``); embedded mode runs them on an
in-process runner with the same semantics: retries with backoff, a per-job timeout,
time-boxed jobs ahead of the rest, job ids that are not queued twice, and a drain on stop.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.infra.group_commit import Failed, LoopBatcher
from bot.infra.logs import correlated, correlation_id, get_logger

log = get_logger("bot.pipeline.runners")

JobFunc = Callable[..., Awaitable[Any]]
# Told of every run: (job name, "ok" | "retry" | "failed", seconds) — the metrics.
JobObserver = Callable[[str, str, float], None]
FAST_QUEUE = "wecom-bot:fast"
# The keyword argument an arq job carries the inbox id of its journey in (job functions
# never see it: the worker binds it for the job's log lines).
CORRELATION_ARG = "correlation_inbox_id"
DEFAULT_QUEUE = "wecom-bot:jobs"


def retry_delay(attempt: int) -> float:
    """Seconds to wait before the next try, after ``attempt`` failed tries (1-based)."""
    return float(min(60.0, 0.5 * 2 ** (attempt - 1)))


class JobQueue(Protocol):
    async def enqueue(
        self, name: str, *args: Any, priority: bool = False, job_id: str | None = None,
        defer: float = 0.0,
    ) -> bool:
        """Queue a job; False when a job with the same id is already queued or running."""
        ...

    async def close(self) -> None: ...


@dataclass(order=True)
class _Item:
    rank: int
    seq: int
    name: str = field(compare=False)
    args: tuple[Any, ...] = field(compare=False)
    job_id: str | None = field(compare=False)
    attempt: int = field(compare=False, default=1)
    # The inbox row whose journey queued the job: its log lines carry it too.
    inbox_id: int | None = field(compare=False, default=None)


class InProcessRunner:
    """The embedded runner: asyncio tasks over a priority queue."""

    def __init__(
        self,
        functions: dict[str, JobFunc],
        ctx: Any,
        *,
        concurrency: int = 4,
        max_tries: int = 5,
        timeout: float = 30.0,
        delay: Callable[[int], float] = retry_delay,
        observe: JobObserver | None = None,
    ) -> None:
        self.functions = functions
        self.ctx = ctx
        self.concurrency = concurrency
        self.max_tries = max_tries
        self.timeout = timeout
        self.delay = delay
        self.observe = observe
        self._queue: asyncio.PriorityQueue[_Item] = asyncio.PriorityQueue()
        self._seq = itertools.count()
        self._active_ids: set[str] = set()
        self._workers: list[asyncio.Task[None]] = []
        self._timers: set[asyncio.TimerHandle] = set()
        self._busy = 0
        self._closing = False
        # While draining (close): loop time after which nothing more is waited for.
        self._deadline: float | None = None

    async def start(self) -> None:
        self._workers = [
            asyncio.create_task(self._work(), name=f"job-worker-{i}")
            for i in range(self.concurrency)
        ]

    async def enqueue(
        self, name: str, *args: Any, priority: bool = False, job_id: str | None = None,
        defer: float = 0.0,
    ) -> bool:
        if name not in self.functions:
            raise KeyError(f"unknown job {name!r}")
        if self._closing:
            return False
        if job_id is not None:
            if job_id in self._active_ids:
                return False
            self._active_ids.add(job_id)
        item = _Item(0 if priority else 1, next(self._seq), name, args, job_id,
                     inbox_id=correlation_id())
        return self._put(item, defer)

    def _put(self, item: _Item, defer: float) -> bool:
        if defer <= 0:
            self._queue.put_nowait(item)
            return True
        loop = asyncio.get_running_loop()
        if self._deadline is not None and loop.time() + defer > self._deadline:
            # Draining, and this would fire after the drain: every job's state is durable
            # (inbox and outbox rows), so the next start's sweep runs it instead.
            if item.job_id is not None:
                self._active_ids.discard(item.job_id)
            log.info("job.left_for_sweep", job=item.name, attempt=item.attempt)
            return False
        handle: asyncio.TimerHandle

        def fire() -> None:
            self._timers.discard(handle)
            if not self._closing:
                self._queue.put_nowait(item)

        handle = loop.call_later(defer, fire)
        self._timers.add(handle)
        return True

    async def _work(self) -> None:
        while True:
            item = await self._queue.get()
            self._busy += 1
            try:
                await self._run(item)
            finally:
                self._busy -= 1
                self._queue.task_done()

    def _observed(self, name: str, outcome: str, started: float) -> None:
        if self.observe is not None:
            self.observe(name, outcome, time.perf_counter() - started)

    async def _run(self, item: _Item) -> None:
        # The job's log lines, its retry's included, carry the inbox id of its journey.
        with correlated(item.inbox_id):
            finished = await self._attempt(item)
        if item.job_id is not None and finished:
            self._active_ids.discard(item.job_id)

    async def _attempt(self, item: _Item) -> bool:
        """One try; False when another is scheduled (or left to the sweep)."""
        fn = self.functions[item.name]
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self.timeout):
                await fn(self.ctx, *item.args)
            self._observed(item.name, "ok", started)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            retrying = item.attempt < self.max_tries and not self._closing
            self._observed(item.name, "retry" if retrying else "failed", started)
            if retrying:
                delay = self.delay(item.attempt)
                failed = item.attempt
                item.attempt += 1
                item.seq = next(self._seq)
                if self._put(item, delay):
                    log.warning("job.retry", job=item.name, attempt=failed, delay=delay,
                                error=type(exc).__name__)
                return False
            log.error("job.failed", job=item.name, attempt=item.attempt, error=type(exc).__name__)
        return True

    @property
    def idle(self) -> bool:
        return self._queue.empty() and self._busy == 0 and not self._timers

    async def join(self, limit: float | None = None) -> bool:
        """Wait until nothing is queued, running or waiting for a retry."""
        end = None if limit is None else asyncio.get_running_loop().time() + limit
        return await self._idle_by(lambda: end)

    async def _idle_by(self, deadline: Callable[[], float | None]) -> bool:
        """Whether the runner went idle before ``deadline()`` (read afresh: hurry moves it)."""
        loop = asyncio.get_running_loop()
        while not self.idle:
            end = deadline()
            if end is not None and loop.time() >= end:
                return False
            await asyncio.sleep(0.01)
        return True

    def hurry(self) -> None:
        """End a drain now (a second stop signal): close() cancels what is still running,
        which the next start's sweep picks up again, as after a crash."""
        self._deadline = asyncio.get_running_loop().time()

    async def close(self, drain_timeout: float = 10.0) -> None:
        """Finish what is queued (within the timeout), then stop the workers.

        Anything left is still pending in the inbox or the outbox; the sweep picks it up on the
        next start. Deferred jobs and retries due after the drain are not waited for.
        """
        if self._closing:
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + drain_timeout
        # hurry() before (or during) the drain shortens it; nothing lengthens it.
        self._deadline = deadline if self._deadline is None else min(self._deadline, deadline)
        for handle in [h for h in self._timers if h.when() > self._deadline]:
            handle.cancel()
            self._timers.discard(handle)
        drained = await self._idle_by(lambda: self._deadline)
        self._closing = True
        for handle in self._timers:
            handle.cancel()
        self._timers.clear()
        for task in self._workers:
            task.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        if not drained:
            log.warning("jobs.drain_incomplete", queued=self._queue.qsize())


# One script per burst of enqueues, the check and the writes of arq's own ``enqueue_job``
# (EXISTS job or result key, else PSETEX the job and ZADD it to its queue) for each job, but
# atomic by being a script instead of by WATCH/MULTI: one round trip for a burst where arq
# takes three per job, on a connection held throughout. KEYS[3i-2..3i] = job key, result
# key, queue; ARGV[4i-3..4i] = payload, expiry ms, score, job id. One answer per job: 1
# queued, 0 already queued or done (its id taken), or Redis's error when it refused the job
# (pcall: not the others). Then one PUBLISH per queue that got a job (``wake_channel``).
_ENQUEUE = """
local out = {}
local woken = {}
for i = 1, #KEYS / 3 do
  local job = KEYS[3 * i - 2]
  local r = redis.pcall('EXISTS', job, KEYS[3 * i - 1])
  if type(r) == 'table' and r.err then
    out[i] = r.err
  elseif r > 0 then
    out[i] = 0
  else
    r = redis.pcall('PSETEX', job, ARGV[4 * i - 2], ARGV[4 * i - 3])
    if type(r) == 'table' and r.err then
      out[i] = r.err
    else
      r = redis.pcall('ZADD', KEYS[3 * i], ARGV[4 * i - 1], ARGV[4 * i])
      if type(r) == 'table' and r.err then
        redis.pcall('DEL', job)
        out[i] = r.err
      else
        out[i] = 1
        woken[KEYS[3 * i]] = true
      end
    end
  end
end
for queue in pairs(woken) do
  redis.pcall('PUBLISH', queue .. ':wake', '1')
end
return out
"""


def wake_channel(queue: str) -> str:
    """Where ``_ENQUEUE`` announces that a queue got jobs (the worker waits on it between
    polls, ``bot.pipeline.worker``)."""
    return f"{queue}:wake"

# A job to queue: job id, queue, payload, score (ms), expiry (ms).
_Job = tuple[str, str, bytes, int, int]


class ArqQueue:
    """Enqueue side of production: jobs go to Redis, ``wecom-bot worker`` runs them.

    The jobs are arq's (same keys, payload and expiry as ``ArqRedis.enqueue_job``), queued
    by ``_ENQUEUE``: the jobs this process queues while one script is in flight go into the
    next one (``group_commit.Batcher``, no timer), so a burst of callbacks costs one round
    trip instead of three each.
    """

    def __init__(self, pool: Any) -> None:
        self.pool = pool
        self._script = pool.register_script(_ENQUEUE)
        self._batcher: LoopBatcher[_Job, bool] = LoopBatcher(self._queue_many)

    @classmethod
    async def connect(cls, redis_url: str) -> ArqQueue:
        from arq import create_pool
        from arq.connections import RedisSettings

        return cls(await create_pool(RedisSettings.from_dsn(redis_url)))

    async def enqueue(
        self, name: str, *args: Any, priority: bool = False, job_id: str | None = None,
        defer: float = 0.0,
    ) -> bool:
        from arq.jobs import serialize_job

        kwargs = {}
        inbox_id = correlation_id()
        if inbox_id is not None:
            kwargs[CORRELATION_ARG] = inbox_id  # read by bot.pipeline.worker
        now_ms = int(time.time() * 1000)
        delay_ms = max(0, round(defer * 1000))
        payload = serialize_job(name, args, kwargs, None, now_ms,
                                serializer=self.pool.job_serializer)
        job: _Job = (job_id or uuid.uuid4().hex, FAST_QUEUE if priority else DEFAULT_QUEUE,
                     payload, now_ms + delay_ms, delay_ms + self.pool.expires_extra_ms)
        return await self._batcher.submit(job)

    async def _queue_many(self, jobs: list[_Job]) -> list[bool | Failed]:
        from arq.constants import job_key_prefix, result_key_prefix
        from redis.exceptions import ResponseError

        keys: list[str] = []
        args: list[Any] = []
        for job_id, queue, payload, score, expires in jobs:
            keys += (job_key_prefix + job_id, result_key_prefix + job_id, queue)
            args += (payload, expires, score, job_id)
        return [Failed(ResponseError(x.decode(errors="replace"))) if isinstance(x, bytes)
                else bool(x) for x in await self._script(keys=keys, args=args)]

    async def close(self) -> None:
        await self.pool.aclose()
