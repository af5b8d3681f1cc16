"""Customer groups: binding rules, our copy of groups and members, and the lookups."""

from __future__ import annotations

from collections.abc import Callable

from bot.models import CustomerGroup, CustomerGroupMember, Order
from bot.orders import groups, lookup
from bot.settings import Settings
from sandbox import SEED_CUSTOMERS
from sandbox.customer_groups import member_version
from tests.harness.admin import Admin
from tests.harness.policies import FAST
from tests.harness.service import services_of, serving
from tests.harness.waiting import one, outbox_settled, wait_for
from tests.orders.helpers import bound_order, new_order, orders_settings

A, B = "DD20260010", "DD20260011"
C1, C2 = SEED_CUSTOMERS[0][0], SEED_CUSTOMERS[1][0]


async def test_one_group_per_order_and_one_order_per_group(
    embedded_settings: Callable[..., Settings],
) -> None:
    async with serving(orders_settings(embedded_settings)) as client:
        services = services_of(client)
        services.wecom.retry = FAST
        sandbox = services.sandbox
        admin = await Admin.make(client)
        await new_order(admin, A)
        await new_order(admin, B)
        order_a = await bound_order(admin, A)
        # Explicit binding of an unnamed group to B works; to A is a 409 naming A's group.
        other = (await sandbox.staff_creates_group("zhangwei", "陈女士的群"))["chat_id"]
        await wait_for(lambda: one(CustomerGroup, chat_id=other))
        status, err = await admin.call("POST", f"/orders/{A}/group", {"chat_id": other})
        assert status == 409 and order_a.group_chat_id in err["error"]["message"]
        status, err = await admin.call("POST", f"/orders/{B}/group",
                                       {"chat_id": order_a.group_chat_id})
        assert status == 409 and f"订单 {A}" in err["error"]["message"]
        status, data = await admin.call("POST", f"/orders/{B}/group", {"chat_id": other})
        assert status == 200 and data["group_chat_id"] == other
        # Binding the same pair again changes nothing.
        status, _ = await admin.call("POST", f"/orders/{B}/group", {"chat_id": other})
        assert status == 200
        # A group WeCom does not know is a 404.
        status, err = await admin.call("POST", "/orders/DD20260099/group", {"chat_id": "wrX"})
        assert status == 404
        await new_order(admin, "DD20260099")
        status, err = await admin.call("POST", "/orders/DD20260099/group", {"chat_id": "wrX"})
        assert status == 404 and err["error"]["field"] == "chat_id"
        # A group named after an order that is already bound: the owner is told why.
        await sandbox.staff_creates_group("lina", f"{A} 第二个群")
        note = await wait_for(lambda: [m for m in sandbox.inbox("lina") if "未能绑定" in str(m)])
        assert "一个订单只能绑定一个群" in str(note)
        assert (await Order.get(order_no=A)).group_chat_id == order_a.group_chat_id
        await outbox_settled()


async def test_members_versions_dismiss_and_lookups(
    embedded_settings: Callable[..., Settings],
) -> None:
    async with serving(orders_settings(embedded_settings)) as client:
        services = services_of(client)
        services.wecom.retry = FAST
        sandbox = services.sandbox
        admin = await Admin.make(client)
        await new_order(admin, A, customer={"external_userid": C1})
        order = await bound_order(admin, A)
        chat = order.group_chat_id
        # The order's own customer joins directly (not by QR), and a relative by the QR.
        await sandbox.customer_joins_group(C1, chat_id=chat, join_scene=1, invitor="zhangwei")
        await sandbox.customer_joins_group(C2, config_id=order.join_way_config_id)
        rel = await wait_for(lambda: one(CustomerGroupMember, group_id=chat, userid=C2))
        assert rel.state == f"order:{order.id}" and rel.join_scene == 3
        assert (await Order.get(order_no=A)).customer_external_userid == C1  # not replaced
        info = await groups.groups_of_customer(C2)
        assert [(g.chat_id, g.order_no) for g in info] == [(chat, A)]
        # The lookups the conversations side uses.
        summary = await lookup.order_for_customer(C1)
        assert summary is not None and (summary.order_no, summary.specialist,
                                        summary.group_chat_id) == (A, "zhangwei", chat)
        via_group = await lookup.order_for_customer(C2)  # only a member of the order's group
        assert via_group is not None and via_group.order_no == A
        assert await lookup.order_for_customer("wmNobody") is None
        assert (await lookup.order_by_no(A)).stage is None  # type: ignore[union-attr]
        assert await lookup.order_by_no("NOPE") is None
        # A leave whose LastMemVer is ours applies without a groupchat/get.
        gets = len([c for c in sandbox.calls if c["path"].endswith("groupchat/get")])
        await sandbox.customer_leaves_group(chat, C2)
        await wait_for(lambda: one(CustomerGroupMember, group_id=chat, userid=C2,
                                   left_at__isnull=False))
        assert len([c for c in sandbox.calls if c["path"].endswith("groupchat/get")]) == gets
        group = await CustomerGroup.get(chat_id=chat)
        assert group.member_version == member_version(sandbox.customer_groups.groups[chat])
        assert await groups.groups_of_customer(C2) == []
        # A leave event without MemChangeList (the field came later to the event): fetched
        # in full, not applied as "nobody left" with the version moved on.
        g = sandbox.customer_groups.groups[chat]
        last = member_version(g)
        del g.members[C1]
        g.version += 1
        await groups.apply_update(services.ports, chat, "del_member", last, member_version(g), (),
                                  0, 1)
        assert await one(CustomerGroupMember, group_id=chat, userid=C1, left_at__isnull=False)
        # Dismissed: members gone, the order free to bind another group.
        await groups.dismiss(chat)
        assert (await Order.get(order_no=A)).group_chat_id is None
        assert await groups.members(chat) == []
        await outbox_settled()
