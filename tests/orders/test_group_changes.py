"""Every change_external_chat the sandbox can send, through the real service: joins and
leaves by scene, rename, notice, owner hand-over and dismissal, each as the handler did it."""

from __future__ import annotations

from collections.abc import Callable

from bot.models import CustomerGroup, CustomerGroupMember, InboxEvent, InboxStatus, Order
from bot.settings import Settings
from sandbox import SEED_CUSTOMERS
from tests.harness.admin import Admin
from tests.harness.policies import FAST
from tests.harness.service import services_of, serving
from tests.harness.waiting import one, wait_for
from tests.orders.helpers import bound_order, new_order, orders_settings

A = "DD20260050"
C1, C2 = SEED_CUSTOMERS[0][0], SEED_CUSTOMERS[1][0]


async def test_group_changes_reach_the_handlers(
    embedded_settings: Callable[..., Settings],
) -> None:
    async with serving(orders_settings(embedded_settings)) as client:
        services = services_of(client)
        services.wecom.retry = FAST
        sb = services.sandbox
        admin = await Admin.make(client)
        await new_order(admin, A, customer={"external_userid": C1})
        chat = (await bound_order(admin, A)).group_chat_id
        # add_member: invited (JoinScene 0), a member of the corp, and by QR (JoinScene 3).
        await sb.customer_joins_group(C1, chat_id=chat, join_scene=1, invitor="zhangwei")
        await sb.customer_joins_group("lina", chat_id=chat, join_scene=1, invitor="zhangwei")
        await sb.customer_joins_group(C2, chat_id=chat, join_scene=3)
        await wait_for(lambda: one(CustomerGroupMember, group_id=chat, userid=C2))
        # del_member: left by themself (QuitScene 0) and removed by the owner (1).
        await sb.customer_leaves_group(chat, C2, quit_scene=0)
        await sb.customer_leaves_group(chat, C1, quit_scene=1)
        for uid in (C1, C2):
            await wait_for(lambda u=uid: one(CustomerGroupMember, group_id=chat, userid=u,
                                             left_at__isnull=False))
        # change_name / change_notice / change_owner: the group is read again from WeCom.
        gets = len([c for c in sb.calls if c["path"].endswith("groupchat/get")])
        await sb.owner_renames_group(chat, f"{A} 周女士全屋定制")
        await wait_for(lambda: one(CustomerGroup, chat_id=chat, name=f"{A} 周女士全屋定制"))
        await sb.owner_edits_notice(chat, "周六上门量尺")
        await sb.owner_hands_over(chat, "lina")
        await wait_for(lambda: one(CustomerGroup, chat_id=chat, owner="lina"))
        await sb.drain()
        # Each change's job reads the group (the notice's may still be at work).
        await wait_for(lambda: len([c for c in sb.calls
                                    if c["path"].endswith("groupchat/get")]) >= gets + 3)
        # dismiss: the group is gone and the order may bind another.
        await sb.owner_dismisses_group(chat)
        await wait_for(lambda: one(CustomerGroup, chat_id=chat, dismissed=True))
        assert (await Order.get(order_no=A)).group_chat_id is None
        assert not await CustomerGroupMember.filter(group_id=chat, left_at__isnull=True).exists()

        async def all_done() -> bool:
            rows = await InboxEvent.filter(event_type__startswith="change_external_chat")
            return bool(rows) and all(r.status == InboxStatus.DONE for r in rows)

        await wait_for(all_done)
        rows = await InboxEvent.filter(event_type__startswith="change_external_chat")
        assert all(r.last_error is None for r in rows)
        assert {r.event_type for r in rows} == {
            "change_external_chat.create", "change_external_chat.update",
            "change_external_chat.dismiss"}
