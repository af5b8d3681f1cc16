"""The aiohttp application: callback, health, the admin API (with its OpenAPI document), the
console."""

from __future__ import annotations

from aiohttp import web

from bot.settings import Settings
from bot.web import health
from bot.web import ingress as callback
from bot.web.admin import (
    auth,
    console,
    conversations_api,
    inbox_api,
    notifications_api,
    orders_api,
    pipelines_api,
    playground_api,
    rules_api,
    rules_io_api,
    stats_api,
)
from bot.web.admin.framework import Api, error_middleware


def build_api() -> Api:
    """Every API module's endpoints, in one place (the OpenAPI document is built from it)."""
    api = Api()
    api.authenticators.append(auth.bearer)
    api.include(auth.api)
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
    return api


def build_app(settings: Settings) -> web.Application:
    """Routes only; ``bot.app.create_app`` attaches the running services."""
    # aiohttp's own cap sits above ours so the callback answers 413 itself, before parsing.
    app = web.Application(client_max_size=settings.max_body_bytes * 2,
                          middlewares=[error_middleware, console.console_headers])
    callback.add_routes(app)
    health.add_routes(app)
    console.add_routes(app)
    api = build_api()
    api.add_routes(app)
    document = api.openapi()

    async def openapi(request: web.Request) -> web.Response:
        return web.json_response(document)

    app.router.add_get("/api/v1/openapi.json", openapi)
    return app
