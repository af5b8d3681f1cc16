"""Appointments for the stages booked with the customer (a pipeline stage with
``appointment``, 量尺 and 安装 by default).

A team member proposes one to three times (the console's order page, ``POST
/api/v1/orders/{no}/appointments``, or ``预约 <订单号> <节点> <时间>…`` in app chat). The
customer gets them as a kf menu while their kf window is open and their allowance has room
(the same 5-in-48-hours budget every order notice uses, ``kefu_notices``); otherwise the
specialist is asked to settle the time in person, and the group's next owner-confirmed task
carries the times as text. The customer picks a time or asks for another ("都不合适"); either
is recorded and told to the team (a text card; a chosen time also goes into the group's
task). The day before (at ``appointment_remind_hour`` 北京时间) the team is reminded, and the
customer too where kf allows, once: the reminder's mark is set with its notices.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.infra.clock import CST, cst_date
from bot.infra.logs import get_logger
from bot.models import (
    Appointment,
    AppointmentStatus,
    GroupNotice,
    Notification,
    NotificationStatus,
    Order,
    OutboxMessage,
)
from bot.orders import grouptasks, pipelines
from bot.orders.notify import card, order_link
from bot.orders.order_errors import Conflict, OrderError
from bot.orders.orders import get
from bot.orders.schemas import AppointmentOut
from bot.orders.slot_times import parse_stored, slot_text
from bot.ports import Ports
from bot.protocol import text_limits as L

log = get_logger("bot.orders.appointments")
S = AppointmentStatus
PICK_PREFIX = "appt-"
OTHER = "other"  # the menu item "都不合适，换个时间"
OTHER_LABEL = "都不合适，换个时间"
_PICK_RE = re.compile(r"appt-([0-9]{1,10})-([0-9]|other)")
# Notification kinds: the menu to the customer (kefu) or the times in the group's task
# (group); the specialist asked to settle it in person; the choice; the day-before reminder.
OFFER, IN_PERSON, CHOSEN, DECLINED, REMINDER = (
    "appointment", "appt_in_person", "appt_chosen", "appt_declined", "appt_reminder")


def pick_of(menu_id: str | None) -> tuple[int, str] | None:
    """(appointment id, slot index or "other") of an appointment menu's click id."""
    m = _PICK_RE.fullmatch(menu_id or "")
    return (int(m.group(1)), m.group(2)) if m else None


def out(a: Appointment, order_no: str, now: datetime, replayed: bool = False
        ) -> AppointmentOut:
    slots = parse_stored(a.slots)
    return AppointmentOut(
        id=a.id, order_no=order_no, stage=a.stage, slots=slots,
        slot_texts=[slot_text(s, now) for s in slots], status=a.status.value,
        chosen_at=a.chosen_at,
        chosen_text=slot_text(a.chosen_at, now) if a.chosen_at else None,
        decided_at=a.decided_at, reminded_at=a.reminded_at, source=a.source,
        proposed_by=a.proposed_by, created_at=a.created_at, replayed=replayed)


async def list_for(order_no: str, now: datetime) -> list[AppointmentOut]:
    order = await get(order_no)
    rows = await Appointment.filter(order_id=order.id).order_by("id")
    return [out(a, order.order_no, now) for a in rows]


def _times(a: Appointment, now: datetime) -> str:
    return "、".join(slot_text(s, now) for s in parse_stored(a.slots))


async def _stage_checked(order: Order, stage: str) -> None:
    stages = await pipelines.load(order.order_type)
    spec = stages.get(stage)  # an unknown stage: 404 naming the pipeline
    if not spec.appointment:
        booked = [s.name for s in stages.spec.stages if s.appointment]
        raise OrderError(f"「{stage}」不是需要预约的节点"
                         + (f"（需要预约的节点：{'、'.join(booked)}）" if booked
                            else "（可在里程碑模板中把节点设为需要预约）"), "stage")
    if order.stage is not None and stages.index(stage) < stages.index(order.stage):
        raise Conflict(f"订单已过了「{stage}」节点（当前：{order.stage}），不能再预约", "stage")


