"""The WeCom sandbox: a simulated corp behind WeCom's own API, plus a callback driver.

    sandbox = Sandbox(settings.wecom, callback_base_url="http://127.0.0.1:8080")
    app.add_subapp("/sandbox-wecom", build_sandbox_app(sandbox))   # or run_sandbox(...)
    client = WeComClient(settings.wecom, store, base_url="http://127.0.0.1:8080/sandbox-wecom")
    await sandbox.customer_says(SEED_KF, customer_id, "你好")      # → kf_msg_or_event callback

Everything is in memory; ``clock`` is injectable (``SandboxClock().advance(s)``) so the
20 s / 48 h / daily rules can be exercised without sleeping.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from bot.infra.logs import get_logger
from bot.settings import WeComConfig
from sandbox.core import Clock, Faults, Limits, SandboxClock
from sandbox.driver import CallbackDriver, Delivery
from sandbox.http import build_sandbox_app
from sandbox.messages import MessageMixin
from sandbox.model import SandboxError
from sandbox.seed import SEED_CUSTOMERS, SEED_KF, SEED_STAFF, seed

log = get_logger(__name__)


class Sandbox(MessageMixin):
    def __init__(
        self,
        wecom: WeComConfig,
        *,
        clock: Clock | None = None,
        callback_base_url: str | None = None,
        limits: Limits | None = None,
        seed_world: bool = True,
        seed: int = 0,
        callback_retry_delay: float = 1.0,
        callback_timeout: float = 5.0,
    ) -> None:
        super().__init__(
            wecom, clock=clock, callback_base_url=callback_base_url, limits=limits, seed=seed
        )
        self.driver = CallbackDriver(
            wecom.corp_id,
            lambda: self.callback_base_url,
            timeout=callback_timeout,
            retry_delay=callback_retry_delay,
        )
        if seed_world:
            _seed(self)

    @property
    def deliveries(self) -> list[Delivery]:
        return self.driver.deliveries if self.driver else []

    async def close(self) -> None:
        if self.driver is not None:
            await self.driver.close()


_seed = seed

DEFAULT_PREFIX = "/_wecom_sandbox"


def mount_sandbox(
    parent: web.Application,
    sandbox: Sandbox,
    prefix: str = DEFAULT_PREFIX,
    *,
    listen_url: str | None = None,
) -> str:
    """Mount the sandbox in the service's own app (``api_base = "sandbox"``) and return the
    client's base_url. With ``listen_url`` (``http://{listen}``) the sandbox also knows its
    public address (for AI-bot response_urls) before the first request; set
    ``sandbox.callback_base_url`` to the same URL so callbacks reach the service."""
    parent.add_subapp(prefix, build_sandbox_app(sandbox))
    if listen_url:
        sandbox.public_base_url = listen_url.rstrip("/") + prefix
    return (listen_url or "").rstrip("/") + prefix


async def run_sandbox(
    host: str,
    port: int,
    wecom_config: WeComConfig,
    callback_base_url: str | None,
    **kw: Any,
) -> None:
    """``wecom-bot sandbox``: serve the sandbox on its own port until cancelled."""
    sandbox = Sandbox(wecom_config, callback_base_url=callback_base_url, **kw)
    sandbox.public_base_url = f"http://{host}:{port}"
    runner = web.AppRunner(build_sandbox_app(sandbox))
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    log.info("sandbox.started", host=host, port=port, corp_id=wecom_config.corp_id)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


__all__ = [
    "DEFAULT_PREFIX",
    "SEED_CUSTOMERS",
    "SEED_KF",
    "SEED_STAFF",
    "Faults",
    "Limits",
    "Sandbox",
    "SandboxClock",
    "SandboxError",
    "build_sandbox_app",
    "mount_sandbox",
    "run_sandbox",
]
