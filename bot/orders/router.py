"""Customer-group events and the staff commands 里程碑 / 进度 (thin: bot.orders does the work)."""

from __future__ import annotations

from bot.conversations import group_welcome
from bot.conversations.routes_help import COMMANDS
from bot.infra.logs import get_logger
from bot.models import CustomerGroup, Order
from bot.orders import appointments, binding, groups, milestones, orders, slot_times
from bot.orders.order_errors import OrderError
from bot.orders.schemas import MilestoneIn
from bot.ports import HandlerContext
from bot.protocol.events import (
    AibotText,
    ExternalChatCreateEvent,
    ExternalChatDismissEvent,
    ExternalChatUpdateEvent,
    TextMessage,
)
from bot.protocol.replies import TextReply
from bot.routing import Router, command_text, text_startswith

router = Router("orders")
log = get_logger("bot.orders.router")
# 进度 <订单号> is the staff handlers' command; it answers with bot.orders.lookup's text.
COMMANDS.append(("里程碑 <订单号> <节点> [备注]",
                 "记录订单里程碑（仅限该订单团队），并通知团队、客户群和客户"))
COMMANDS.append(("预约 <订单号> <节点> <时间>…",
                 "向客户提供 1–3 个上门时间（如 量尺 12月9日14:00 12月10日10:00），"
                 "客户在微信客服中选择"))


async def _bind_by_name(ctx: HandlerContext, group: CustomerGroup) -> None:
    ports = ctx.ports
    order_no = binding.order_no_in(group.name, ports.settings.order_no_pattern)
    if order_no is None or await Order.filter(group_chat_id=group.chat_id).exists():
        return
    try:
        await binding.bind(ports, order_no, group.chat_id)
    except OrderError as exc:
        # The owner named the group after an order we cannot bind: tell them why.
        log.info("orders.bind_by_name_refused", chat_id=group.chat_id, code=exc.code)
        row = await ports.outbox.add(
            key=f"bindfail:{group.chat_id}:{order_no}", api="message_send",
            args={"msgtype": "text", "touser": [group.owner], "payload": {
                "content": f"客户群「{group.name}」未能绑定订单 {order_no}：{exc.message}"}},
            recipient=group.owner, ref=f"group:{group.chat_id}")
        await ports.outbox.flush([row])


@router.on(ExternalChatCreateEvent)
async def group_created(event: ExternalChatCreateEvent, ctx: HandlerContext) -> None:
    if not event.chat_id:
        return
    try:
        async with groups.group_lock(ctx.ports, event.chat_id):
            group, _ = await groups.sync(ctx.ports, event.chat_id)
    except groups.GroupUnknown:
        log.warning("orders.group_unknown", change="create")
        return
    if group.owner:  # which group welcome template to pick (WeCom lets only the client set it)
        await group_welcome.tell_owner(ctx.ports, chat_id=event.chat_id, owner=group.owner,
                                       group_name=group.name or "")
    await _bind_by_name(ctx, group)


@router.on(ExternalChatUpdateEvent)
async def group_updated(event: ExternalChatUpdateEvent, ctx: HandlerContext) -> None:
    if not event.chat_id:
        return
    try:
        async with groups.group_lock(ctx.ports, event.chat_id):
            if event.update_detail in ("add_member", "del_member"):
                group, joined = await groups.apply_update(
                    ctx.ports, event.chat_id, event.update_detail, event.last_mem_ver,
                    event.cur_mem_ver, event.mem_change_list, event.quit_scene,
                    event.mem_change_cnt)
            else:  # name, owner or notice changed: fetch the group as it is now
                group, joined = await groups.sync(ctx.ports, event.chat_id)
    except groups.GroupUnknown:
        log.warning("orders.group_unknown", change="update")
        return
    if joined:
        await binding.members_joined(ctx.ports, event.chat_id, joined)
    if event.update_detail == "change_name":
        await _bind_by_name(ctx, group)


@router.on(ExternalChatDismissEvent)
async def group_dismissed(event: ExternalChatDismissEvent, ctx: HandlerContext) -> None:
    if event.chat_id:
        async with groups.group_lock(ctx.ports, event.chat_id):
            await groups.dismiss(event.chat_id)


def _sender(event: TextMessage | AibotText) -> str:
    """The staff userid: app messages name it in FromUserName, the AI bot in from.userid."""
    return getattr(event, "from_user_name", None) or getattr(event, "from_userid", None) or ""


async def _team_order(order_no: str, userid: str) -> Order:
    order = await orders.get(order_no)
    if userid not in orders.team_of(order).members():
        raise OrderError(f"您不在订单 {order_no} 的团队中")
    return order


@router.on(TextMessage, AibotText, filters=[text_startswith("里程碑")])
async def milestone_command(event: TextMessage | AibotText, ctx: HandlerContext) -> TextReply:
    parts = (command_text(event) or "").split(maxsplit=3)
    if len(parts) < 3:
        return TextReply("用法：里程碑 <订单号> <节点> [备注]，"
                         "例如：里程碑 DD20260001 量尺 已约周六上门")
    _, order_no, stage, *rest = parts
    userid = _sender(event)
    # The message id makes a redelivered command a replay of the same milestone event.
    msg_id = event.msg_id or getattr(event, "create_time", None)
    try:
        await _team_order(order_no, userid)
        data = MilestoneIn(milestone=stage, event_id=f"chat:{msg_id}",
                           note=rest[0] if rest else None)
        result = await milestones.record(ctx.ports, order_no, data, source="chat",
                                         actor=userid)
    except OrderError as exc:
        return TextReply(f"未记录：{exc.message}")
    except ValueError as exc:  # the note or stage did not validate
        return TextReply(f"未记录：{str(exc).splitlines()[0]}")
    return TextReply(f"已记录：订单 {order_no} 进入「{result.milestone}」，已通知团队"
                     f"{'、客户群' if (await orders.get(order_no)).group_chat_id else ''}。")


APPOINTMENT_USAGE = ("用法：预约 <订单号> <节点> <时间>…，最多 3 个时间，例如：\n"
                     "预约 DD20260001 量尺 12月9日14:00 12月10日 10:00")


@router.on(TextMessage, AibotText, filters=[text_startswith("预约")])
async def appointment_command(event: TextMessage | AibotText, ctx: HandlerContext
                              ) -> TextReply:
    parts = (command_text(event) or "").split(maxsplit=3)
    if len(parts) < 4:
        return TextReply(APPOINTMENT_USAGE)
    _, order_no, stage, times = parts
    userid = _sender(event)
    ports = ctx.ports
    msg_id = event.msg_id or getattr(event, "create_time", None)
    try:
        order = await _team_order(order_no, userid)
        slots = slot_times.parse_slots(times, ports.clock.now())
        got = await appointments.propose(ports, order_no, stage, slots, source="chat",
                                         actor=userid, event_id=f"chat:{msg_id}")
    except OrderError as exc:
        return TextReply(f"未预约：{exc.message}")
    except slot_times.SlotError as exc:
        return TextReply(f"未预约：{exc}")
    way = ("将通过微信客服发给客户选择；客户暂时收不到时会提醒您当面确认。"
           if order.customer_external_userid else
           "订单还没有关联客户的微信，请当面或电话与客户确认。")
    return TextReply(f"已记录订单 {order_no} 的「{got.stage}」预约，可选时间："
                     f"{'、'.join(got.slot_texts)}。{way}")
