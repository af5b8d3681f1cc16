"""Start-up and shutdown: the adapters are chosen here, once, from the settings."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
from collections.abc import AsyncIterator

from aiohttp import web

from bot.context import Services, make_cryptos
from bot.infra import db
from bot.infra.logs import get_logger
from bot.infra.store import make_store
from bot.orders import lookup as orders_lookup
from bot.pipeline.runners import ArqQueue, InProcessRunner
from bot.pipeline.worker import JOBS, PERIODIC, sweep
from bot.routing import Dispatcher
from bot.settings import Settings
from bot.wecom.client import WeComClient
from sandbox import DEFAULT_PREFIX as SANDBOX_PREFIX
from sandbox import Sandbox, build_sandbox_app

log = get_logger("bot.app")


def build_dispatcher() -> Dispatcher:
    from bot.conversations import routes_contacts as contacts
    from bot.conversations import routes_help as help
    from bot.conversations import routes_kefu as kefu
    from bot.conversations import routes_staff as staff
    from bot.orders import router as orders

    dispatcher = Dispatcher("wecom-bot")
    dispatcher.include(help.router)
    dispatcher.include(staff.router)
    dispatcher.include(kefu.router)
    dispatcher.include(contacts.router)
    dispatcher.include(orders.router)
    # Other domains' staff commands go above this line: the FAQ answers any other text.
    dispatcher.include(staff.faq_router)
    return dispatcher



def local_url(settings: Settings) -> str:
    """How processes on this host reach the service (a wildcard bind is reached on loopback)."""
    host = settings.host
    if host in ("0.0.0.0", "::", ""):  # noqa: S104 - comparing, not binding
        host = "127.0.0.1"
    return f"http://{host}:{settings.port}"


def bind_public_url(services: Services, url: str) -> None:
    """Point the built-in sandbox and the client at where the service really listens."""
    url = url.rstrip("/")
    sandbox = services.extras.get("sandbox")
    if sandbox is not None:
        sandbox.corp.callback_base_url = url
        sandbox.corp.public_base_url = url + SANDBOX_PREFIX
    if services.settings.wecom.is_sandbox and services.wecom is not None:
        services.wecom.base_url = url + SANDBOX_PREFIX


@contextlib.asynccontextmanager
async def running(
    settings: Settings, *, role: str = "serve", sandbox: Sandbox | None = None
) -> AsyncIterator[Services]:
    """Everything a process needs, started in order and stopped in reverse.

    Embedded mode (no Redis) applies migrations itself and runs jobs in process; production
    expects ``wecom-bot migrate`` to have run and leaves jobs to ``wecom-bot worker``.
    """
    if settings.embedded:
        applied = await db.migrate(settings.database_url)
        if applied:
            log.info("db.migrated", applied=applied)
    await db.init_db(settings.database_url)
    orders_lookup.install()  # conversations ask about orders through bot.orders_lookup
    store = make_store(settings.redis_url)
    services = Services(
        settings=settings,
        store=store,
        queue=_NoQueue(),
        dispatcher=build_dispatcher(),
        cryptos=make_cryptos(settings),
    )
    # With api_base = "sandbox" the API lives in the serve process, under SANDBOX_PREFIX.
    base_url = local_url(settings) + SANDBOX_PREFIX if settings.wecom.is_sandbox else None
    services.wecom = WeComClient(settings.wecom, store, base_url=base_url)
    if sandbox is not None:
        services.extras["sandbox"] = sandbox
        bind_public_url(services, local_url(settings))
    runner: InProcessRunner | None = None
    sweeper: asyncio.Task[None] | None = None
    periodic: asyncio.Task[None] | None = None
    rules_watch = await _start_rules(services)
    try:
        if settings.embedded:
            runner = InProcessRunner(
                JOBS, services, max_tries=settings.job_max_tries,
                timeout=settings.job_timeout_seconds, concurrency=settings.job_concurrency,
            )
            await runner.start()
            services.queue = runner
            sweeper = asyncio.create_task(_sweep_forever(services), name="inbox-sweeper")
            periodic = asyncio.create_task(_periodic_forever(services), name="periodic")
        else:
            services.queue = await ArqQueue.connect(settings.redis_url)
        log.info("service.started", role=role, embedded=settings.embedded,
                 sandbox=settings.wecom.is_sandbox, apps=[a.name for a in settings.wecom.apps])
        yield services
    finally:
        await services.settle()
        for task in (sweeper, periodic, rules_watch):
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        if runner is not None:
            await runner.close(drain_timeout=settings.job_timeout_seconds)
        else:
            await services.queue.close()
        await services.wecom.close()
        await store.close()
        await db.close_db()
        log.info("service.stopped", role=role)


async def _sweep_forever(services: Services) -> None:
    interval = services.settings.inbox_sweep_seconds
    while True:
        try:
            await sweep(services)
        except Exception as exc:
            log.warning("sweep.failed", error=type(exc).__name__)
        await asyncio.sleep(interval)


async def _start_rules(services: Services) -> asyncio.Task[None]:
    """Compile the rules before the first message; then follow every change."""
    from bot.conversations.rulebook import load_sample_if_first_start, rulebook

    cfg = services.settings.conversations
    if services.settings.embedded and cfg.load_sample_rules:
        await load_sample_if_first_start()
    book = rulebook(services)
    await book.load()
    return asyncio.create_task(book.watch(services, cfg.rules_poll_seconds), name="rules-watch")


async def _periodic_forever(services: Services, interval: float = 60.0) -> None:
    """Embedded mode's cron: the same periodic jobs arq runs in production."""
    while True:
        await asyncio.sleep(interval)
        for name in PERIODIC:
            try:
                await JOBS[name](services)
            except Exception as exc:
                log.warning("periodic.failed", job=name, error=type(exc).__name__)


