"""An order's timeline: its milestones and every notice, each with its delivery state.

A notice's state comes from where it is really tracked: the outbox row (pending → sent →
delivered, or failed with WeCom's error), the group notice (collecting until its task is
created), or the notice itself (skipped, with why). A team card that WeCom reported as
``invaliduser`` for one member is failed for that member only.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.infra.clock import CST, utcnow
from bot.models import (
    Appointment,
    GroupNotice,
    GroupNoticeStatus,
    Milestone,
    MissedEvent,
    Notification,
    NotificationStatus,
    OutboxMessage,
    OutboxStatus,
    Survey,
)
from bot.orders import appointments, reach
from bot.orders import milestones as ms
from bot.orders.orders import get, out_of
from bot.orders.schemas import NotificationOut, Timeline, TimelineEntry

# The timeline step an appointment's notice belongs to (the offer and the request to reach
# the customer in person belong to the proposal itself).
_APPOINTMENT_STEP = {"appt_chosen": "appointment_chosen", "appt_declined": "appointment_declined",
                     "appt_reminder": "appointment_reminder"}


def beijing(at: datetime) -> str:
    """A time as people here read it: 北京时间, to the minute."""
    return (at.astimezone(UTC) + CST).strftime("%Y-%m-%d %H:%M")


def state(n: Notification, row: OutboxMessage | None, notice: GroupNotice | None
          ) -> NotificationOut:
    status, error, detail = n.status.value, None, n.detail
    attempts, updated = 0, n.created_at
    if notice is not None and notice.status == GroupNoticeStatus.COLLECTING:
        due = beijing(notice.due_at)
        status, detail = "pending", f"汇总中，将于 {due}（北京时间）创建群发任务"
    if row is not None and n.status != NotificationStatus.SKIPPED:
        status, error, attempts, updated = row.status.value, row.last_error, row.attempts, \
            row.updated_at
        invalid = str((row.result or {}).get("invaliduser", "")).split("|")
        if row.status == OutboxStatus.SENT and n.recipient in invalid:
            status, error = "failed", "企业微信：该成员无效（invaliduser）"
    if notice is not None:
        if notice.status == GroupNoticeStatus.CREATED and status == "sent":
            detail = f"等待群主确认发送（已提醒 {notice.reminders} 次）"
        elif notice.status == GroupNoticeStatus.FAILED:
            status, detail = "failed", notice.detail
    return NotificationOut(kind=n.kind, channel=n.channel, recipient=n.recipient,  # type: ignore[arg-type]
                           status=status, attempts=attempts, error=error, detail=detail,
                           updated_at=updated)


# What reconciliation found for a group that has no team card of its own (a join has one).
_MISSED = {"group_leave": "退群", "group_dismissed": "客户群解散"}


def _missed_text(m: MissedEvent) -> str:
    who = m.external_userid or m.userid
    head = f"{'客户' if m.external_userid else '成员'}（{who[-6:]}）" if who else ""
    return (f"{head}{_MISSED[m.kind]} · 停机补录（outage reconciliation）：{m.reason}；"
            f"{m.action}")


async def timeline(order_no: str) -> Timeline:
    order = await get(order_no)
    notes = await Notification.filter(order_id=order.id).order_by("id")
    rows = {r.id: r for r in await OutboxMessage.filter(
        id__in=[n.outbox_id for n in notes if n.outbox_id])}
    notices = {g.id: g for g in await GroupNotice.filter(order_id=order.id)}
    by_milestone: dict[int, list[NotificationOut]] = {}
    by_appointment: dict[tuple[int, str], list[NotificationOut]] = {}
    others: dict[tuple[str, int], TimelineEntry] = {}
    for n in notes:
        item = state(n, rows.get(n.outbox_id or 0),
                     notices.get(n.group_notice_id or 0))  # type: ignore[attr-defined]
        if n.appointment_id is not None:
            key = (n.appointment_id, _APPOINTMENT_STEP.get(n.kind, "appointment"))
            by_appointment.setdefault(key, []).append(item)
        elif n.milestone_id is not None:  # type: ignore[attr-defined]
            by_milestone.setdefault(n.milestone_id, []).append(item)  # type: ignore[attr-defined]
        else:  # one event's card to several members is one entry
            entry = others.setdefault((n.kind, n.outbox_id or -n.id), TimelineEntry(
                at=n.created_at, kind=n.kind, milestone=None, notifications=[],
                detail=n.detail))
            entry.notifications.append(item)
    entries = [TimelineEntry(at=m.occurred_at, kind="milestone", milestone=ms.out(order, m),
                             notifications=by_milestone.get(m.id, []), reach=reach.out(m))
               for m in await Milestone.filter(order_id=order.id).order_by("occurred_at", "id")]
    entries += others.values()
    entries += [TimelineEntry(at=m.found_at, kind=m.kind, milestone=None, notifications=[],
                              detail=_missed_text(m))
                for m in await MissedEvent.filter(order_no=order.order_no,
                                                  kind__in=list(_MISSED))]
    now = utcnow()
    for a in await Appointment.filter(order_id=order.id).order_by("id"):
        view = appointments.out(a, order.order_no, now)
        entries.append(TimelineEntry(at=a.created_at, kind="appointment", milestone=None,
                                     appointment=view,
                                     notifications=by_appointment.get((a.id, "appointment"), [])))
        if a.decided_at is not None:
            step = "appointment_chosen" if a.chosen_at is not None else "appointment_declined"
            entries.append(TimelineEntry(at=a.decided_at, kind=step, milestone=None,
                                         appointment=view,
                                         notifications=by_appointment.get((a.id, step), [])))
        if a.reminded_at is not None:
            entries.append(TimelineEntry(
                at=a.reminded_at, kind="appointment_reminder", milestone=None, appointment=view,
                notifications=by_appointment.get((a.id, "appointment_reminder"), [])))
    for r in await Survey.filter(order_id=order.id, answered_at__isnull=False).order_by("id"):
        assert r.answered_at is not None
        entries.append(TimelineEntry(
            at=r.answered_at, kind="rating", milestone=None, notifications=[],
            detail=f"客户评价「{r.stage or '服务'}」{r.score} 分" + (f"：{r.comment}" if r.comment
                                                             else "")))
    entries.sort(key=lambda e: e.at)
    return Timeline(order=await out_of(order), entries=entries)
