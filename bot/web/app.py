"""The aiohttp application: callback, health (admin API and console join later)."""

from __future__ import annotations

from aiohttp import web

from bot.settings import Settings
from bot.web import callback, health


def build_app(settings: Settings) -> web.Application:
    """Routes only; ``bot.service.create_app`` attaches the running services."""
    # aiohttp's own cap sits above ours so the callback answers 413 itself, before parsing.
    app = web.Application(client_max_size=settings.max_body_bytes * 2)
    callback.add_routes(app)
    health.add_routes(app)
    return app
