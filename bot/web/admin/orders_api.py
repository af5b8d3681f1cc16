"""Orders API: orders, groups, milestones, timelines (admins and signed ERP requests)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar
from urllib.parse import quote

from aiohttp import web
from pydantic import BaseModel, Field

from bot.orders import (
    appointments,
    binding,
    erp,
    groups,
    milestones,
    orders,
    progress,
    slot_times,
    timeline,
)
from bot.orders.order_errors import OrderError
from bot.orders.schemas import (
    AppointmentIn,
    AppointmentOut,
    BindGroupIn,
    MilestoneIn,
    MilestoneOut,
    OrderIn,
    OrderOut,
    OrderPage,
    OrderPatch,
    OrderQuery,
    Timeline,
)
from bot.protocol.errors import WeComAPIError, WeComError
from bot.web.admin.framework import Api, ApiError, ApiRequest, Principal
from bot.web.admin.names import staff_names
from bot.web.admin.paging import ListQuery, Paged
from bot.web.appkeys import SERVICES

api = Api()
T = TypeVar("T")
WRITE = ("admin", "erp")
READ = ("admin", "specialist", "viewer", "erp")


async def erp_signature(request: web.Request, raw: bytes) -> Principal | None:
    """The ERP's signed requests (bot.orders.erp); None when a request carries none."""
    services = request.app[SERVICES]
    try:
        key = await erp.verify(services.settings, services.store, dict(request.headers),
                               request.method, request.raw_path, raw)
    except erp.SignatureError as exc:
        raise ApiError(401, "unauthorized", str(exc)) from None
    return None if key is None else Principal(name=key.name, role="erp", kind="erp")


async def domain(call: Callable[[], Awaitable[T]]) -> T:
    try:
        return await call()
    except OrderError as exc:
        raise ApiError(exc.status, exc.code, exc.message, exc.field) from None


def _actor(req: ApiRequest) -> tuple[str, str]:
    p = req.principal
    assert p is not None
    return ("erp" if p.kind == "erp" else "api"), p.name


@api.route("POST", "/orders", roles=WRITE, body=OrderIn, response=OrderOut, status=201,
           tag="orders", auth=(erp_signature,))
async def order_create(req: ApiRequest) -> OrderOut:
    """Create an order (409 if the order number exists)."""
    order = await domain(lambda: orders.create(req.body))
    return await orders.out_of(order)


async def _named(req: ApiRequest, *found: OrderOut) -> OrderOut:
    """The orders with their team's directory names and their group's name filled in (the
    first one returned, for the one-order endpoints). Reads only: the ERP's writes make no
    directory look-ups."""
    people = await staff_names(req.services, [uid for o in found for uid in o.team.members()])
    chats = await groups.group_names([o.group_chat_id for o in found if o.group_chat_id])
    for o in found:
        o.team_names = {uid: people[uid] for uid in o.team.members() if uid in people}
        o.group_name = chats.get(o.group_chat_id or "")
    return found[0] if found else None  # type: ignore[return-value]


@api.route("GET", "/orders", roles=READ, query=OrderQuery, response=OrderPage, tag="orders",
           auth=(erp_signature,))
async def order_list(req: ApiRequest) -> OrderPage:
    """Orders, filtered by stage, specialist and overdue; ``mine``: the caller's own."""
    member = req.principal.name if (req.query.mine and req.principal is not None) else None
    page = await domain(lambda: orders.search(req.query, req.services.ports.clock.now(),
                                              member=member))
    await _named(req, *page.orders)
    return page


@api.route("GET", "/orders/{order_no}", roles=READ, response=OrderOut, tag="orders",
           auth=(erp_signature,))
async def order_get(req: ApiRequest) -> OrderOut:
    """One order, with the link to its customer's progress page (``progress_url``)."""
    return await _named(req, await domain(lambda: _with_link(req, req.params["order_no"])))


async def _get(order_no: str) -> OrderOut:
    return await orders.out_of(await orders.get(order_no))


