"""The customers domain as the others see it (``bot.ports.CustomerBook``), and what it does
when a customer is added or removed as a contact."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bot.customers import contact_ways, refresh, tags
from bot.customers import customer_store as db
from bot.infra.logs import get_logger
from bot.ports import Ports
from bot.protocol.errors import WeComError

log = get_logger("bot.customers.book")
REMOVED = {"del_external_contact": "deleted_by_staff", "del_follow_user": "deleted_by_customer"}


def _at(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), UTC) if value else None
    except (TypeError, ValueError, OverflowError):
        return None


async def contact_added(ports: Ports, event: Any) -> None:
    """The customer and this member's follow recorded (WeCom's own view, when it answers),
    then the channel code's tags marked and its remark set."""
    euid, userid = event.external_user_id or "", event.user_id or ""
    if not euid or not userid:
        return
    if event.change_type == "add_half_external_contact":
        # The member has not accepted yet: no contact relation (mark_tag would answer
        # 84061). The customer is recorded; the follow, tags and remark come with
        # add_external_contact once they accept.
        await db.ensure_customer(euid)
        return
    state = event.state or ""
    contact: dict[str, Any] = {}
    follow: dict[str, Any] = {}
    try:
        res = await ports.wecom.externalcontact_get(euid)
        contact = dict(res.get("external_contact") or {})
        follow = next((f for f in res.get("follow_user") or [] if f.get("userid") == userid),
                      {})
    except WeComError as exc:  # the record is made from the event alone
        log.info("customers.contact_unread", error=type(exc).__name__)
    row = await db.ensure_customer(euid, name=(contact.get("name") or None),
                                   unionid=contact.get("unionid") or None)
    await db.put_follow(row, db.FollowFacts(
        userid=userid, remark=str(follow.get("remark") or ""),
        add_time=_at(follow.get("createtime") or event.create_time),
        state=str(follow.get("state") or state), add_way=follow.get("add_way")),
        at=ports.clock.now())
    way = await contact_ways.by_state(state) if state else None
    if way is None:
        return
    if way.tags:
        found = [t for t in (await db.tags_by_id(way.tags)).values()]
        await tags.apply(ports, row, found, cause=f"channel:{state}")
    if way.remark_template:
        remark = contact_ways.render_remark(way.remark_template, name=row.name,
                                            channel=way.name)
        try:
            await ports.wecom.remark(userid, euid, remark=remark)
            await db.set_follow_remark(row, userid, remark)
        except WeComError as exc:
            log.warning("customers.remark_failed", error=type(exc).__name__)


async def contact_removed(ports: Ports, event: Any) -> None:
    status = REMOVED.get(event.change_type or "")
    if status and event.external_user_id and event.user_id:
        await db.remove_follow(event.external_user_id, event.user_id, status,
                               ports.clock.now())


class CustomerBookAdapter:
    """``bot.ports.CustomerBook``."""

    async def contact_added(self, ports: Ports, event: Any) -> None:
        await contact_added(ports, event)

    async def contact_removed(self, ports: Ports, event: Any) -> None:
        await contact_removed(ports, event)

    async def apply_tags(self, ports: Ports, external_userid: str, refs: Sequence[str], *,
                         cause: str) -> list[str]:
        row = await db.customer_by_euid(external_userid)
        if row is None or not await db.taggable_follows(row):
            # Not known as anyone's contact here (yet): ask WeCom, so the tag is marked for
            # the members who have them rather than kept here only.
            await refresh.contact(ports, external_userid)
        return await tags.apply_refs(ports, external_userid, refs, cause=cause)

    async def tag_names(self, external_userid: str) -> frozenset[str]:
        return await tags.names_of(external_userid)
