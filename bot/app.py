"""The composition root: settings → adapters → ports, started in order and stopped in reverse.

The only place that chooses embedded or production adapters, and the only place that decides
which app is the main app. ``bot.web.server`` serves HTTP on top of what ``running`` yields;
``wecom-bot worker`` runs jobs on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable
from typing import Any, Protocol

from bot.conversations.rulebook import RuleBook, load_sample_if_first_start, watch_rules
from bot.customers.book import CustomerBookAdapter
from bot.customers.media_library import MediaLibrary
from bot.delivery.writer import OutboxWriter
from bot.infra import db, event_loop, memory_report, native_memory
from bot.infra.clock import SystemClock, utcnow
from bot.infra.group_commit import group_commit
from bot.infra.logs import get_logger
from bot.infra.media_files import LocalMediaStore
from bot.infra.metrics import make_recorder
from bot.infra.server_secrets import with_generated_secrets
from bot.infra.store import make_store
from bot.orders.lookup import DbOrdersLookup
from bot.pipeline.inbox import InboxWriter
from bot.pipeline.outages import OutageWatch, watch_forever
from bot.pipeline.processing import STARTUP_SWEEPS, recover_sweeps, sweep
from bot.pipeline.registry import JOBS, PERIODIC
from bot.pipeline.runners import ArqQueue, InProcessRunner
from bot.ports import Clock, JobQueue, PlaygroundRefused, Ports, Rulebook
from bot.routing import Dispatcher
from bot.runtime import Services, make_cryptos
from bot.settings import AppConfig, ConfigError, Settings
from bot.wecom import unknown_codes
from bot.wecom.client import WeComClient
from bot.wecom.directory import WeComDirectory
from bot.wecom.media import MediaUploads
from sandbox import DEFAULT_PREFIX as SANDBOX_PREFIX
from sandbox import SEED_KF, Sandbox, build_sandbox_app
from sandbox.model import SandboxError

log = get_logger("bot.app")


def build_dispatcher() -> Dispatcher:
    from bot.conversations import routes_contacts as contacts
    from bot.conversations import routes_help as help
    from bot.conversations import routes_kefu as kefu
    from bot.conversations import routes_staff as staff
    from bot.customers import customer_events as customers
    from bot.orders import router as orders

    dispatcher = Dispatcher("wecom-bot")
    dispatcher.include(help.router)
    dispatcher.include(staff.router)
    dispatcher.include(kefu.router)
    dispatcher.include(contacts.router)
    dispatcher.include(orders.router)
    dispatcher.include(customers.router)
    # Other domains' staff commands go above this line: the FAQ answers any other text.
    dispatcher.include(staff.faq_router)
    return dispatcher



def local_url(settings: Settings) -> str:
    """How processes on this host reach the service (a wildcard bind is reached on loopback)."""
    return settings.local_url


def bind_public_url(services: Services, url: str) -> None:
    """Point the built-in sandbox and the client at where the service really listens."""
    url = url.rstrip("/")
    sandbox = services.sandbox
    if sandbox is not None:
        sandbox.corp.callback_base_url = url
        sandbox.corp.public_base_url = url + SANDBOX_PREFIX
    if services.settings.wecom.is_sandbox:
        services.wecom.base_url = url + SANDBOX_PREFIX


class SubApps(Protocol):
    """Where the simulated WeCom's API is mounted: the service's own aiohttp app."""

    def add_subapp(self, prefix: str, subapp: Any) -> Any: ...


def built_in_wecom(settings: Settings, app: SubApps) -> Sandbox | None:
    """With api_base = "sandbox": the simulated WeCom, its API served by this process under
    SANDBOX_PREFIX of ``app`` (bot.web.server's app). Decided here so the web layer never
    imports the sandbox."""
    if not settings.wecom.is_sandbox:
        return None
    sandbox = Sandbox(settings.wecom)
    app.add_subapp(SANDBOX_PREFIX, build_sandbox_app(sandbox))
    return sandbox


def standalone_sandbox(settings: Settings) -> Any:
    """The built-in sandbox of these settings as a web app of its own (an aiohttp
    Application), for a command that needs a WeCom without a running service."""
    return build_sandbox_app(Sandbox(settings.wecom))


async def _refusing(action: Awaitable[dict[str, Any]]) -> dict[str, Any]:
    try:
        return await action
    except SandboxError as exc:
        raise PlaygroundRefused(exc.errcode, exc.errmsg) from None


class SandboxPlayground:
    """The sandbox as the console's playground sees it (bot.ports.PlaygroundSandbox), so the
    web layer never imports the sandbox: its refusals become PlaygroundRefused."""

    default_open_kfid = SEED_KF

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    async def customer_says(self, open_kfid: str, external_userid: str, text: str, *,
                            menu_id: str | None = None) -> dict[str, Any]:
        return await _refusing(self.sandbox.customer_says(open_kfid, external_userid, text,
                                                          menu_id=menu_id))

    async def customer_enters(self, open_kfid: str, external_userid: str, *,
                              scene: str = "") -> dict[str, Any]:
        return await _refusing(self.sandbox.customer_enters(open_kfid, external_userid,
                                                            scene=scene))

    async def staff_adds_customer(self, userid: str, external_userid: str | None = None, *,
                                  name: str | None = None, state: str = "") -> dict[str, Any]:
        return await _refusing(self.sandbox.staff_adds_customer(
            userid, external_userid, name=name, state=state))

    async def customer_scans_code(self, config_id: str, external_userid: str | None = None, *,
                                  name: str | None = None) -> dict[str, Any]:
        return await _refusing(self.sandbox.customer_scans_code(config_id, external_userid,
                                                                name=name))

    async def staff_creates_group(self, owner: str, name: str) -> dict[str, Any]:
        return await _refusing(self.sandbox.staff_creates_group(owner, name))

    async def customer_joins_group(self, external_userid: str, *, chat_id: str | None = None,
                                   config_id: str | None = None, join_scene: int = 3
                                   ) -> dict[str, Any]:
        return await _refusing(self.sandbox.customer_joins_group(
            external_userid, chat_id=chat_id, config_id=config_id, join_scene=join_scene))

    async def staff_says(self, userid: str, text: str) -> dict[str, Any]:
        return await _refusing(self.sandbox.staff_says(userid, text))

    async def owner_confirms_task(self, msgid: str, userid: str | None = None
                                  ) -> dict[str, Any]:
        return await _refusing(self.sandbox.owner_confirms_task(msgid, userid))

    def world(self) -> dict[str, Any]:
        data = self.sandbox.world()
        data["tasks"] = [
            {"msgid": t.msgid, "chat_type": t.chat_type, "content": t.content,
             "senders": dict(t.senders)}
            for t in self.sandbox.mass_messaging.tasks.values()
        ]
        return data

    def inbox(self, recipient: str) -> list[dict[str, Any]]:
        return self.sandbox.inbox(recipient)


def main_app_of(settings: Settings) -> AppConfig:
    """The self-built app whose token serves kefu, contacts, groups and app messages: the first
    app of kind ``app``, whatever its name. Decided here, once, for every domain."""
    app = next((a for a in settings.wecom.apps if a.kind == "app"), None)
    if app is None:
        raise ConfigError("invalid configuration: wecom.apps: at least one app of kind "
                          "\"app\" (a self-built app) is required")
    return app


def build_ports(services: Services, main: AppConfig, *, clock: Clock,
                rules: Rulebook) -> Ports:
    """Every port's adapter, from what the process holds."""
    app_client = services.wecom.app(main.name)
    directory = WeComDirectory(services.store, app_client, main.agent_id)
    files = LocalMediaStore(services.settings.customers.media_dir)
    by_url = MediaUploads(services.store, services.wecom, app_client).media_id_for_url
    media = MediaLibrary(app_client, files, services.store, lambda: services.ports.clock, by_url)
    return Ports(
        settings=services.settings, main_app=main, clock=clock, store=services.store,
        jobs=services.queue, background=services,
        orders=DbOrdersLookup(services.settings, lambda: services.ports.clock.now()), rules=rules,
        names=directory, commits=group_commit(), metrics=services.metrics, wecom=app_client,
        outbox=OutboxWriter(services, main.name),
        directory=directory,
        media=media, media_files=files, customers=CustomerBookAdapter(),
    )


@contextlib.asynccontextmanager
async def running(
    settings: Settings, *, role: str = "serve", sandbox: Sandbox | None = None
) -> AsyncIterator[Services]:
    """Everything a process needs, started in order and stopped in reverse.

    Embedded mode (no Redis) applies migrations itself and runs jobs in process; production
    expects ``wecom-bot migrate`` to have run and leaves jobs to ``wecom-bot worker``.
    """
    main = main_app_of(settings)
    # Before the first connection: the threads those start get no arenas beyond the cap.
    native_memory.limit_arenas(settings.malloc_arena_max)
    if settings.embedded:
        applied = await db.migrate(settings.database_url)
        if applied:
            log.info("db.migrated", applied=applied)
    await db.init_db(settings.database_url)
    # Secrets the configuration leaves empty: made once, shared through the database.
    settings = await with_generated_secrets(settings)
    store = make_store(settings.redis_url)
    metrics = make_recorder(settings.metrics_enabled, unknown_codes=unknown_codes.counts)
    runner: InProcessRunner | None = None
    queue: JobQueue
    if settings.embedded:
        runner = InProcessRunner(
            JOBS, None, max_tries=settings.job_max_tries,
            timeout=settings.job_timeout_seconds, concurrency=settings.job_concurrency,
            observe=metrics.job,
        )
        queue = runner
    else:
        queue = await ArqQueue.connect(settings.redis_url)
    # With api_base = "sandbox" the API lives in the serve process, under SANDBOX_PREFIX.
    base_url = local_url(settings) + SANDBOX_PREFIX if settings.wecom.is_sandbox else None
    services = Services(
        settings=settings,
        store=store,
        queue=queue,
        dispatcher=build_dispatcher(),
        cryptos=make_cryptos(settings),
        wecom=WeComClient(settings.wecom, store, base_url=base_url, metrics=metrics),
        inbox=InboxWriter(),
        outages=OutageWatch("serve" if role == "serve" else "worker"),
        sandbox=sandbox,
        playground=SandboxPlayground(sandbox) if sandbox is not None else None,
        metrics=metrics,
    )
    rules = RuleBook()
    services.ports = build_ports(services, main, clock=SystemClock(), rules=rules)
    if sandbox is not None:
        bind_public_url(services, local_url(settings))
    sweeper: asyncio.Task[None] | None = None
    periodic: asyncio.Task[None] | None = None
    rules_watch = await _start_rules(services, rules)
    # Every process watches its storage; a serve also reconciles the time before it started.
    outage_watch = asyncio.create_task(watch_forever(
        services, services.outages, started=utcnow(),
        check_startup=role == "serve" and settings.reconcile_on_start), name="outage-watch")
    memory = memory_report.install(role, settings.tracemalloc, settings.tracemalloc_dir)
    trimming = asyncio.create_task(native_memory.trim_forever(settings.malloc_trim_seconds),
                                   name="malloc-trim")
    try:
        if runner is not None:
            runner.ctx = services
            await runner.start()
            sweeper = asyncio.create_task(_sweep_forever(services), name="inbox-sweeper")
            periodic = asyncio.create_task(_periodic_forever(services), name="periodic")
        elif role == "serve":
            # The workers sweep every 30 s, rows stale for minutes; what a killed serve
            # stored and never queued is queued by the next one's start (STARTUP_SWEEPS).
            sweeper = asyncio.create_task(recover_sweeps(services, STARTUP_SWEEPS),
                                          name="startup-sweeps")
        log.info("service.started", role=role, embedded=settings.embedded,
                 sandbox=settings.wecom.is_sandbox, apps=[a.name for a in settings.wecom.apps],
                 event_loop=event_loop.running_name())
        yield services
    finally:
        await services.settle()
        for task in (sweeper, periodic, rules_watch, outage_watch, trimming):
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
        memory_report.uninstall(memory)
        log.info("service.stopped", role=role)


async def _sweep_forever(services: Services) -> None:
    interval = services.settings.inbox_sweep_seconds
    while True:
        started = time.perf_counter()
        try:
            await sweep(services)
            services.metrics.job("sweep", "ok", time.perf_counter() - started)
        except Exception as exc:
            services.metrics.job("sweep", "failed", time.perf_counter() - started)
            log.warning("sweep.failed", error=type(exc).__name__)
        await asyncio.sleep(interval)


async def _start_rules(services: Services, book: RuleBook) -> asyncio.Task[None]:
    """Compile the rules before the first message; then follow every change."""
    cfg = services.settings.conversations
    if services.settings.embedded and cfg.load_sample_rules:
        await load_sample_if_first_start()
    await book.load()
    return asyncio.create_task(watch_rules(book, services.store, cfg.rules_poll_seconds),
                               name="rules-watch")


async def _periodic_forever(services: Services, interval: float = 60.0) -> None:
    """Embedded mode's cron: the same periodic jobs arq runs in production."""
    while True:
        await asyncio.sleep(interval)
        for name in PERIODIC:
            started = time.perf_counter()
            try:
                await JOBS[name](services)
                services.metrics.job(name, "ok", time.perf_counter() - started)
            except Exception as exc:
                services.metrics.job(name, "failed", time.perf_counter() - started)
                log.warning("periodic.failed", job=name, error=type(exc).__name__)