class _NoQueue:
    """Placeholder until the real queue is connected; enqueueing before that is a bug."""

    async def enqueue(self, name: str, *args: object, **kwargs: object) -> bool:
        raise RuntimeError("this process has no job queue")

    async def close(self) -> None:
        return None


def bind_listener(settings: Settings) -> socket.socket:
    """The service's socket, bound before anything else starts: a busy port fails here, not
    after the migrations ran and the first start's admin token was printed (and spent)."""
    host = settings.host.strip("[]")  # "[::]:8080"
    family, kind, proto, _, address = socket.getaddrinfo(
        host, settings.port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


async def serve(app: web.Application, settings: Settings, sock: socket.socket) -> None:
    """Serve until SIGINT/SIGTERM, then stop in the order that loses nothing and waits little.

    Queued jobs are drained *before* the listener closes (aiohttp's own run_app closes it
    first): in embedded mode with the built-in sandbox, jobs call WeCom on this very listener,
    and callbacks that arrive meanwhile are still stored rather than refused.
    """
    from bot.web.ingress import SERVICES

    runner = web.AppRunner(app, handle_signals=False, access_log=None,
                           shutdown_timeout=settings.job_timeout_seconds)
    await runner.setup()
    try:
        await web.SockSite(runner, sock).start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        services: Services = app[SERVICES]
        jobs = services.queue if isinstance(services.queue, InProcessRunner) else None
        if jobs is not None and not jobs.idle:
            print("wecom-bot: finishing the jobs under way; stop again to stop now", flush=True)
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, jobs.hurry)
        log.info("service.stopping")
        await services.settle()
        if jobs is not None:
            await jobs.close(drain_timeout=settings.job_timeout_seconds)
    finally:
        await runner.cleanup()


def create_app(settings: Settings) -> web.Application:
    """The web application with its services started on start-up and stopped on cleanup."""
    from bot.web.ingress import SERVICES
    from bot.web.server import build_app

    app = build_app(settings)
    sandbox = None
    if settings.wecom.is_sandbox:
        sandbox = Sandbox(settings.wecom)
        app.add_subapp(SANDBOX_PREFIX, build_sandbox_app(sandbox))

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        async with running(settings, sandbox=sandbox) as services:
            app[SERVICES] = services
            yield

    app.cleanup_ctx.append(lifecycle)
    return app