async def propose(ports: Ports, order_no: str, stage: str, slots: list[datetime], *,
                  source: str, actor: str, event_id: str | None = None,
                  now: datetime | None = None) -> AppointmentOut:
    """Record a proposal (it replaces the stage's earlier one still open or chosen) and
    offer it to the customer. ``slots`` are checked already (``slot_times``)."""
    now = now or ports.clock.now()
    stored = [s.isoformat() for s in sorted(slots)]
    order = await get(order_no)
    replay = await _replay(order, event_id, stage, stored, now)
    if replay is not None:
        return replay
    await _stage_checked(order, stage)
    rows: list[OutboxMessage] = []
    notice: GroupNotice | None = None
    offer: Notification | None = None
    async with ports.store.lock(f"orders:order:{order.id}", wait=30):
        order = await Order.get(id=order.id)
        try:
            async with in_transaction() as conn:
                await Appointment.filter(order_id=order.id, stage=stage, status__in=(
                    S.PROPOSED, S.CHOSEN)).using_db(conn).update(status=S.REPLACED)
                a = await Appointment.create(order=order, stage=stage, slots=stored,
                                             source=source, proposed_by=actor[:64],
                                             event_id=event_id, using_db=conn)
                if order.customer_external_userid:
                    offer = await Notification.create(
                        order=order, appointment_id=a.id, kind=OFFER, channel="kefu",
                        recipient=order.customer_external_userid, using_db=conn)
                else:
                    rows, notice = await _in_person(conn, ports, order, a,
                                                    "订单还没有关联客户的微信", now)
        except IntegrityError:  # the same event id, recorded meanwhile
            replay = await _replay(order, event_id, stage, stored, now)
            if replay is None:
                raise
            return replay
    await _after(ports, rows, notice)
    if offer is not None:
        await ports.jobs.enqueue("orders_kefu_notice", offer.id, job_id=f"kefu:{offer.id}")
    log.info("appointments.proposed", order_id=order.id, appointment_id=a.id,
             slots=len(stored), source=source)
    return out(a, order.order_no, now)


async def _replay(order: Order, event_id: str | None, stage: str, stored: list[str],
                  now: datetime) -> AppointmentOut | None:
    if event_id is None:
        return None
    a = await Appointment.get_or_none(event_id=event_id)
    if a is None:
        return None
    if a.order_id != order.id or a.stage != stage or a.slots != stored:  # type: ignore[attr-defined]
        raise Conflict(f"请求 {event_id!r} 已记录过，且内容不同（同一 event_id 不能换内容）",
                       "event_id")
    return out(a, order.order_no, now, replayed=True)


async def _after(ports: Ports, rows: list[OutboxMessage], notice: GroupNotice | None) -> None:
    await ports.outbox.flush(rows)
    if notice is not None:
        await grouptasks.schedule(ports, notice)


async def _in_person(conn: BaseDBAsyncClient, ports: Ports, order: Order, a: Appointment,
                     why: str, now: datetime) -> tuple[list[OutboxMessage], GroupNotice | None]:
    """The customer cannot get the menu: the specialist is asked to settle the time in
    person, and the group's next task carries the times (when the order has a group)."""
    notice = await grouptasks.attach(conn, ports, order, None, now, kind=OFFER,
                                     appointment=a) if order.group_chat_id else None
    text = (f"无法通过微信客服把「{a.stage}」的预约发给客户（{why}）。请当面或电话与客户确认时间，"
            f"可选：{_times(a, now)}。")
    if notice is not None:
        text += "这些时间也已放入客户群的群发任务。"
    row = await card(ports, conn, order, key=f"appt:{a.id}:in_person", kind=IN_PERSON,
                     title=f"请联系客户确认{a.stage}时间：订单 {order.order_no}",
                     description=text, recipients=[order.specialist], appointment=a,
                     url=order_link(ports.settings.orders_link_base, order.order_no))
    return [row], notice