async def _with_link(req: ApiRequest, order_no: str) -> OrderOut:
    ports = req.services.ports
    order = await orders.get(order_no)
    found = await orders.out_of(order)
    found.progress_url = await progress.link_of(ports.settings, order, ports.clock.now())
    return found


@api.route("POST", "/orders/{order_no}/progress-link/revoke", roles=("admin", "specialist", "erp"),
           response=OrderOut, tag="orders", auth=(erp_signature,))
async def order_revoke_progress_link(req: ApiRequest) -> OrderOut:
    """Void every link to the order's progress page given out so far (they open a 404 page
    from now on); the answer carries the new link (``progress_url``)."""
    order_no = req.params["order_no"]

    async def revoke() -> OrderOut:
        await progress.revoke(await orders.get(order_no))
        return await _with_link(req, order_no)

    return await _named(req, await domain(revoke))


@api.route("PATCH", "/orders/{order_no}", roles=WRITE, body=OrderPatch, response=OrderOut,
           tag="orders", auth=(erp_signature,))
async def order_patch(req: ApiRequest) -> OrderOut:
    """Change the team, the expected dates or the customer's details."""
    order = await domain(lambda: orders.patch(req.params["order_no"], req.body))
    return await orders.out_of(order)


@api.route("POST", "/orders/{order_no}/group", roles=WRITE, body=BindGroupIn,
           response=OrderOut, tag="orders", auth=(erp_signature,))
async def order_bind_group(req: ApiRequest) -> OrderOut:
    """Bind a customer group to the order (409 if either side is bound elsewhere)."""
    try:
        order = await domain(lambda: binding.bind(req.services.ports, req.params["order_no"],
                                                  req.body.chat_id))
    except WeComAPIError as exc:
        raise ApiError(404, "not_found", f"企业微信查不到客户群 {req.body.chat_id}："
                       f"{exc.errcode} {exc.errmsg}", "chat_id") from None
    return await orders.out_of(order)


@api.route("POST", "/orders/{order_no}/milestones", roles=WRITE, body=MilestoneIn,
           response=MilestoneOut, status=201, tag="orders", auth=(erp_signature,))
async def order_milestone(req: ApiRequest) -> MilestoneOut:
    """Record a milestone. A repeat of the same event_id answers as the first time (201, with
    ``replayed: true``) and notifies nobody; the same event_id with another body, or a move
    that is not one stage forward without ``force``, is a 409."""
    source, actor = _actor(req)
    return await domain(lambda: milestones.record(
        req.services.ports, req.params["order_no"], req.body, source=source, actor=actor))


@api.route("POST", "/orders/{order_no}/appointments", roles=("admin", "specialist", "erp"),
           body=AppointmentIn, response=AppointmentOut, status=201, tag="orders",
           auth=(erp_signature,))
async def order_appointment(req: ApiRequest) -> AppointmentOut:
    """Propose 1–3 times for a stage that needs an appointment (the pipeline's
    ``appointment``): the customer gets them as a kf menu while their kf window is open,
    otherwise the specialist is asked to settle it in person (and the group's task carries
    the times). A newer proposal for the stage replaces the last. A specialist may propose
    for their own orders only. A repeat with the same ``event_id`` answers as the first time."""
    ports = req.services.ports
    source, actor = _actor(req)
    order_no = req.params["order_no"]
    if req.principal is not None and req.principal.role == "specialist":
        order = await domain(lambda: orders.get(order_no))
        if req.principal.name not in orders.team_of(order).members():
            raise ApiError(403, "forbidden", f"您不在订单 {order_no} 的团队中")
    try:
        slots = slot_times.parse_each(req.body.slots, ports.clock.now())
    except slot_times.SlotError as exc:
        raise ApiError(400, "invalid", str(exc), "slots") from None
    return await domain(lambda: appointments.propose(
        ports, order_no, req.body.stage, slots, source=source, actor=actor,
        event_id=req.body.event_id))


