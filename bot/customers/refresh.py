"""One customer read again from WeCom (externalcontact/get): their follows' remarks and the
corp tags members gave them in the client."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.customers import customer_store as db
from bot.customers import tags
from bot.infra.logs import get_logger
from bot.ports import Ports
from bot.protocol.errors import WeComAPIError

log = get_logger("bot.customers.refresh")


def _at(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), UTC) if value else None
    except (TypeError, ValueError, OverflowError):
        return None


async def contact(ports: Ports, external_userid: str) -> None:
    try:
        res = await ports.wecom.externalcontact_get(external_userid)
    except WeComAPIError as exc:
        log.info("customers.refresh_failed", errcode=exc.errcode)
        return
    c = dict(res.get("external_contact") or {})
    row = await db.ensure_customer(external_userid, name=c.get("name") or None,
                                   unionid=c.get("unionid") or None)
    now = ports.clock.now()
    in_wecom: set[str] = set()
    for f in res.get("follow_user") or []:
        ids = tuple(str(t["tag_id"]) for t in f.get("tags") or []
                    if t.get("type", 1) == 1 and t.get("tag_id"))
        in_wecom |= set(ids)
        await db.put_follow(row, db.FollowFacts(
            userid=str(f.get("userid", "")), remark=str(f.get("remark") or ""),
            description=str(f.get("description") or ""), add_time=_at(f.get("createtime")),
            state=str(f.get("state") or ""), add_way=f.get("add_way"),
            mobiles=tuple(str(m) for m in f.get("remark_mobiles") or () if m)), at=now)
    await tags.seen_in_wecom([(external_userid, sorted(in_wecom))])
    # A tag we marked that no member has any more was taken off in the client.
    have = await db.customer_tag_ids(row)
    gone = [t for t, ct in have.items() if ct.marked and t not in in_wecom]
    if gone:
        names = await db.tags_by_id(gone)
        for t in gone:
            await db.remove_customer_tag(row, t, names[t].name if t in names else t,
                                         cause="wecom", outcome="seen")
