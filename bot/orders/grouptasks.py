"""Milestones into the customer group: owner-confirmed 群发 tasks, one per group per day.

WeCom lets a server reach a customer group only through ``add_msg_template`` (chat_type
group), which the group owner must confirm, and each group receives one 群发 per day
(protocol.md §4.3). So milestones collect into a GroupNotice for a while
(``group_task_delay_seconds``), then one task carries all of them; a notice is not created
while the group's previous task still waits for its owner, nor on the day a task was sent;
the owner is reminded (``remind_groupmsg_send``) until WeCom reports the task sent, and the
group's send result decides delivered or failed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from bot.infra.clock import cst_day, next_cst_midnight
from bot.infra.logs import get_logger
from bot.models import (
    Appointment,
    AppointmentStatus,
    CustomerGroup,
    GroupNotice,
    Milestone,
    Notification,
    Order,
    OutboxMessage,
    OutboxStatus,
)
from bot.models import GroupNoticeStatus as S
from bot.orders import pipelines, progress, progress_links
from bot.orders.notify import card, order_link
from bot.orders.slot_times import parse_stored, slot_text
from bot.ports import Ports
from bot.protocol import errors as E
from bot.protocol import text_limits as L
from bot.protocol.errors import WeComAPIError

log = get_logger("bot.orders.grouptasks")


async def attach(conn: BaseDBAsyncClient, ports: Ports, order: Order,
                 milestone: Milestone | None, now: datetime, *,
                 kind: str = "milestone", appointment: Appointment | None = None
                 ) -> GroupNotice:
    """Add a milestone (or, ``kind="welcome"``, the welcome of the order's customer who
    joined; or an appointment's times or its chosen time) to the group's collecting
    notice, creating one if needed."""
    chat = order.group_chat_id
    assert chat is not None
    notice = await GroupNotice.filter(chat_id=chat, status=S.COLLECTING).using_db(conn).first()
    # Touching the row locks it (PostgreSQL) against a concurrent flush: either we attach
    # before the flush reads the notice's milestones, or we see it flushed and start anew.
    if notice is not None and not await GroupNotice.filter(
            id=notice.id, status=S.COLLECTING).using_db(conn).update(reminders=0):
        notice = None
    if notice is None:
        taken = set(await GroupNotice.filter(chat_id=chat).using_db(conn)
                    .values_list("day", flat=True))
        day_start = now
        while cst_day(day_start) in taken:
            day_start = next_cst_midnight(day_start)
        due = max(now + timedelta(seconds=ports.settings.group_task_delay_seconds),
                  day_start)
        notice = await GroupNotice.create(order=order, chat_id=chat, day=cst_day(day_start),
                                          due_at=due, using_db=conn)
    await Notification.create(order=order, milestone=milestone,
                              appointment_id=appointment.id if appointment else None,
                              kind=kind, channel="group", recipient=chat, group_notice=notice,
                              using_db=conn)
    return notice


async def schedule(ports: Ports, notice: GroupNotice) -> None:
    """Flush now if due; a later notice is left to the periodic tick (every ~30 s), which
    is durable, rather than a long-deferred job a restart would drop in embedded mode."""
    if notice.due_at <= ports.clock.now():
        await ports.jobs.enqueue("orders_flush_notice", notice.id,
                                     job_id=f"notice:{notice.id}")


MAX_ATTACHMENTS = 9  # add_msg_template
WELCOME = "welcome"  # a notification kind: the order's customer joined its group


async def _text(ports: Ports, order: Order, stages: pipelines.Stages, notice_id: int,
                specialist: str, link: str, now: datetime
                ) -> tuple[str, list[dict[str, Any]]]:
    """The notice's text: the customer's welcome if they joined, a line per milestone, and
    the progress page's link once (unless a template placed it); and the stages' attachments
    (the first nine of them when a day's milestones bring more: WeCom takes nine)."""
    ms = await Milestone.filter(notifications__group_notice_id=notice_id).distinct() \
        .order_by("occurred_at", "id")
    lines = []
    placed = False
    if await Notification.filter(group_notice_id=notice_id, kind=WELCOME).exists():
        welcome = ports.settings.orders_join_welcome
        lines.append(pipelines.render(welcome, order_no=order.order_no,
                                      customer=order.customer_name, progress_url=link))
        placed = pipelines.uses(welcome, "progress_url")
    attachments: list[dict[str, Any]] = []
    for m in ms:
        if m.stage in stages.names:
            attachments += [a for a in stages.get(m.stage).group_attachments
                            if a not in attachments]
        tpl = stages.get(m.stage).customer_template if m.stage in stages.names else "{stage}"
        placed = placed or pipelines.uses(tpl, "progress_url")
        lines.append(pipelines.render(tpl, **progress.notice_values(
            order, stages, stage=m.stage, note=m.note, reached_at=m.occurred_at, now=now,
            specialist=specialist, progress_url=link)))
    lines += await _appointment_lines(notice_id, now)
    text = "\n".join(lines)
    if not placed:
        text = progress.with_link("", text, link)
    return text, attachments[:MAX_ATTACHMENTS]


async def _appointment_lines(notice_id: int, now: datetime) -> list[str]:
    """An appointment's times the customer could not get in kf, and a chosen time."""
    lines = []
    notes = await Notification.filter(group_notice_id=notice_id, appointment_id__isnull=False
                                      ).order_by("id")
    found = {a.id: a for a in await Appointment.filter(id__in=[n.appointment_id for n in notes])}
    for n in notes:
        a = found.get(n.appointment_id or 0)
        if a is None:
            continue
        if n.kind == "appt_chosen" and a.chosen_at is not None:
            lines.append(f"【{a.stage}预约】已约定 {slot_text(a.chosen_at, now)}，届时见！")
        elif a.status in (AppointmentStatus.PROPOSED, AppointmentStatus.DECLINED):
            times = "、".join(slot_text(t, now) for t in parse_stored(a.slots))
            lines.append(f"【{a.stage}预约】可选时间：{times}。请在群里告诉我们您方便的时间。")
    return lines


async def flush(ports: Ports, notice_id: int, now: datetime | None = None) -> bool:
    """Create the 群发 task for a due notice; False when it must wait (not due, the previous
    task still pending, or a task already sent to this group today)."""
    now = now or ports.clock.now()
    notice = await GroupNotice.get_or_none(id=notice_id)
    if notice is None or notice.status != S.COLLECTING or notice.due_at > now:
        return False
    if await GroupNotice.filter(chat_id=notice.chat_id, status=S.CREATED).exists():
        return False
    last = await GroupNotice.filter(chat_id=notice.chat_id, status=S.DELIVERED,
                                    sent_at__isnull=False).order_by("-sent_at").first()
    if last is not None and last.sent_at and cst_day(last.sent_at) == cst_day(now):
        await GroupNotice.filter(id=notice.id).update(due_at=next_cst_midnight(now))
        return False
    order = await Order.get(id=notice.order_id)  # type: ignore[attr-defined]
    group = await CustomerGroup.get_or_none(chat_id=notice.chat_id)
    owner = group.owner if group and group.owner else order.specialist
    base = ports.settings.orders_link_base
    stages = await pipelines.load(order.order_type)
    # A directory look-up (WeCom API), so outside the transaction and only when used.
    specialist = await ports.directory.staff_name(order.specialist) if any(
        pipelines.uses(s.customer_template, "specialist") for s in stages.spec.stages) else ""
    link = await progress_links.current_url(ports.settings, order, now)
    async with in_transaction() as conn:
        if not await GroupNotice.filter(id=notice.id, status=S.COLLECTING).using_db(conn) \
                .update(status=S.CREATED, sender=owner, next_check_at=now + timedelta(
                    seconds=ports.settings.group_task_check_seconds)):
            return False
        text, attachments = await _text(ports, order, stages, notice.id, specialist, link,
                                        now)
        why = L.too_long(text, L.GROUPMSG_TEXT)
        if why is not None:
            # One 群发 per group per day: it cannot be split, and it is never cut.
            await GroupNotice.filter(id=notice.id).using_db(conn).update(
                status=S.FAILED, detail=f"通知文本{why}"[:200], next_check_at=None)
            log.warning("grouptasks.too_long", notice_id=notice.id, size=L.size(text))
            return False
        task = await ports.outbox.add(
            key=f"grouptask:{notice.id}", api="add_msg_template",
            args={"chat_type": "group", "sender": owner, "chat_id_list": [notice.chat_id],
                  "text": text, **({"attachments": attachments} if attachments else {})},
            recipient=notice.chat_id, ref=f"group_notice:{notice.id}", using_db=conn)
        await GroupNotice.filter(id=notice.id).using_db(conn).update(outbox_id=task.id)
        await Notification.filter(group_notice_id=notice.id).using_db(conn).update(
            outbox_id=task.id)
        ask = await card(ports, conn, order, key=f"grouptask:{notice.id}:ask", kind="confirm_ask",
                         title=f"请确认群发：订单 {order.order_no}",
                         description=f"客户群的进度通知已生成，请在企业微信「群发助手」中确认发送。\n{text}",
                         url=order_link(base, order.order_no), recipients=[owner])
    await ports.outbox.flush([task, ask])
    log.info("grouptasks.created", notice_id=notice.id, order_id=order.id)
    return True


async def _fail(notice: GroupNotice, detail: str) -> None:
    await GroupNotice.filter(id=notice.id).update(status=S.FAILED, detail=detail[:200],
                                                  next_check_at=None)
    log.info("grouptasks.failed", notice_id=notice.id, detail=detail[:80])


async def check(ports: Ports, notice: GroupNotice, now: datetime | None = None) -> None:
    """Poll a created task: delivered, failed, or remind the owner (bounded)."""
    now = now or ports.clock.now()
    cfg = ports.settings
    later = now + timedelta(seconds=cfg.group_task_check_seconds)
    row = await OutboxMessage.get_or_none(id=notice.outbox_id) if notice.outbox_id else None
    if row is None or row.status == OutboxStatus.PENDING:
        await GroupNotice.filter(id=notice.id).update(next_check_at=later)
        return
    if row.status in (OutboxStatus.FAILED, OutboxStatus.MISSED):
        await _fail(notice, f"创建群发任务失败：{row.last_error}")
        return
    msgid = (row.result or {}).get("msgid")
    if not msgid:
        await _fail(notice, "企业微信拒绝了这个群（fail_list）：群主是否已变更？")
        return
    app = ports.wecom
    sender = notice.sender or ""
    try:
        tasks = (await app.get_groupmsg_task(msgid)).get("task_list", [])
        mine = next((t for t in tasks if t.get("userid") == sender), None)
        results = (await app.get_groupmsg_send_result(msgid, sender)).get("send_list", []) \
            if mine is not None and mine.get("status") == 2 else None
    except WeComAPIError as exc:
        if exc.errcode != E.GROUPMSG_DISPATCHING:
            raise
        # Just created, still being dispatched: not yet, look again at the next check.
        await GroupNotice.filter(id=notice.id).update(next_check_at=later, msgid=msgid)
        return
    if results is not None:
        res = next((r for r in results if r.get("chat_id") == notice.chat_id), None)
        status = res.get("status") if res else None
        if status == 1:
            sent_at = datetime.fromtimestamp(int(res.get("send_time") or now.timestamp()),
                                             now.tzinfo) if res else now
            await GroupNotice.filter(id=notice.id).update(status=S.DELIVERED, sent_at=sent_at,
                                                          msgid=msgid, next_check_at=None)
            await ports.outbox.mark(row.id, OutboxStatus.DELIVERED)
            return
        if status in (2, 3):
            why = "这个群今天已收到过群发（企业微信每天一次）" \
                if status == 3 else "这个群已无法送达"
            await ports.outbox.mark(row.id, OutboxStatus.FAILED, error=why)
            await _fail(notice, why)
            return
    created = row.sent_at or row.created_at
    reminded = [datetime.fromisoformat(t) for t in notice.reminded_at or []]
    interval = timedelta(seconds=cfg.group_task_remind_seconds)
    n = notice.reminders
    if n < cfg.group_task_max_reminders:
        if now >= reminder_due(created, reminded, n + 1, interval):
            remind = await ports.outbox.add(
                key=f"grouptask:{notice.id}:remind:{n + 1}", api="remind_groupmsg_send",
                args={"msgid": msgid},
                recipient=sender, ref=f"group_notice:{notice.id}")
            await GroupNotice.filter(id=notice.id).update(
                reminders=n + 1, msgid=msgid, next_check_at=later,
                reminded_at=[*(t.isoformat() for t in reminded), now.isoformat()])
            await ports.outbox.flush([remind])
            return
    elif now >= (reminded[-1] if reminded else created) + interval:
        await ports.outbox.mark(row.id, OutboxStatus.FAILED, error="the owner never sent it")
        await _fail(notice, f"提醒 {notice.reminders} 次后群主仍未发送")
        return
    await GroupNotice.filter(id=notice.id).update(next_check_at=later, msgid=msgid)


# remind_groupmsg_send: "24小时内每个群发最多触发三次提醒" (docs 97610).
REMINDERS_PER_DAY = 3
_DAY = timedelta(hours=24)
_SLACK = timedelta(minutes=5)  # our clock and WeCom's need not agree to the second


def reminder_due(created: datetime, reminded: list[datetime], k: int,
                 interval: timedelta) -> datetime:
    """When reminder ``k`` (1-based) may go out: every ``interval`` after the task was
    created, and never a 4th within 24 h of the one three before it (a reminder sent late
    pushes the ones after it back)."""
    due = created + k * interval
    if k > REMINDERS_PER_DAY and len(reminded) >= k - REMINDERS_PER_DAY:
        due = max(due, reminded[k - 1 - REMINDERS_PER_DAY] + _DAY + _SLACK)
    return due


async def tick(ports: Ports, now: datetime | None = None) -> None:
    """Periodic: flush due notices (lost jobs, postponed ones) and poll created tasks."""
    now = now or ports.clock.now()
    for notice in await GroupNotice.filter(status=S.COLLECTING, due_at__lte=now).limit(500):
        await flush(ports, notice.id, now)
    for notice in await GroupNotice.filter(status=S.CREATED, next_check_at__lte=now).limit(500):
        try:
            await check(ports, notice, now)
        except Exception as exc:  # one group's API trouble must not stop the others
            log.warning("grouptasks.check_failed", notice_id=notice.id, error=type(exc).__name__)
