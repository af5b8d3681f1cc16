"""Shared pieces of the orders tests: settings, an admin client, inbox readers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestClient

from bot.api_access import create_token
from bot.infra.clock import utcnow
from bot.models import Order
from bot.orders import tick as orders_tick
from bot.settings import Settings
from bot.web.appkeys import SERVICES
from bot.wecom.policy import RetryPolicy
from sandbox import SEED_CUSTOMERS
from tests.conftest import wait_for

FAST = RetryPolicy(base_delay=0.01, max_delay=0.02, rate_limit_delay=0.01, budget_seconds=1,
                   rate_limit_ban=0.05)
ERP_SECRET = "test-erp-master-secret-0123456789"
CUSTOMER = SEED_CUSTOMERS[0][0]
TEAM = {"specialist": "zhangwei", "designer": "lina", "installer": "wangqiang"}


def orders_settings(factory: Callable[..., Settings], **kw: Any) -> Settings:
    base: dict[str, Any] = {"erp_signing_secret": ERP_SECRET, "group_task_delay_seconds": 60,
                            "group_task_check_seconds": 30}
    base.update(kw)
    return factory(**base)


class Admin:
    """The admin API with a bearer token."""

    def __init__(self, client: TestClient, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    @classmethod
    async def make(cls, client: TestClient) -> Admin:
        return cls(client, await create_token(f"admin-{id(client)}", "admin"))

    async def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        resp = await self.client.request(method, "/api/v1" + path, json=body,
                                         headers=self.headers)
        return resp.status, await resp.json()

    async def new_order(self, order_no: str, *, customer: dict[str, Any] | None = None,
                        team: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
        body = {"order_no": order_no, "customer": customer or {"name": "陈女士",
                                                                "phone": "13800000000"},
                "team": team or TEAM, **extra}
        status, data = await self.call("POST", "/orders", body)
        assert status == 201, data
        return data


async def one(model: Any, **filters: Any) -> Any:
    """A row or None, as a coroutine (for ``wait_for``)."""
    return await model.get_or_none(**filters)


def services_of(client: TestClient) -> Any:
    return client.app[SERVICES]


def cards(sandbox: Any, userid: str, word: str = "") -> list[dict[str, Any]]:
    """App text cards a member received (optionally containing ``word``)."""
    return [m for m in sandbox.inbox(userid)
            if m["channel"] == "app" and m["msgtype"] == "textcard" and word in str(m)]


async def bound_order(admin: Admin, order_no: str, owner: str = "zhangwei",
                      name: str | None = None) -> Order:
    """Create a group named after the order in the sandbox; wait until it is bound and its
    join-way QR exists."""
    sandbox = services_of(admin.client).sandbox
    await sandbox.staff_creates_group(owner, name or f"{order_no} 全屋定制服务群")
    return await wait_for(lambda: one(Order, order_no=order_no, join_qr_code__isnull=False))


async def settled() -> None:
    """Wait until no outbox row is pending (so a test never stops with sends in flight)."""
    from bot.models import OutboxMessage, OutboxStatus

    async def none_pending() -> bool:
        return not await OutboxMessage.filter(status=OutboxStatus.PENDING).exists()

    await wait_for(none_pending)


async def run_tick(client: TestClient, ahead: float = 0.0) -> None:
    """The orders' periodic work as if ``ahead`` seconds had passed."""
    now: datetime = utcnow() + timedelta(seconds=ahead)
    await orders_tick.tick(services_of(client).ports, now)