async def unreachable(ports: Ports, n: Notification, why: str) -> None:
    """The offer could not go by kf (``why``): skipped, and the specialist asked to reach
    the customer, together (once, whatever retries)."""
    a = await Appointment.get(id=n.appointment_id)
    order = await Order.get(id=a.order_id)  # type: ignore[attr-defined]
    now = ports.clock.now()
    rows: list[OutboxMessage] = []
    notice = None
    async with in_transaction() as conn:
        if not await Notification.filter(id=n.id, status=NotificationStatus.PENDING).using_db(
                conn).update(status=NotificationStatus.SKIPPED, detail=why[:200]):
            return
        if a.status == S.PROPOSED:
            rows, notice = await _in_person(conn, ports, order, a, why, now)
    await _after(ports, rows, notice)
    log.info("appointments.unreachable", appointment_id=a.id, reason=why[:60])


def menu(a: Appointment, order_no: str, now: datetime) -> dict[str, Any]:
    """The kf msgmenu offering the times (click ids ``appt-<id>-<n>``)."""
    items = [{"type": "click", "click": {"id": f"{PICK_PREFIX}{a.id}-{i}",
                                         "content": slot_text(s, now)}}
             for i, s in enumerate(parse_stored(a.slots))]
    items.append({"type": "click", "click": {"id": f"{PICK_PREFIX}{a.id}-{OTHER}",
                                             "content": OTHER_LABEL}})
    return {"head_content": f"【{a.stage}预约】订单 {order_no}\n请选择您方便的时间：",
            "list": items[:L.KF_MENU_ITEMS],
            "tail_content": f"都不方便请选“{OTHER_LABEL}”，专员会再与您联系。"}


async def offer_payload(n: Notification, order: Order, now: datetime
                        ) -> tuple[str, dict[str, Any]] | str:
    """What the kf offer sends: ("msgmenu", menu), or why it no longer should."""
    a = await Appointment.get(id=n.appointment_id)
    if a.status != S.PROPOSED:
        return "这次预约已有结果或已被新的预约替换"
    return "msgmenu", menu(a, order.order_no, now)


async def reminder_text(n: Notification, order: Order, now: datetime) -> str:
    a = await Appointment.get(id=n.appointment_id)
    assert a.chosen_at is not None
    return (f"温馨提醒：您的订单 {order.order_no} 的「{a.stage}」约在 "
            f"{slot_text(a.chosen_at, now)}，我们会准时到达。如需改期，请回复“转人工”联系专员。")


async def answer(ports: Ports, external_userid: str, menu_id: str | None,
                 now: datetime | None = None) -> str | None:
    """The customer's pick from an appointment menu: recorded, the team told; the reply to
    the customer. None when the click is not an appointment of theirs."""
    pick = pick_of(menu_id)
    if pick is None:
        return None
    now = now or ports.clock.now()
    a = await Appointment.get_or_none(id=pick[0])
    order = await Order.get_or_none(id=a.order_id) if a else None  # type: ignore[attr-defined]
    if a is None or order is None or order.customer_external_userid != external_userid:
        return None
    slots = parse_stored(a.slots)
    chosen = None if pick[1] == OTHER else int(pick[1])
    if chosen is not None and chosen >= len(slots):
        return None
    if a.status != S.PROPOSED:
        return _settled(a, now)
    rows: list[OutboxMessage] = []
    notice = None
    link = order_link(ports.settings.orders_link_base, order.order_no)
    async with in_transaction() as conn:
        status = S.DECLINED if chosen is None else S.CHOSEN
        if not await Appointment.filter(id=a.id, status=S.PROPOSED).using_db(conn).update(
                status=status, chosen_at=slots[chosen] if chosen is not None else None,
                decided_at=now):
            a = await Appointment.get(id=a.id)
            return _settled(a, now)
        if chosen is None:
            rows.append(await card(
                ports, conn, order, key=f"appt:{a.id}:declined", kind=DECLINED,
                title=f"客户希望换个{a.stage}时间：订单 {order.order_no}",
                description=f"客户觉得提供的时间（{_times(a, now)}）都不合适。请与客户联系后"
                            f"重新预约：预约 {order.order_no} {a.stage} <时间>",
                url=link, recipients=[order.specialist], appointment=a))
            reply = "好的，已记录您希望换个时间，专员会尽快与您联系重新约定。"
        else:
            when = slot_text(slots[chosen], now)
            rows.append(await card(
                ports, conn, order, key=f"appt:{a.id}:chosen", kind=CHOSEN,
                title=f"订单 {order.order_no}：客户已选定{a.stage}时间",
                description=f"客户选择了 {when} 进行「{a.stage}」。前一天会提醒团队和客户。",
                url=link, appointment=a))
            if order.group_chat_id:
                notice = await grouptasks.attach(conn, ports, order, None, now, kind=CHOSEN,
                                                 appointment=a)
            reply = f"已为您预约「{a.stage}」：{when}。我们会在前一天提醒您，如需改期请联系专员。"
    await _after(ports, rows, notice)
    log.info("appointments.answered", appointment_id=a.id, chosen=chosen is not None)
    return reply


