"""Operations endpoints: /healthz (process up), /readyz (can do its work), /metrics
(Prometheus).

/readyz is 503 while the database or the store does not answer, while the database lacks
migrations this release carries (``wecom-bot migrate`` not run yet for this deploy), or
while WeCom refuses every API app for a reason only an operator can fix (60020, the
server's IP not among the trusted IPs): then nothing this service sends can go out. It is
200 again as soon as that is over. A refusal of some apps only is listed in
``wecom_alerts`` and keeps the service ready (callbacks are stored, messages wait). While
this process sees a storage outage, ``outage`` says since when and how many callbacks it
refused (bot.pipeline.outages)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.infra.db import pending_migrations, ping_db
from bot.infra.metrics import CONTENT_TYPE
from bot.pipeline.gauges import StateGauges
from bot.protocol import errors as E
from bot.protocol.errors import operator_hint
from bot.runtime import Services
from bot.web.appkeys import SERVICES

PROBE_TIMEOUT = 2.0


class _Scrapes:
    """The app's state gauges, made on the first scrape (the services start after routing)."""

    gauges: StateGauges | None = None


SCRAPES = web.AppKey("scrapes", _Scrapes)


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def _probe(check: Callable[[], Awaitable[Any]]) -> str:
    try:
        async with asyncio.timeout(PROBE_TIMEOUT):
            await check()
        return "ok"
    except Exception as exc:
        return f"unreachable: {type(exc).__name__}"


async def readiness(services: Services) -> tuple[bool, dict[str, object]]:
    """Whether the process can do its work now, and the body /readyz answers with."""
    checks: dict[str, str] = {
        "database": await _probe(ping_db),
        "store": await _probe(services.store.ping),
    }
    body: dict[str, object] = {"checks": checks}
    if checks["database"] == "ok":
        try:
            async with asyncio.timeout(PROBE_TIMEOUT):
                missing = await pending_migrations(services.settings.database_url)
            checks["migrations"] = "ok" if not missing else \
                f"behind: {len(missing)} not applied (run wecom-bot migrate)"
            if missing:
                body["pending_migrations"] = missing
        except Exception as exc:
            checks["migrations"] = f"unknown: {type(exc).__name__}"
    api_apps = [a.name for a in services.settings.wecom.apps if a.kind == "app"]
    try:
        async with asyncio.timeout(PROBE_TIMEOUT):
            alerts = await services.wecom.alerts.active(a.name for a in
                                                        services.settings.wecom.apps)
        body["wecom_alerts"] = [{"app": a.app, "errcode": a.errcode, "ip": a.ip,
                                 "action": operator_hint(a.errcode, a.ip)} for a in alerts]
        blocked = {a.app for a in alerts if a.errcode == E.UNTRUSTED_IP}
        checks["wecom"] = "ok" if not api_apps or set(api_apps) - blocked else \
            "every app refused: 60020 (add the server's IP to the trusted IPs)"
    except Exception as exc:  # the store is down: already reported above
        body["wecom_alerts"] = f"unknown: {type(exc).__name__}"
    window = services.outages.window
    if window is not None:
        # This process's outage under way: recorded, and reconciled, once it is over.
        body["outage"] = {"since": window.started.isoformat(),
                          "callbacks_refused": window.refused}
    ok = all(v == "ok" for v in checks.values())
    return ok, {"status": "ok" if ok else "unavailable", **body}


async def readyz(request: web.Request) -> web.Response:
    ok, body = await readiness(request.app[SERVICES])
    return web.json_response(body, status=200 if ok else 503)


async def metrics(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    if not services.metrics.enabled:
        raise web.HTTPNotFound(text="metrics are off (metrics_enabled = false)")
    scrapes = request.app[SCRAPES]
    if scrapes.gauges is None:
        scrapes.gauges = StateGauges(services)
    await scrapes.gauges.refresh()
    return web.Response(body=services.metrics.render(), headers={"Content-Type": CONTENT_TYPE})


def add_routes(app: web.Application) -> None:
    app[SCRAPES] = _Scrapes()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)


def operations_app(services: Services) -> web.Application:
    """What a worker serves on ``--metrics-listen``: /metrics, /healthz and /readyz."""
    app = web.Application()
    app[SERVICES] = services
    add_routes(app)
    return app
