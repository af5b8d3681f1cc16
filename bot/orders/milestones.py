"""Recording a milestone: idempotent by event id, forward only unless forced, and every
notice it causes written in the same transaction.

Per order, milestones are recorded one at a time (a store lock shared by all processes), so
the forward-only check and the stage update cannot interleave.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.infra.logs import get_logger
from bot.models import GroupNotice, Milestone, Notification, Order, OutboxMessage
from bot.orders import grouptasks, order_surveys, pipelines, progress, progress_links, reach
from bot.orders.notify import card, order_link
from bot.orders.order_errors import Conflict
from bot.orders.orders import get
from bot.orders.schemas import MilestoneIn, MilestoneOut
from bot.ports import Ports

log = get_logger("bot.orders.milestones")


def body_hash(data: MilestoneIn) -> str:
    body = {"milestone": data.milestone, "note": data.note or None, "force": data.force,
            "occurred_at": data.occurred_at.isoformat() if data.occurred_at else None}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()
                          ).hexdigest()


def out(order: Order, m: Milestone, replayed: bool = False) -> MilestoneOut:
    return MilestoneOut(order_no=order.order_no, milestone=m.stage, from_stage=m.from_stage,
                        event_id=m.event_id, occurred_at=m.occurred_at, note=m.note,
                        forced=m.forced, source=m.source, actor=m.actor, replayed=replayed)


async def _replay(order: Order, event_id: str, digest: str) -> MilestoneOut | None:
    m = await Milestone.get_or_none(order_id=order.id, event_id=event_id)
    if m is None:
        return None
    if m.body_hash != digest:
        raise Conflict(f"事件 {event_id!r} 已记录过，且内容不同（同一 event_id 不能换内容）",
                       "event_id")
    return out(order, m, replayed=True)


def _check_direction(stages: pipelines.Stages, current: str | None, target: str,
                     force: bool) -> None:
    cur, new = stages.index(current), stages.index(target)
    if force or new == cur + 1:
        return
    if new == cur:
        raise Conflict(f"订单已在「{target}」节点；要再次记录请打开「强制」",
                       "milestone")
    if new < cur:
        raise Conflict(f"「{target}」在当前节点「{current}」之前：回退需要打开「强制」",
                       "milestone")
    skipped = "、".join(stages.names[cur + 1:new])
    raise Conflict(f"「{target}」跳过了 {skipped}：跳过节点需要打开「强制」", "milestone")


async def record(ports: Ports, order_no: str, data: MilestoneIn, *, source: str,
                 actor: str, now: datetime | None = None) -> MilestoneOut:
    now = now or ports.clock.now()
    digest = body_hash(data)
    order = await get(order_no)
    stages = await pipelines.load(order.order_type)
    stages.index(data.milestone)  # an unknown stage is a 404 naming the pipeline
    replay = await _replay(order, data.event_id, digest)
    if replay is not None:
        return replay
    async with ports.store.lock(f"orders:order:{order.id}", wait=30):
        order = await Order.get(id=order.id)
        replay = await _replay(order, data.event_id, digest)
        if replay is not None:
            return replay
        _check_direction(stages, order.stage, data.milestone, data.force)
        occurred = data.occurred_at or now
        rows: list[OutboxMessage] = []
        notice: GroupNotice | None = None
        kefu: Notification | None = None
        survey: Notification | None = None
        team_template = stages.get(data.milestone).team_template
        # A directory look-up (WeCom API), so outside the transaction and only when used.
        specialist = await ports.directory.staff_name(order.specialist) \
            if pipelines.uses(team_template, "specialist") else ""
        # Likewise the progress link (issuing one may write the order).
        link = await progress_links.current_url(ports.settings, order, now) \
            if pipelines.uses(team_template, "progress_url") else ""
        try:
            async with in_transaction() as conn:
                m = await Milestone.create(
                    order=order, event_id=data.event_id, body_hash=digest, stage=data.milestone,
                    from_stage=order.stage, forced=data.force, note=data.note or None,
                    occurred_at=occurred, source=source, actor=actor[:64], using_db=conn)
                await Order.filter(id=order.id).using_db(conn).update(
                    stage=data.milestone, stage_since=occurred, overdue_notified_on=None)
                values = progress.notice_values(
                    order, stages, stage=data.milestone, note=data.note, reached_at=occurred,
                    now=now, specialist=specialist, progress_url=link)
                team_text = pipelines.render(team_template, **values)
                flag = "（强制）" if data.force else ""
                rows.append(await card(
                    ports, conn, order, key=f"milestone:{m.id}:team", kind="milestone",
                    title=f"订单 {order.order_no}：{data.milestone}{flag}", description=team_text,
                    url=order_link(ports.settings.orders_link_base, order.order_no),
                    milestone=m))
                if order.group_chat_id:
                    notice = await grouptasks.attach(conn, ports, order, m, now)
                if order.customer_external_userid:
                    kefu = await Notification.create(
                        order=order, milestone=m, kind="milestone", channel="kefu",
                        recipient=order.customer_external_userid, using_db=conn)
                if stages.get(data.milestone).survey:
                    survey = await order_surveys.ask(conn, order, m)
        except IntegrityError:
            # Another process recorded the same event id between our check and insert.
            replay = await _replay(order, data.event_id, digest)
            if replay is None:
                raise
            return replay
    await ports.outbox.flush(rows)
    if notice is not None:
        await grouptasks.schedule(ports, notice)
    if kefu is not None:  # its job settles how the notice reaches the customer
        await ports.jobs.enqueue("orders_kefu_notice", kefu.id, job_id=f"kefu:{kefu.id}")
    else:
        await reach.settle(ports, m.id)
    if survey is not None:
        await ports.jobs.enqueue("orders_kefu_notice", survey.id, job_id=f"kefu:{survey.id}",
                                 defer=order_surveys.DELAY_SECONDS)
    log.info("milestones.recorded", order_id=order.id, milestone_id=m.id, forced=data.force,
             source=source)
    return out(order, m)