def _settled(a: Appointment, now: datetime) -> str:
    if a.status == S.CHOSEN and a.chosen_at is not None:
        return (f"您已选定「{a.stage}」时间：{slot_text(a.chosen_at, now)}。"
                "如需改期，请联系您的专员。")
    if a.status == S.DECLINED:
        return "已收到您希望换个时间，专员会尽快与您联系。"
    return f"这个「{a.stage}」预约已更新，请以专员最新发给您的时间为准。"


def remind_at(slot: datetime, hour: int) -> datetime:
    """When a slot's reminder is due: ``hour`` o'clock 北京时间 on the day before."""
    day = cst_date(slot) - timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, tzinfo=slot.tzinfo) - CST


async def remind(ports: Ports, now: datetime | None = None) -> int:
    """Periodic: the day-before reminders that are due, each once. A time chosen after its
    reminder was due (the same day, or the evening before) gets none: the team was told of
    it just then. Returns how many went out."""
    now = now or ports.clock.now()
    hour = ports.settings.appointment_remind_hour
    due = await Appointment.filter(status=S.CHOSEN, reminded_at__isnull=True,
                                   chosen_at__gt=now, chosen_at__lte=now + timedelta(days=2)
                                   ).order_by("id").limit(500)
    sent = 0
    for a in due:
        assert a.chosen_at is not None
        at = remind_at(a.chosen_at, hour)
        if now < at or (a.decided_at is not None and a.decided_at >= at):
            continue
        order = await Order.get(id=a.order_id)  # type: ignore[attr-defined]
        kefu: Notification | None = None
        async with in_transaction() as conn:
            # The mark and the notices commit together: once, however often this runs.
            if not await Appointment.filter(id=a.id, status=S.CHOSEN,
                                            reminded_at__isnull=True).using_db(conn).update(
                    reminded_at=now):
                continue
            row = await card(
                ports, conn, order, key=f"appt:{a.id}:reminder", kind=REMINDER,
                title=f"明日{a.stage}：订单 {order.order_no}",
                description=f"「{a.stage}」约在 {slot_text(a.chosen_at, now)}"
                            f"（客户 {order.customer_name or '—'}），请提前准备。",
                url=order_link(ports.settings.orders_link_base, order.order_no),
                appointment=a)
            if order.customer_external_userid:
                kefu = await Notification.create(
                    order=order, appointment_id=a.id, kind=REMINDER, channel="kefu",
                    recipient=order.customer_external_userid, using_db=conn)
        await ports.outbox.flush([row])
        if kefu is not None:
            await ports.jobs.enqueue("orders_kefu_notice", kefu.id, job_id=f"kefu:{kefu.id}")
        sent += 1
        log.info("appointments.reminded", appointment_id=a.id)
    return sent