@api.route("GET", "/orders/{order_no}/appointments", roles=READ, response=[AppointmentOut],
           tag="orders", auth=(erp_signature,))
async def order_appointments(req: ApiRequest) -> list[AppointmentOut]:
    """The order's appointments, oldest first, with what became of each."""
    now = req.services.ports.clock.now()
    return await domain(lambda: appointments.list_for(req.params["order_no"], now))


@api.route("GET", "/orders/{order_no}/timeline", roles=READ, response=Timeline, tag="orders",
           auth=(erp_signature,))
async def order_timeline(req: ApiRequest) -> Timeline:
    """Milestones and every notification with its delivery state."""
    t = await domain(lambda: timeline.timeline(req.params["order_no"]))
    await _named(req, t.order)
    notes = [n for e in t.entries for n in e.notifications]
    people = await staff_names(req.services, [
        *(n.recipient for n in notes if n.channel == "app"),
        *(e.milestone.actor for e in t.entries if e.milestone and e.milestone.source != "erp")])
    customer = t.order.customer.name
    for e in t.entries:
        if e.milestone is not None:
            e.milestone.actor_name = people.get(e.milestone.actor)
        for n in e.notifications:
            n.recipient_name = (people.get(n.recipient) if n.channel == "app"
                                else customer if n.channel == "kefu"
                                else t.order.group_name if n.channel == "group" else None)
    return t


class QrQuery(BaseModel):
    download: bool = Field(default=False, description="as an attachment, to save")


QR_MAX_BYTES = 2 * 1024 * 1024  # a QR picture is tens of KB; anything this big is not one


@api.route("GET", "/orders/{order_no}/join-qr", roles=READ, query=QrQuery, tag="orders",
           media=("image/png", "image/jpeg"))
async def order_join_qr(req: ApiRequest) -> web.Response:
    """The order's group join QR (群活码) picture, fetched from WeCom: the console shows it
    from its own origin (its CSP admits no other) and saves it with ``download=true``."""
    order = await domain(lambda: _get(req.params["order_no"]))
    if not order.join_qr_code:
        raise ApiError(404, "not_found", "这个订单还没有入群二维码（先绑定客户群）")
    try:
        body, kind = await req.services.ports.wecom.download(order.join_qr_code,
                                                            max_bytes=QR_MAX_BYTES)
    except WeComError as exc:
        raise ApiError(502, "wecom_error", f"取不到企业微信的二维码图片：{exc}") from None
    if not kind.startswith("image/"):
        raise ApiError(502, "wecom_error", "企业微信返回的不是图片")
    resp = web.Response(body=body, content_type=kind)
    resp.headers["Cache-Control"] = "private, max-age=300"
    if req.query.download:
        ext = "jpg" if kind == "image/jpeg" else "png"
        name = quote(f"{order.order_no}-入群二维码.{ext}")
        resp.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return resp


class GroupQuery(ListQuery):
    unbound: bool = Field(default=False, description="only groups no order is bound to")


class GroupOut(BaseModel):
    chat_id: str
    name: str
    owner: str
    owner_name: str | None = None
    order_no: str | None = None
    created_at: datetime | None = None


@api.route("GET", "/groups", roles=READ, query=GroupQuery, response=[GroupOut], tag="orders")
async def group_list(req: ApiRequest) -> Paged:
    """The customer groups we know of, newest first (to pick one to bind to an order);
    ``q`` searches name and chat_id."""
    q: GroupQuery = req.query
    offset, limit = q.window(50)
    rows, total = await groups.known_groups(search=q.search, unbound=q.unbound, limit=limit,
                                            offset=offset)
    owners = await staff_names(req.services, [g.owner for g in rows])
    return Paged([GroupOut(chat_id=g.chat_id, name=g.name, owner=g.owner,
                           owner_name=owners.get(g.owner), order_no=g.order_no,
                           created_at=g.joined_at) for g in rows], total)
