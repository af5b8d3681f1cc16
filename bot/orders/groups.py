"""Our copy of every customer group (客户群) and its members.

Kept from ``change_external_chat`` events: create and membership updates fetch
``groupchat/get`` (only it carries join scenes and join-way ``state``); a ``del_member`` whose
``LastMemVer`` is the version we hold is applied without a call; an event whose ``CurMemVer``
we already hold was applied before (a redelivery or an out-of-order twin) and is skipped.
Events of one group are handled one at a time (a store lock), since jobs run concurrently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.expressions import Q

from bot.infra.clock import utcnow
from bot.infra.logs import get_logger
from bot.models import CustomerGroup, CustomerGroupMember, Order
from bot.ports import Ports
from bot.protocol import errors as E
from bot.protocol.errors import WeComAPIError

log = get_logger("bot.orders.groups")
EXTERNAL = 2


@dataclass(frozen=True)
class GroupInfo:
    chat_id: str
    name: str
    owner: str
    order_no: str | None
    joined_at: datetime | None


def _ts(value: Any) -> datetime | None:
    return datetime.fromtimestamp(int(value), UTC) if value else None


class GroupUnknown(Exception):
    """WeCom says the chat_id names no group (an event for a group gone, or not a real
    event): nothing to keep, and asking again cannot help."""


def group_lock(ports: Ports, chat_id: str) -> Any:
    return ports.store.lock(f"orders:group:{chat_id}", wait=30)


async def sync(ports: Ports, chat_id: str) -> tuple[CustomerGroup, list[CustomerGroupMember]]:
    """Fetch the group and make our copy match; returns it and the members who joined.
    Raises GroupUnknown when WeCom knows no such group."""
    try:
        res = await ports.wecom.groupchat_get(chat_id)
    except WeComAPIError as exc:
        if exc.errcode == E.INVALID_CHAT_ID:
            raise GroupUnknown(chat_id) from None
        raise
    data = res["group_chat"]
    group, _ = await CustomerGroup.update_or_create(
        defaults={"name": data.get("name", ""), "owner": data.get("owner", ""),
                  "member_version": data.get("member_version", ""), "dismissed": False,
                  "create_time": _ts(data.get("create_time"))},
        chat_id=chat_id)
    current = {m.userid: m for m in await CustomerGroupMember.filter(group_id=chat_id)}
    fetched = {m["userid"]: m for m in data.get("member_list", [])}
    joined: list[CustomerGroupMember] = []
    for uid, m in fetched.items():
        fields = {"type": int(m.get("type", EXTERNAL)), "join_time": _ts(m.get("join_time")),
                  "join_scene": m.get("join_scene"), "state": str(m.get("state", ""))[:32],
                  "invitor": str((m.get("invitor") or {}).get("userid", ""))[:64],
                  "left_at": None, "quit_scene": None}
        row = current.get(uid)
        if row is None:
            joined.append(await CustomerGroupMember.create(group_id=chat_id, userid=uid,
                                                           **fields))
        elif row.left_at is not None:
            await CustomerGroupMember.filter(id=row.id).update(**fields)
            joined.append(await CustomerGroupMember.get(id=row.id))
    gone = [r.id for uid, r in current.items() if uid not in fetched and r.left_at is None]
    if gone:
        await CustomerGroupMember.filter(id__in=gone).update(left_at=utcnow())
    return group, joined


async def apply_update(ports: Ports, chat_id: str, detail: str | None,
                       last_ver: str | None, cur_ver: str | None, changed: tuple[str, ...],
                       quit_scene: int | None, change_count: int | None = None,
                       ) -> tuple[CustomerGroup, list[CustomerGroupMember]]:
    """An ``update`` event: incremental when the versions chain and the event names every
    member who left (``MemChangeList`` came later to the event than ``MemChangeCnt``),
    else a fetch."""
    group = await CustomerGroup.get_or_none(chat_id=chat_id)
    if group is not None and cur_ver and group.member_version == cur_ver:
        log.info("groups.update_already_applied", chat_id=chat_id)
        return group, []
    complete = bool(changed) and change_count in (None, len(changed))
    if (group is not None and detail == "del_member" and complete and last_ver
            and group.member_version == last_ver and cur_ver):
        await CustomerGroupMember.filter(group_id=chat_id, userid__in=list(changed),
                                         left_at__isnull=True).update(
            left_at=utcnow(), quit_scene=quit_scene)
        group.member_version = cur_ver
        await group.save(update_fields=["member_version", "synced_at"])
        return group, []
    return await sync(ports, chat_id)


async def dismiss(chat_id: str) -> Order | None:
    """The group was dismissed: members gone, and its order is free to bind a new group."""
    await CustomerGroup.filter(chat_id=chat_id).update(dismissed=True)
    await CustomerGroupMember.filter(group_id=chat_id, left_at__isnull=True).update(
        left_at=utcnow())
    order = await Order.get_or_none(group_chat_id=chat_id)
    if order is not None:
        order.group_chat_id = None
        order.join_way_config_id = order.join_qr_code = None
        await order.save(update_fields=["group_chat_id", "join_way_config_id", "join_qr_code",
                                        "updated_at"])
    return order


async def groups_of_customer(external_userid: str) -> list[GroupInfo]:
    """The live customer groups this customer is in now, with the order each is bound to."""
    rows = await CustomerGroupMember.filter(
        userid=external_userid, left_at__isnull=True, group__dismissed=False,
    ).prefetch_related("group").order_by("join_time")
    bound = {o.group_chat_id: o.order_no for o in await Order.filter(
        group_chat_id__in=[r.group_id for r in rows])}  # type: ignore[attr-defined]
    return [GroupInfo(r.group.chat_id, r.group.name, r.group.owner,
                      bound.get(r.group.chat_id), r.join_time) for r in rows]


async def members(chat_id: str) -> list[CustomerGroupMember]:
    """Current members of a group (staff and customers)."""
    return await CustomerGroupMember.filter(group_id=chat_id, left_at__isnull=True).order_by("id")


async def known_groups(*, search: str | None = None, unbound: bool = False,
                       limit: int = 50, offset: int = 0) -> tuple[list[GroupInfo], int]:
    """The live customer groups we know of (newest first), for picking one to bind; with
    ``unbound`` only those no order has yet. ``joined_at`` is the group's creation time."""
    q = CustomerGroup.filter(dismissed=False)
    if search:
        q = q.filter(Q(name__icontains=search) | Q(chat_id__icontains=search))
    if unbound:
        taken = await Order.filter(group_chat_id__isnull=False).values_list(
            "group_chat_id", flat=True)
        q = q.exclude(chat_id__in=list(taken))
    total = await q.count()
    rows = await q.order_by("-create_time", "chat_id").offset(offset).limit(limit)
    bound = {o.group_chat_id: o.order_no for o in await Order.filter(
        group_chat_id__in=[r.chat_id for r in rows])}
    return [GroupInfo(r.chat_id, r.name, r.owner, bound.get(r.chat_id), r.create_time)
            for r in rows], total


async def group_names(chat_ids: list[str]) -> dict[str, str]:
    """chat_id → the group's name, for the groups we know that have one."""
    return {g.chat_id: g.name for g in await CustomerGroup.filter(chat_id__in=chat_ids)
            if g.name}
