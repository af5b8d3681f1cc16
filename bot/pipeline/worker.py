"""The production worker entry (``wecom-bot worker``): arq workers on the fast and the
default queue, running the jobs of ``bot.pipeline.registry``."""

from __future__ import annotations

import asyncio
import signal
import time
from typing import Any

from bot.infra.logs import correlated, get_logger
from bot.pipeline.processing import (
    RECOVER_SWEEPS,
    STARTUP_SWEEPS,
    recover_sweeps,
    sweep,
)
from bot.pipeline.registry import JOBS, PERIODIC
from bot.pipeline.runners import (
    CORRELATION_ARG,
    DEFAULT_QUEUE,
    FAST_QUEUE,
    JobFunc,
    retry_delay,
    wake_channel,
)
from bot.runtime import Services

log = get_logger("bot.pipeline.worker")
POLL_DELAY = 0.01  # the least time between two polls of a queue
# The most: a poll comes at once when ``ArqQueue`` announces a job (``wake_channel``), else
# after this (jobs deferred or retried by arq, cron, an announcement Redis lost).
IDLE_POLL = 0.25
RESTART_MIN, RESTART_MAX = 0.5, 10.0  # backoff between restarts of a worker that lost Redis


def _arq_function(name: str, fn: JobFunc, max_tries: int, timeout: float) -> Any:
    from arq import Retry, func

    async def run(ctx: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        # The job's log lines, its retry's included, carry the inbox id of its journey.
        with correlated(kwargs.get(CORRELATION_ARG)):
            return await attempt_job(ctx, args)

    async def attempt_job(ctx: dict[str, Any], args: tuple[Any, ...]) -> Any:
        services = ctx["services"]
        started = time.perf_counter()
        try:
            result = await fn(services, *args)
        except Exception as exc:
            attempt = int(ctx.get("job_try", 1))
            retrying = attempt < max_tries
            services.metrics.job(name, "retry" if retrying else "failed",
                                 time.perf_counter() - started)
            if retrying:
                log.warning("job.retry", job=name, attempt=attempt, error=type(exc).__name__,
                            detail=str(exc)[:200])
                raise Retry(defer=retry_delay(attempt)) from exc
            log.error("job.failed", job=name, attempt=attempt, error=type(exc).__name__)
            raise
        services.metrics.job(name, "ok", time.perf_counter() - started)
        return result

    run.__qualname__ = run.__name__ = name
    # Results of the hot jobs are never read: storing them costs a Redis write per job.
    keep = 0 if name in _NO_RESULT else None
    return func(run, name=name, max_tries=max_tries, timeout=timeout, keep_result=keep)


_NO_RESULT = frozenset({"process_inbox", "kf_callback", "send_outbox", "kf_pull",
                        "kf_pull_if_left"})


def _waking_worker() -> type:
    from arq.worker import Worker

    class WakingWorker(Worker):
        """arq's worker, polling its queue when a job is announced on it and every
        ``IDLE_POLL`` otherwise, instead of every ``poll_delay``: an idle worker made 100
        polls a second per queue, each a Redis round trip."""

        _woken: asyncio.Event | None = None
        _listener: asyncio.Task[None] | None = None

        async def _poll_iteration(self) -> None:
            if self.burst:
                await super()._poll_iteration()
                return
            if self._listener is None or self._listener.done():
                self._woken = asyncio.Event()
                self._listener = asyncio.create_task(self._listen(self._woken))
            assert self._woken is not None
            self._woken.clear()  # before the poll: a job announced during it is not missed
            await super()._poll_iteration()
            try:
                async with asyncio.timeout(IDLE_POLL):
                    await self._woken.wait()
            except TimeoutError:
                pass

        async def _listen(self, woken: asyncio.Event) -> None:
            try:
                async with self.pool.pubsub() as pubsub:
                    await pubsub.subscribe(wake_channel(self.queue_name))
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            woken.set()
            except Exception as exc:  # Redis gone: polls every IDLE_POLL until it is back
                log.info("worker.wake_lost", queue=self.queue_name, error=type(exc).__name__)

        async def close(self) -> None:
            if self._listener is not None:
                self._listener.cancel()
                await asyncio.gather(self._listener, return_exceptions=True)
            await super().close()

    return WakingWorker


async def run_worker(
    services: Services, *, burst: bool = False, stop: asyncio.Event | None = None
) -> None:
    """Run arq workers on the fast and the default queue until SIGTERM/SIGINT or ``stop``."""
    from arq.connections import RedisSettings
    from arq.cron import cron

    worker_class = _waking_worker()

    settings = services.settings
    functions = [
        _arq_function(n, f, settings.job_max_tries, settings.job_timeout_seconds)
        for n, f in JOBS.items()
    ]
    redis_settings = RedisSettings.from_dsn(settings.redis_url)

    async def sweep_cron(ctx: dict[str, Any]) -> None:
        started = time.perf_counter()
        try:
            await sweep(ctx["services"])
        except Exception:
            services.metrics.job("sweep", "failed", time.perf_counter() - started)
            raise
        services.metrics.job("sweep", "ok", time.perf_counter() - started)

    def minutely(name: str) -> Any:
        async def run(ctx: dict[str, Any]) -> None:
            started = time.perf_counter()
            try:
                await JOBS[name](ctx["services"])
            except Exception as exc:
                services.metrics.job(name, "failed", time.perf_counter() - started)
                log.warning("periodic.failed", job=name, error=type(exc).__name__)
                return
            services.metrics.job(name, "ok", time.perf_counter() - started)

        run.__qualname__ = run.__name__ = f"cron_{name}"
        return cron(run, second={15}, unique=True, timeout=settings.job_timeout_seconds)

    # Every timeout is the job timeout: arq holds a crashed job's in-progress key for the
    # longest timeout of the worker + 10 s (cron jobs default to 300 s), and only then runs
    # it again.
    crons = [cron(sweep_cron, second={0, 30}, unique=True,
                  timeout=settings.job_timeout_seconds),
             *(minutely(n) for n in PERIODIC)]

    recovering: set[asyncio.Task[None]] = set()

    def on_startup(sweeps: tuple[tuple[float, float], ...]) -> Any:
        async def recover(ctx: dict[str, Any]) -> None:
            # arq runs it once connected: the worker starting, or Redis being back.
            task = asyncio.create_task(recover_sweeps(services, sweeps))
            recovering.add(task)
            task.add_done_callback(recovering.discard)

        return recover

    def make_worker(queue: str, after_outage: bool = False) -> Any:
        return worker_class(
            functions=functions,
            queue_name=queue,
            redis_settings=redis_settings,
            ctx={"services": services},
            cron_jobs=crons if queue == DEFAULT_QUEUE else [],
            on_startup=(on_startup(RECOVER_SWEEPS if after_outage else STARTUP_SWEEPS)
                        if queue == DEFAULT_QUEUE else None),
            burst=burst,
            handle_signals=False,
            keep_result=60,
            job_timeout=settings.job_timeout_seconds,
            max_jobs=50,
            # arq sleeps poll_delay between polls of its queue (default 0.5 s): every job
            # hop would cost up to that much latency. A poll is one cheap Redis call.
            poll_delay=POLL_DELAY,
        )

    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
    queues = (FAST_QUEUE, DEFAULT_QUEUE)
    workers: dict[str, Any] = {}
    tasks = [asyncio.create_task(_supervise(q, make_worker, workers, stop)) for q in queues]
    waiter = asyncio.create_task(stop.wait())
    await asyncio.wait([*tasks, waiter], return_when=asyncio.FIRST_COMPLETED)
    stop.set()
    # Graceful drain: take no new jobs, let running ones finish within the job timeout.
    for w in workers.values():
        w.allow_pick_jobs = False
    await asyncio.sleep(POLL_DELAY * 5)  # a poll already under way starts its jobs first

    async def running_done() -> None:
        while any(not t.done() for w in workers.values() for t in w.tasks.values()):
            await asyncio.sleep(0.1)

    try:
        await asyncio.wait_for(running_done(), settings.job_timeout_seconds)
    except TimeoutError:
        log.warning("worker.drain_incomplete")
    for w in workers.values():
        await _close(w)
    for t in (*tasks, waiter, *recovering):
        t.cancel()
    await asyncio.gather(*tasks, waiter, *recovering, return_exceptions=True)


async def _supervise(queue: str, make: Any, workers: dict[str, Any],
                     stop: asyncio.Event) -> None:
    """Run one queue's arq worker until ``stop``; when it dies (Redis restarted or out of
    reach: arq's poll raises and its worker ends) start a new one, with backoff. Nothing is
    lost meanwhile: inbox and outbox rows are durable and the sweep re-queues them."""
    pause = RESTART_MIN
    lost = False
    while not stop.is_set():
        worker = workers[queue] = make(queue, lost)
        started = asyncio.get_running_loop().time()
        try:
            await worker.async_run()
            if worker.burst:
                return
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("worker.lost_redis", queue=queue, error=type(exc).__name__,
                        retry_in=round(pause, 1))
            lost = True
        await _close(worker)
        if asyncio.get_running_loop().time() - started > RESTART_MAX:
            pause = RESTART_MIN  # it ran a good while: this is a new outage
        try:
            await asyncio.wait_for(stop.wait(), pause)
        except TimeoutError:
            pass
        pause = min(RESTART_MAX, pause * 2)
    log.info("worker.stopped", queue=queue)


async def _close(worker: Any) -> None:
    try:
        await worker.close()
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise
        # close() cancelled a job that slipped past the drain: it runs again later.
        log.warning("worker.job_cancelled_on_close")
        if worker._pool is not None:
            await worker._pool.close(close_connection_pool=True)
    except Exception as exc:  # its Redis is gone: nothing left to close cleanly
        log.info("worker.close_failed", error=type(exc).__name__)
