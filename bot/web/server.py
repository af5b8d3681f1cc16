"""The aiohttp application (callback, health, the admin API with its OpenAPI document, the
console) and serving it: the listener, the lifecycle around ``bot.app.running``, the stop."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web

from bot.app import built_in_wecom, running
from bot.infra.logs import get_logger
from bot.pipeline.runners import InProcessRunner
from bot.runtime import Services
from bot.settings import Settings
from bot.web import health, progress_page, rating_page
from bot.web import ingress as callback
from bot.web.admin import (
    alerts_api,
    auth,
    console,
    contact_ways_api,
    conversations_api,
    customers_api,
    directory_api,
    doctor_api,
    exports_api,
    inbox_api,
    media_api,
    notifications_api,
    orders_api,
    outages_api,
    pipelines_api,
    playground_api,
    rules_api,
    rules_io_api,
    session_api,
    stats_api,
    tags_api,
)
from bot.web.admin.framework import Api, error_middleware
from bot.web.appkeys import SERVICES
from bot.web.connections import ConnectionWatch

log = get_logger("bot.web.server")


def build_api() -> Api:
    """Every API module's endpoints, in one place (the OpenAPI document is built from it)."""
    api = Api()
    api.authenticators.append(auth.bearer)
    api.authenticators.append(session_api.session_cookie)
    api.include(auth.api)
    api.include(session_api.api)
    api.include(notifications_api.api)
    api.include(playground_api.api)
    # Fixed paths (/rules/import, /rules/test …) before /rules/{rule_id}.
    api.include(rules_io_api.api)
    api.include(rules_api.api)
    api.include(conversations_api.api)
    api.include(orders_api.api)
    api.include(pipelines_api.api)
    api.include(inbox_api.api)
    api.include(stats_api.api)
    api.include(doctor_api.api)
    api.include(directory_api.api)
    api.include(exports_api.api)
    api.include(alerts_api.api)
    api.include(contact_ways_api.api)
    api.include(tags_api.api)
    api.include(media_api.api)
    api.include(customers_api.api)
    api.include(outages_api.api)
    return api


def build_app(settings: Settings) -> web.Application:
    """Routes only; ``bot.app.create_app`` attaches the running services."""
    # aiohttp's own cap sits above ours so the callback answers 413 itself, before parsing.
    app = web.Application(client_max_size=settings.max_body_bytes * 2,
                          middlewares=[error_middleware, console.console_headers])
    callback.add_routes(app)
    health.add_routes(app)
    # The rating form first: the progress page's catch-all would take its path for a token.
    rating_page.add_routes(app)
    progress_page.add_routes(app)
    console.add_routes(app)
    api = build_api()
    api.add_routes(app)
    document = api.openapi()

    async def openapi(request: web.Request) -> web.Response:
        return web.json_response(document)

    app.router.add_get("/api/v1/openapi.json", openapi)
    return app


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
    runner = web.AppRunner(app, handle_signals=False, access_log=None,
                           shutdown_timeout=settings.job_timeout_seconds,
                           keepalive_timeout=settings.http_idle_timeout_seconds)
    await runner.setup()
    assert runner.server is not None
    watch = ConnectionWatch(runner.server, idle_timeout=settings.http_idle_timeout_seconds,
                            max_connections=settings.http_max_connections)
    watch.start()
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
        await watch.stop()
        await runner.cleanup()


@contextlib.asynccontextmanager
async def listening(app: web.Application, host: str = "127.0.0.1", port: int = 0
                    ) -> AsyncIterator[str]:
    """Serve ``app`` on host:port (0: a free port) for the block, then stop it; yields its
    base URL. For the demo's own service, and the built-in sandbox of a command that needs a
    WeCom without a running service (``doctor`` with ``api_base = "sandbox"``)."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        bound_host, bound_port = runner.addresses[0][:2]
        yield f"http://{bound_host}:{bound_port}"
    finally:
        await runner.cleanup()


def create_app(settings: Settings, *,
               on_start: Callable[[], Awaitable[None]] | None = None) -> web.Application:
    """The web application with its services started on start-up and stopped on cleanup;
    ``on_start`` runs once they are (the CLI's first-start greeting)."""
    app = build_app(settings)
    sandbox = built_in_wecom(settings, app)

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        async with running(settings, sandbox=sandbox) as services:
            app[SERVICES] = services
            if on_start is not None:
                await on_start()
            yield

    app.cleanup_ctx.append(lifecycle)
    return app
