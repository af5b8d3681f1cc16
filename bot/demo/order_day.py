"""``wecom-bot demo`` steps for one customer, one group: an order's group bound by its name,
the customer joining by the order's QR, a milestone from chat, the owner's group task."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from bot.demo.script import Demo, DemoFailure, step

ORDER_NO = "DD20261123"
CUSTOMER = "wmSandboxCustomer000000000000001"


async def _order(demo: Demo) -> object:
    from bot.models import Order

    order = await Order.get_or_none(order_no=ORDER_NO)
    if order is None:
        raise DemoFailure(f"order {ORDER_NO} (an earlier step did not happen)")
    return order


def _find(demo: Demo, uid: str, word: str) -> Callable[[], list[dict[str, Any]]]:
    return lambda: [m for m in demo.received(uid) if word in m["summary"]]


def _since(demo: Demo, uid: str, start: int, word: str, channel: str | None = None
           ) -> Callable[[], list[dict[str, Any]]]:
    return lambda: [m for m in demo.received(uid, start) if word in m["summary"]
                    and (channel is None or m.get("channel") == channel)]


@step("an order arrives; the specialist names a customer group after it and it is bound")
async def order_group_bound(demo: Demo) -> None:
    from bot.models import Order
    from bot.orders import orders
    from bot.orders.schemas import OrderIn

    await orders.create(OrderIn.model_validate({
        "order_no": ORDER_NO, "customer": {"name": "陈女士", "phone": "13800000000"},
        "team": {"specialist": "zhangwei", "designer": "lina", "installer": "wangqiang"}}))
    demo.say("ERP → 服务", f"新订单 {ORDER_NO}：专员 张伟，设计 李娜，安装 王强")
    demo.say("张伟 → 企业微信", f"创建客户群「{ORDER_NO} 陈女士全屋定制」")
    await demo.sandbox.staff_creates_group("zhangwei", f"{ORDER_NO} 陈女士全屋定制")
    await demo.wait_for("the group bound and its QR made", lambda: Order.get_or_none(
        order_no=ORDER_NO, join_qr_code__isnull=False))
    for uid in ("lina", "zhangwei"):
        got = await demo.wait_for(f"{uid} told of the binding", _find(demo, uid, "已绑定客户群"))
        demo.say(f"应用 → {uid}", got[-1]["summary"].replace("\n", " "))
    qr = await demo.wait_for("the QR for the specialist", lambda: [
        m for m in demo.received("zhangwei") if "入群二维码" in m["summary"]])
    demo.say("应用 → zhangwei", qr[-1]["summary"].replace("\n", " "))


@step("the customer scans the order's QR and joins; the team is told")
async def customer_joins(demo: Demo) -> None:
    from bot.models import Order

    order = await _order(demo)
    demo.say("陈女士", "扫描订单二维码入群")
    await demo.sandbox.customer_joins_group(CUSTOMER, config_id=order.join_way_config_id)  # type: ignore[attr-defined]
    await demo.wait_for("the customer linked to the order", lambda: Order.get_or_none(
        order_no=ORDER_NO, customer_external_userid=CUSTOMER))
    got = await demo.wait_for("the team told", lambda: [
        m for m in demo.received("wangqiang") if "客户已入群" in m["summary"]])
    demo.say("应用 → wangqiang", got[-1]["summary"].replace("\n", " "))


@step("the designer records a milestone from chat; the team gets it at once")
async def milestone_from_chat(demo: Demo) -> None:
    text = f"里程碑 {ORDER_NO} 签约 合同已签，首付已到账"
    demo.say("李娜 → 应用", text)
    await demo.sandbox.staff_says("lina", text)
    reply = await demo.wait_for("the designer's confirmation", lambda: [
        m for m in demo.received("lina") if "已记录" in m["summary"]])
    demo.say("应用 → lina", reply[-1]["summary"])
    got = await demo.wait_for("the installer's card", lambda: [
        m for m in demo.received("wangqiang") if "：签约" in m["summary"]])
    demo.say("应用 → wangqiang", got[-1]["summary"].replace("\n", " "))


@step("the group owner confirms the day's group task; the customer group receives it")
async def owner_confirms(demo: Demo) -> None:
    from bot.infra.clock import utcnow
    from bot.models import GroupNotice, GroupNoticeStatus
    from bot.orders.tick import tick

    order = await _order(demo)
    chat = order.group_chat_id  # type: ignore[attr-defined]
    delay = demo.services.settings.group_task_delay_seconds
    # The day's window ends.
    await tick(demo.services.ports, utcnow() + timedelta(seconds=delay + 1))
    task = await demo.wait_for("the group task created", lambda: [
        t for t in demo.sandbox.mass_messaging.tasks.values() if chat in t.assign])
    ask = await demo.wait_for("the owner asked to confirm", lambda: [
        m for m in demo.received("zhangwei") if "请确认群发" in m["summary"]])
    demo.say("应用 → zhangwei", ask[-1]["summary"].split("\n")[0])
    demo.say("张伟 → 企业微信", "在群发助手中确认发送")
    await demo.sandbox.owner_confirms_task(task[0].msgid, "zhangwei")
    got = await demo.wait_for("the group's message", lambda: demo.received(chat))
    demo.say("客户群", str(got[-1].get("text", {}).get("content", "")).replace("\n", " "))
    await tick(demo.services.ports, utcnow() + timedelta(
        seconds=delay + demo.services.settings.group_task_check_seconds + 2))
    await demo.wait_for("the task recorded as delivered", lambda: GroupNotice.get_or_none(
        chat_id=chat, status=GroupNoticeStatus.DELIVERED))
    demo.say("服务", "时间线：团队 ✓ 客户群 ✓（群主已发送）")


@step("milestones 发货 and 安装 reach the team, the customer in kefu and the group's next task")
async def delivery_and_installation(demo: Demo) -> None:
    from bot.models import GroupNotice, Milestone, Notification
    from bot.orders import milestones
    from bot.orders.schemas import MilestoneIn
    from sandbox import SEED_KF

    # The customer wrote to kefu recently, so WeCom lets the service message them there.
    demo.say("陈女士 → 客服", "你好，我的柜子什么时候到？")
    await demo.sandbox.customer_says(SEED_KF, CUSTOMER, "你好，我的柜子什么时候到？")
    await demo.wait_for("the kefu answer", lambda: [
        m for m in demo.received(CUSTOMER) if m.get("channel") == "kf"])
    for stage, event_id, note in (("发货", "demo-shipping", "今天上午已从工厂发出"),
                                  ("安装", "demo-installation", "王师傅已完成安装")):
        before = len(demo.sandbox.inbox(CUSTOMER))
        team_before = len(demo.sandbox.inbox("wangqiang"))
        await milestones.record(
            demo.services.ports, ORDER_NO,
            MilestoneIn(milestone=stage, event_id=event_id, note=note, force=True),
            source="api", actor="erp")
        demo.say("ERP → 服务", f"里程碑「{stage}」（跳过中间节点，已标记为强制）：{note}")
        card = await demo.wait_for(f"the team's {stage} card",
                                   _since(demo, "wangqiang", team_before, f"：{stage}"))
        demo.say("应用 → wangqiang", card[-1]["summary"].split("\n")[0])
        kf = await demo.wait_for(f"the customer's {stage} message in kefu",
                                 _since(demo, CUSTOMER, before, stage, channel="kf"))
        demo.say("客服 → 陈女士", kf[-1]["summary"].replace("\n", " "))
        recorded = await Milestone.get(event_id=event_id)
        kinds = {n.channel for n in await Notification.filter(milestone_id=recorded.id)}
        if not {"app", "kefu", "group"} <= kinds:
            raise DemoFailure(f"{stage}: notifications for {sorted(kinds)} only")
    order = await _order(demo)
    waiting = await GroupNotice.filter(chat_id=order.group_chat_id,  # type: ignore[attr-defined]
                                       status="collecting").first()
    if waiting is None:
        raise DemoFailure("the group's next task is not queued")
    demo.say("服务", "客户群今日已发过一次群发（每群每天一次）：发货、安装合并进明天的群发任务")
