"""Orders: create, change, read, list; and what "overdue" means."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q, Subquery
from tortoise.transactions import in_transaction

from bot.infra.clock import cst_date, utcnow
from bot.models import Order, OrderMember
from bot.orders import eta, pipelines
from bot.orders.order_errors import Conflict, NotFound
from bot.orders.schemas import Customer, OrderIn, OrderOut, OrderPage, OrderPatch, OrderQuery, Team


async def get(order_no: str) -> Order:
    order = await Order.get_or_none(order_no=order_no)
    if order is None:
        raise NotFound(f"没有订单 {order_no}")
    return order


def team_of(order: Order) -> Team:
    return Team.model_validate(order.team)


def _dates(values: dict[str, date], stages: pipelines.Stages) -> dict[str, str]:
    for name in values:
        stages.index(name)  # an unknown stage name is a clear 404 naming the pipeline
    return {k: v.isoformat() for k, v in values.items()}


async def _set_members(order: Order, team: Team, conn: Any) -> None:
    """The team's members as rows (what "the orders I am on" searches)."""
    await OrderMember.filter(order_id=order.id).using_db(conn).delete()
    await OrderMember.bulk_create([OrderMember(order_id=order.id, userid=uid)
                                   for uid in team.members()], using_db=conn)


async def create(data: OrderIn) -> Order:
    stages = await pipelines.load(data.order_type)
    try:
        async with in_transaction() as conn:
            order = await Order.create(
                order_no=data.order_no, order_type=data.order_type,
                customer_external_userid=data.customer.external_userid,
                customer_name=data.customer.name, customer_phone=data.customer.phone,
                open_kfid=data.customer.open_kfid,
                team=data.team.model_dump(), specialist=data.team.specialist,
                expected_dates=_dates(data.expected_dates, stages), using_db=conn,
            )
            await _set_members(order, data.team, conn)
            return order
    except IntegrityError:
        raise Conflict(f"订单 {data.order_no} 已存在", "order_no") from None


async def patch(order_no: str, data: OrderPatch) -> Order:
    order = await get(order_no)
    fields: list[str] = []
    if data.team is not None:
        order.team, order.specialist = data.team.model_dump(), data.team.specialist
        fields += ["team", "specialist"]
    if data.expected_dates is not None:
        stages = await pipelines.load(order.order_type)
        order.expected_dates = {**order.expected_dates, **_dates(data.expected_dates, stages)}
        fields.append("expected_dates")
    if data.customer is not None:
        c = data.customer
        order.customer_external_userid = c.external_userid or order.customer_external_userid
        order.customer_name, order.customer_phone = c.name, c.phone
        order.open_kfid = c.open_kfid or order.open_kfid
        fields += ["customer_external_userid", "customer_name", "customer_phone", "open_kfid"]
    if fields:
        async with in_transaction() as conn:
            await order.save(update_fields=[*fields, "updated_at"], using_db=conn)
            if data.team is not None:
                await _set_members(order, data.team, conn)
    return order


def explicit_dates(order: Order) -> dict[str, date]:
    """The dates the order itself names per stage (the ERP's or an admin's)."""
    out: dict[str, date] = {}
    for name, value in (order.expected_dates or {}).items():
        try:
            out[name] = date.fromisoformat(value)
        except (TypeError, ValueError):
            continue
    return out


def plan_of(order: Order, stages: pipelines.Stages, now: datetime | None = None,
            reached: dict[str, date] | None = None) -> eta.Plan:
    """The order's stages with their dates (bot.orders.eta), as of ``now``."""
    since = cst_date(order.stage_since) if order.stage_since else None
    return eta.project(stages, current=order.stage, since=since,
                       today=cst_date(now or utcnow()), explicit=explicit_dates(order),
                       reached=reached)


def overdue_since(order: Order, stages: pipelines.Stages) -> datetime | None:
    """When the current stage ran past its expected end (None: not started, or the last
    stage: an order there is done, never overdue): the start of the China-time day after the
    business day its next stage was expected on."""
    if order.stage is None or order.stage_since is None or order.stage not in stages.names:
        return None
    due = plan_of(order, stages).due
    return eta.start_of_next_day(due) if due is not None else None


def is_overdue(order: Order, stages: pipelines.Stages, now: datetime | None = None) -> bool:
    due = overdue_since(order, stages)
    return due is not None and due <= (now or utcnow())


def out(order: Order, stages: pipelines.Stages, now: datetime | None = None) -> OrderOut:
    nxt = stages.after(order.stage) if order.stage is None or order.stage in stages.names else None
    plan = plan_of(order, stages, now)
    return OrderOut(
        order_no=order.order_no, order_type=order.order_type,
        customer=Customer.model_construct(
            external_userid=order.customer_external_userid, name=order.customer_name,
            phone=order.customer_phone, open_kfid=order.open_kfid),
        team=team_of(order), expected_dates=dict(order.expected_dates),  # type: ignore[arg-type]
        stage=order.stage, stage_since=order.stage_since,
        next_stage=nxt.name if nxt else None, overdue=plan.late,
        next_date=plan.next.expected_on if plan.next is not None else None,
        group_chat_id=order.group_chat_id, join_qr_code=order.join_qr_code,
        created_at=order.created_at,
    )


async def out_of(order: Order) -> OrderOut:
    return out(order, await pipelines.load(order.order_type))


async def search(q: OrderQuery, now: datetime | None = None, *, member: str | None = None
                 ) -> OrderPage:
    """Orders matching ``q``; with ``member``, only those whose team they are on."""
    filters: dict[str, Any] = {}
    if q.stage is not None:
        filters["stage"] = q.stage
    if q.specialist is not None:
        filters["specialist"] = q.specialist
    if q.order_type is not None:
        filters["order_type"] = q.order_type
    if q.bound is not None:
        filters["group_chat_id__isnull"] = not q.bound
    query = Order.filter(**filters).order_by("id")
    if member is not None:
        query = query.filter(id__in=Subquery(
            OrderMember.filter(userid=member).values("order_id")))
    text = (q.q or "").strip()
    if text:
        query = query.filter(Q(order_no__icontains=text) | Q(customer_name__icontains=text)
                             | Q(customer_phone__contains=text))
    offset, limit = q.window()
    cache: dict[str, pipelines.Stages] = {}

    async def stages_of(o: Order) -> pipelines.Stages:
        if o.order_type not in cache:
            cache[o.order_type] = await pipelines.load(o.order_type)
        return cache[o.order_type]

    if q.overdue is None:
        total = await query.count()
        rows = await query.offset(offset).limit(limit)
        return OrderPage(total=total, orders=[out(o, await stages_of(o), now) for o in rows])
    # Overdue depends on each pipeline's durations: decided here, over started orders only.
    picked = []
    for o in await query.filter(stage__isnull=False):
        if is_overdue(o, await stages_of(o), now) == q.overdue:
            picked.append(o)
    if not q.overdue:
        picked = sorted([*picked, *await query.filter(stage__isnull=True)], key=lambda o: o.id)
    page = picked[offset:offset + limit]
    return OrderPage(total=len(picked), orders=[out(o, await stages_of(o), now) for o in page])
