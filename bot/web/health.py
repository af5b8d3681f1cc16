"""Health endpoints: /healthz (process up), /readyz (database and store reachable).

/readyz also lists what WeCom refuses that only an operator can fix (60020, 301002): such
an alert does not make the service unready (callbacks are still stored, messages wait), so
a load balancer keeps it in rotation while the operator reads what to do."""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.infra.db import ping_db
from bot.protocol.errors import operator_hint
from bot.web.appkeys import SERVICES


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    checks: dict[str, str] = {}
    for name, probe in (("database", ping_db), ("store", services.store.ping)):
        try:
            async with asyncio.timeout(2.0):
                await probe()
            checks[name] = "ok"
        except Exception as exc:
            checks[name] = f"unreachable: {type(exc).__name__}"
    ok = all(v == "ok" for v in checks.values())
    body: dict[str, object] = {"status": "ok" if ok else "unavailable", "checks": checks}
    try:
        async with asyncio.timeout(2.0):
            alerts = await services.wecom.alerts.active(
                a.name for a in services.settings.wecom.apps)
        body["wecom_alerts"] = [{"app": a.app, "errcode": a.errcode, "ip": a.ip,
                                 "action": operator_hint(a.errcode, a.ip)} for a in alerts]
    except Exception as exc:  # the store is down: already reported above
        body["wecom_alerts"] = f"unknown: {type(exc).__name__}"
    return web.json_response(body, status=200 if ok else 503)



def add_routes(app: web.Application) -> None:
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
