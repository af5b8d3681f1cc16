"""「我的订单」: ``GET /orders?mine=true`` answers the orders whose team the caller is on
(specialist, designer, installer or another member), by the userid they signed in as; the
team's members follow every change of the team; the migration fills them in for the orders
made before it."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable

from bot.api_access import create_token
from bot.infra.db import connection, migrations_location
from bot.models import Order, OrderMember
from bot.settings import Settings
from tests.harness.admin import Admin
from tests.harness.service import serving
from tests.orders.helpers import new_order


async def _nos(who: Admin, query: str = "") -> list[str]:
    status, page = await who.call("GET", f"/orders?mine=true{query}")
    assert status == 200, page
    assert page["total"] == len(page["orders"])
    return [o["order_no"] for o in page["orders"]]


async def test_a_member_lists_the_orders_they_are_on(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(mode_settings()) as client:
        admin = await Admin.make(client)
        await new_order(admin, "MY1", team={"specialist": "zhangwei"})
        await new_order(admin, "MY2", team={"specialist": "lina", "designer": "zhangwei"})
        await new_order(admin, "MY3", team={"specialist": "lina", "installer": "zhangwei"})
        await new_order(admin, "MY4", team={"specialist": "lina", "others": ["zhangwei"]})
        await new_order(admin, "MY5", team={"specialist": "lina", "designer": "zhang"})
        # Tokens of specialists are named by their userid (a WeCom sign-in is the userid).
        zhang = Admin(client, await create_token("zhangwei", "specialist"))
        lina = Admin(client, await create_token("lina", "specialist"))
        assert await _nos(zhang) == ["MY1", "MY2", "MY3", "MY4"]
        assert await _nos(lina) == ["MY2", "MY3", "MY4", "MY5"]
        # Beside the other filters and the paging.
        assert await _nos(zhang, "&q=MY3") == ["MY3"]
        status, page = await zhang.call("GET", "/orders?mine=true&page=2&page_size=3")
        assert page["total"] == 4 and [o["order_no"] for o in page["orders"]] == ["MY4"]
        # Without ``mine`` a specialist still sees every order.
        status, page = await zhang.call("GET", "/orders")
        assert page["total"] == 5
        # The team changes: the list follows.
        status, _ = await admin.call("PATCH", "/orders/MY2", {"team": {"specialist": "lina"}})
        assert status == 200
        assert await _nos(zhang) == ["MY1", "MY3", "MY4"]
        status, _ = await admin.call("PATCH", "/orders/MY5", {"team": {
            "specialist": "lina", "others": ["zhangwei", "wangqiang"]}})
        assert await _nos(zhang) == ["MY1", "MY3", "MY4", "MY5"]
        # The export is the list: the same rows.
        resp = await client.get("/api/v1/orders.csv?mine=true", headers=zhang.headers)
        text = await resp.text(encoding="utf-8")
        assert [line.split(",")[0] for line in text.splitlines()[1:]] == [
            "MY1", "MY3", "MY4", "MY5"]
        # A refused create leaves no members behind.
        status, _ = await admin.call("POST", "/orders", {
            "order_no": "MY1", "customer": {"name": "陈女士", "phone": "13800000000"},
            "team": {"specialist": "nobody"}})
        assert status == 409
        assert not await OrderMember.filter(userid="nobody").exists()


async def test_the_migration_fills_in_the_members_of_older_orders(
    mode_settings: Callable[..., Settings],
) -> None:
    settings = mode_settings()
    async with serving(settings):
        await Order.create(order_no="OLD1", team={"specialist": "a", "designer": "b",
                                                  "installer": None, "others": ["c", "a"]},
                           specialist="a")
        await Order.create(order_no="OLD2", team={"specialist": "d"}, specialist="d")
        assert await OrderMember.all().count() == 0  # as before the table existed
        folder = migrations_location(settings.database_url) / "models"
        (path,) = folder.glob("*_order_member.py")
        spec = importlib.util.spec_from_file_location("order_member_migration", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        db = connection()
        await db.execute_script(await module.upgrade(db))
        rows = await OrderMember.all().values_list("order__order_no", "userid")
        assert sorted(rows) == [("OLD1", "a"), ("OLD1", "b"), ("OLD1", "c"), ("OLD2", "d")]
