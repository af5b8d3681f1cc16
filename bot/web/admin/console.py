"""The admin console: static files served by the service itself, no build step."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web

STATIC = Path(__file__).resolve().parent / "static"
# The console's own policy: no inline script, nothing loaded from elsewhere.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


async def index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC / "index.html", headers=_headers())


def _headers() -> dict[str, str]:
    return {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache"}


@web.middleware
async def console_headers(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    response = await handler(request)
    if request.path.startswith("/admin"):
        response.headers.update(_headers())
    return response


async def root(request: web.Request) -> web.Response:
    raise web.HTTPFound("/admin/")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/", root)
    app.router.add_get("/admin", root)
    app.router.add_get("/admin/", index)
    app.router.add_static("/admin/static/", STATIC, follow_symlinks=False)
