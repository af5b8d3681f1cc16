"""Staff are named to customers by the WeCom directory's name, looked up once and remembered."""

from __future__ import annotations

from collections.abc import Callable

from bot.conversations import rules_store
from bot.conversations.rulebook import changed
from bot.orders import orders
from bot.orders.schemas import OrderIn
from bot.protocol import errors as E
from bot.protocol.errors import WeComAPIError
from bot.settings import Settings
from tests.harness.world import CUSTOMER, KF, world


async def test_names_come_from_the_directory_and_are_remembered(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        def lookups() -> int:
            return sum(1 for c in w.sandbox.calls if c["path"] == "user/get")

        assert await w.services.ports.directory.staff_name("zhangwei") == "张伟"
        assert await w.services.ports.directory.staff_name("zhangwei") == "张伟"
        assert lookups() == 1
        # A userid WeCom does not know is named by itself, and that answer is remembered too.
        assert await w.services.ports.directory.staff_name("nobody") == "nobody"
        assert await w.services.ports.directory.staff_name("nobody") == "nobody"
        assert lookups() == 2
        assert await w.services.ports.directory.staff_name(None) == "" and lookups() == 2

        # WeCom busy: the userid stands in for now, and the next message asks again.
        w.sandbox.set_faults(busy_burst=100, paths=("user/get",))
        assert await w.services.ports.directory.staff_name("lina") == "lina"
        w.sandbox.set_faults()
        assert await w.services.ports.directory.staff_name("lina") == "李娜"


async def test_the_sandbox_reads_members_as_wecom_does(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        client = w.services.wecom.app("main")
        got = await client.user_get("wangqiang")
        assert got["errcode"] == 0 and got["name"] == "王强" and got["status"] == 1
        try:
            await client.user_get("nobody")
        except WeComAPIError as exc:
            assert exc.errcode == E.USERID_NOT_FOUND
        else:
            raise AssertionError("an unknown userid must fail with 60111")


async def test_a_members_leader_comes_from_the_directory_within_the_apps_range(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        directory = w.services.ports.directory

        def lookups() -> int:
            return sum(1 for c in w.sandbox.calls if c["path"] == "user/get")

        w.sandbox.corp.set_direct_leader("zhangwei", "liuyang")
        # One user/get gives the name and the leader, both remembered.
        assert await directory.staff_name("zhangwei") == "张伟"
        assert await directory.leader_of("zhangwei") == "liuyang" and lookups() == 1
        assert await directory.leader_of("lina") is None and lookups() == 2
        assert await directory.leader_of("lina") is None and lookups() == 2
        assert await directory.leader_of("nobody") is None
        # WeCom names a leader only when the app sees the leader too (docs 90196).
        w.sandbox.corp.set_direct_leader("wangqiang", "liuyang")
        w.sandbox.corp.admin["main"].visible_users = {"zhangwei", "lina", "wangqiang"}
        got = await w.services.wecom.app("main").user_get("wangqiang")
        assert got["direct_leader"] == []
        assert await directory.leader_of("wangqiang") is None
        # WeCom busy: nothing is remembered, the next use asks again.
        w.sandbox.corp.admin["main"].visible_users = None
        w.sandbox.corp.set_direct_leader("liuyang", "zhangwei")
        w.sandbox.set_faults(busy_burst=100, paths=("user/get",))
        assert await directory.leader_of("liuyang") is None
        w.sandbox.set_faults()
        assert await directory.leader_of("liuyang") == "zhangwei"


async def test_a_kefu_reply_names_the_customers_specialist(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        rule = {"id": "who", "name": "专员", "priority": 50, "when": {"any": ["专员"]},
                "action": "reply",
                "replies": {"messages": [{"text": "订单{order_no}的专员是{specialist}"}]}}
        await rules_store.import_rules({"rules": [rule]}, mode="replace", actor="test")
        await changed(w.services.ports)
        await orders.create(OrderIn.model_validate({
            "order_no": "DD20261199", "customer": {"external_userid": CUSTOMER, "name": "陈女士"},
            "team": {"specialist": "zhangwei"}}))
        await w.sandbox.customer_says(KF, CUSTOMER, "我的专员是谁")
        assert (await w.wait_kf(1))[0] == "订单DD20261199的专员是张伟"
