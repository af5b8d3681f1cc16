"""Orders test data and shortcuts: settings with an ERP secret, a team, orders created
through the admin API, cards members received, groups bound to orders, the periodic tick."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestClient

from bot.models import Order
from bot.orders import tick as orders_tick
from bot.settings import Settings
from sandbox import SEED_CUSTOMERS
from tests.harness.admin import Admin
from tests.harness.service import sandbox_of, services_of
from tests.harness.settings import SettingsFactory
from tests.harness.waiting import one, wait_for

ERP_SECRET = "test-erp-master-secret-0123456789"
CUSTOMER = SEED_CUSTOMERS[0][0]
TEAM = {"specialist": "zhangwei", "designer": "lina", "installer": "wangqiang"}


def orders_settings(factory: SettingsFactory, **kw: Any) -> Settings:
    base: dict[str, Any] = {"erp_signing_secret": ERP_SECRET, "group_task_delay_seconds": 60,
                            "group_task_check_seconds": 30}
    base.update(kw)
    return factory(**base)


async def new_order(admin: Admin, order_no: str, *, customer: dict[str, Any] | None = None,
                    team: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """Create an order through the admin API (a default customer and ``TEAM``)."""
    body = {"order_no": order_no, "customer": customer or {"name": "陈女士",
                                                            "phone": "13800000000"},
            "team": team or TEAM, **extra}
    status, data = await admin.call("POST", "/orders", body)
    assert status == 201, data
    return data


def cards(sandbox: Any, userid: str, word: str = "") -> list[dict[str, Any]]:
    """App text cards a member received (optionally containing ``word``)."""
    return [m for m in sandbox.inbox(userid)
            if m["channel"] == "app" and m["msgtype"] == "textcard" and word in str(m)]


async def bound_order(admin: Admin, order_no: str, owner: str = "zhangwei",
                      name: str | None = None) -> Order:
    """Create a group named after the order in the sandbox; wait until it is bound and its
    join-way QR exists."""
    sandbox = sandbox_of(admin.client)
    await sandbox.staff_creates_group(owner, name or f"{order_no} 全屋定制服务群")
    return await wait_for(lambda: one(Order, order_no=order_no, join_qr_code__isnull=False))


async def run_tick(client: TestClient, ahead: float = 0.0) -> None:
    """The orders' periodic work as if ``ahead`` seconds had passed."""
    now: datetime = services_of(client).ports.clock.now() + timedelta(seconds=ahead)
    await orders_tick.tick(services_of(client).ports, now)
