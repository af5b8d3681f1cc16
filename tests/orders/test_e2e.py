"""One customer, one group, end to end through the sandbox, in both modes.

The group is created and bound by its name, the customer joins by the order's QR, milestones
arrive by API and by chat, the owner confirms the group task; every inbox is read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.infra.clock import cst_date, utcnow
from bot.models import (
    GroupNotice,
    GroupNoticeStatus,
    KfConversation,
    Order,
    OutboxMessage,
    OutboxStatus,
)
from bot.orders import eta
from bot.settings import Settings
from sandbox import SEED_KF
from tests.harness.admin import Admin
from tests.harness.policies import FAST
from tests.harness.service import services_of, serving
from tests.harness.waiting import one, outbox_settled, wait_for
from tests.harness.world import CUSTOMER, World, load_sample_rules
from tests.orders.helpers import bound_order, cards, new_order, orders_settings, run_tick

NO = "DD20260001"


async def test_order_group_milestones_end_to_end(mode_settings: Callable[..., Settings]) -> None:
    async with serving(orders_settings(mode_settings)) as client:
        services = services_of(client)
        services.wecom.retry = FAST
        sandbox = services.sandbox
        admin = await Admin.make(client)
        await load_sample_rules(World(client))  # production mode starts with none
        # A 量尺 date the ERP planned (ahead: one already past would move, as late stages do).
        today = cst_date(utcnow())
        measure_on = today + timedelta(days=30)
        await new_order(admin, NO, expected_dates={"量尺": measure_on.isoformat()})

        # The specialist creates the group named after the order: bound, QR made.
        order = await bound_order(admin, NO)
        chat = order.group_chat_id
        assert chat and order.join_qr_code
        for uid in ("zhangwei", "lina", "wangqiang"):
            await wait_for(lambda uid=uid: cards(sandbox, uid, "已绑定客户群"))
        qr = await wait_for(lambda: cards(sandbox, "zhangwei", "入群二维码"))
        assert qr[0]["payload"]["url"] == order.join_qr_code
        assert not cards(sandbox, "lina", "入群二维码")  # only the specialist passes it on

        # The customer scans the QR: recognized by the join way's state, the team is told.
        await sandbox.customer_joins_group(CUSTOMER, config_id=order.join_way_config_id)
        await wait_for(lambda: one(Order, order_no=NO, customer_external_userid=CUSTOMER))
        for uid in ("zhangwei", "lina", "wangqiang"):
            await wait_for(lambda uid=uid: cards(sandbox, uid, "客户已入群"))

        # The customer talks to kefu (the conversations side pulls it and answers), so the
        # session allows milestone messages there.
        # The question is about progress: the customer hears where their order is, and
        # gets its page's link.
        await sandbox.customer_says(SEED_KF, CUSTOMER, "你好，想问下进度")
        await wait_for(lambda: one(KfConversation, external_userid=CUSTOMER,
                                   last_customer_at__isnull=False))
        answer = await wait_for(lambda: [m["payload"]["content"] for m in sandbox.inbox(CUSTOMER)
                                         if m["channel"] == "kf"])
        assert NO in answer[0] and "还没有开始" in answer[0] and "/p/" in answer[0]

        # Milestone 1 by API; the same event again is a replay that notifies nobody.
        body = {"milestone": "签约", "event_id": "erp-1001", "note": "合同已签"}
        status, first = await admin.call("POST", f"/orders/{NO}/milestones", body)
        assert status == 201 and first["from_stage"] is None and not first["replayed"]
        status, again = await admin.call("POST", f"/orders/{NO}/milestones", body)
        assert status == 201 and again["replayed"] and again["event_id"] == "erp-1001"

        # Milestone 2 by chat, from the designer (a team member); an outsider is refused.
        await sandbox.staff_says("liuyang", f"里程碑 {NO} 量尺")
        await wait_for(lambda: [m for m in sandbox.inbox("liuyang") if "不在订单" in str(m)])
        await sandbox.staff_says("lina", f"里程碑 {NO} 量尺 已约周六上门")
        await wait_for(lambda: [m for m in sandbox.inbox("lina") if "已记录" in str(m)])
        assert (await Order.get(order_no=NO)).stage == "量尺"
        for uid in ("zhangwei", "lina", "wangqiang"):
            signed = await wait_for(lambda uid=uid: cards(sandbox, uid, NO + "：签约"))
            measured = await wait_for(lambda uid=uid: cards(sandbox, uid, NO + "：量尺"))
            assert len(signed) == len(measured) == 1
            assert eta.day_text(measure_on, today) in str(signed)
            assert "已约周六上门" in str(measured)

        # Both milestones of the day go out as ONE group task, created when it is due.
        await run_tick(client, ahead=61)
        notice = await GroupNotice.get(chat_id=chat)
        assert notice.status == GroupNoticeStatus.CREATED
        row = await wait_for(lambda: one(OutboxMessage, id=notice.outbox_id,
                                         status=OutboxStatus.SENT))
        msgid = row.result["msgid"]
        tasks = sandbox.mass_messaging.tasks
        assert [t for t in tasks.values() if chat in t.assign] == [tasks[msgid]]
        await wait_for(lambda: cards(sandbox, "zhangwei", "请确认群发"))
        assert not sandbox.inbox(chat)  # nothing reaches the group before the owner sends it

        # The owner confirms in the client; the next poll sees it sent → delivered.
        await sandbox.owner_confirms_task(msgid, "zhangwei")
        await run_tick(client, ahead=120)
        assert (await GroupNotice.get(id=notice.id)).status == GroupNoticeStatus.DELIVERED
        assert (await OutboxMessage.get(id=row.id)).status == OutboxStatus.DELIVERED
        group_inbox = sandbox.inbox(chat)
        assert len(group_inbox) == 1 and group_inbox[0]["msgtype"] == "group_task"
        text = group_inbox[0]["text"]["content"]
        assert "签约" in text and "量尺" in text and text.index("签约") < text.index("量尺")
        # It welcomes the customer who joined, and gives their progress page's link once.
        assert text.startswith(f"欢迎加入订单 {NO} 的服务群") and text.count("/p/") == 1
        link = answer[0][answer[0].index("http"):]
        assert link in text

        # The customer got each milestone in kefu, once.
        def notices() -> list[str]:
            return [m["payload"]["content"] for m in sandbox.inbox(CUSTOMER)
                    if m["channel"] == "kf" and "已进入「" in str(m.get("payload"))]

        kf = await wait_for(lambda: len(notices()) == 2 and notices())
        assert "签约" in kf[0] and "量尺" in kf[1]
        assert all(k.endswith(f"订单进度随时查看：{link}") for k in kf), kf

        # The default templates name nobody: no directory look-up was made for them (the
        # console's timeline below asks for the team's names, which is its own look-up).
        assert not [c for c in sandbox.calls if c["path"] == "user/get"]
        # The timeline shows every notice and where it is.
        status, tl = await admin.call("GET", f"/orders/{NO}/timeline")
        assert status == 200 and tl["order"]["stage"] == "量尺"
        kinds = [e["kind"] for e in tl["entries"]]
        assert kinds[:3] == ["bound", "join_qr", "joined"] and kinds.count("milestone") == 2
        assert "welcome" in kinds  # the customer's welcome in the group task
        ms = [e for e in tl["entries"] if e["kind"] == "milestone"]
        assert [m["milestone"]["source"] for m in ms] == ["api", "chat"]
        for e in ms:
            by = {(n["channel"], n["recipient"]): n["status"] for n in e["notifications"]}
            assert by == {("app", "zhangwei"): "sent", ("app", "lina"): "sent",
                          ("app", "wangqiang"): "sent", ("group", chat): "delivered",
                          ("kefu", CUSTOMER): "sent"}, by

        # Progress from chat, for the team.
        await sandbox.staff_says("wangqiang", f"进度 {NO}")
        reply = await wait_for(lambda: [m for m in sandbox.inbox("wangqiang")
                                        if "当前阶段：量尺" in str(m)])
        assert "下一步：设计" in str(reply)

        # Nobody got anything twice.
        for uid in ("zhangwei", "lina", "wangqiang"):
            ids = [m["msgid"] for m in sandbox.inbox(uid) if m["channel"] == "app"]
            assert len(ids) == len(set(ids))
        assert len(sandbox.mass_messaging.tasks) == 1
        await outbox_settled()
