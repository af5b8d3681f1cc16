"""Every read and write of the customers domain: contact ways, corp tags and their
applications, customers and their follows, the media library, the contact sync, and the
reads of other domains' tables that make a customer's timeline.

The rest of ``bot.customers`` calls these functions and never the ORM, so what the domain
stores, and how, is in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from bot.customers.media_refs import media_ids
from bot.infra import sql
from bot.models import (
    ChannelCode,
    ContactEvent,
    ContactSync,
    ContactWay,
    ConversationMessage,
    CorpTag,
    Customer,
    CustomerFollow,
    CustomerGroup,
    CustomerGroupMember,
    CustomerTag,
    Escalation,
    GroupWelcomeTemplate,
    KfConversation,
    MediaAsset,
    Milestone,
    Notification,
    Order,
    RuleRow,
    TagEvent,
    WelcomeOutcome,
    WelcomeText,
)

# -- contact ways ---------------------------------------------------------------------------


async def state_owner(state: str) -> ContactWay | None:
    return await ContactWay.get_or_none(state=state)


async def contact_way(way_id: int) -> ContactWay | None:
    return await ContactWay.get_or_none(id=way_id)


async def create_contact_way(values: dict[str, Any], welcome_text: str,
                             attachments: list[dict[str, Any]]) -> ContactWay:
    """The way, its channel code and its welcome, in one transaction."""
    async with in_transaction() as conn:
        way = await ContactWay.create(**values, using_db=conn)
        await ChannelCode.update_or_create(defaults={"name": way.name}, code=way.state,
                                           using_db=conn)
        await _put_welcome(conn, way.state, welcome_text, attachments)
        return way


async def update_contact_way(way: ContactWay, values: dict[str, Any],
                             welcome: tuple[str, list[dict[str, Any]]] | None) -> ContactWay:
    async with in_transaction() as conn:
        for k, v in values.items():
            setattr(way, k, v)
        await way.save(using_db=conn)
        await ChannelCode.update_or_create(defaults={"name": way.name}, code=way.state,
                                           using_db=conn)
        if welcome is not None:
            await _put_welcome(conn, way.state, *welcome)
    return way


async def _put_welcome(conn: Any, state: str, text: str, attachments: list[dict[str, Any]]
                       ) -> None:
    # The code's welcome is its WelcomeText row (channel_code, any staff member): the one
    # the welcome flow already picks for a contact who came through the code.
    if not text and not attachments:
        await WelcomeText.filter(channel_code=state, userid=None).using_db(conn).delete()
        return
    await WelcomeText.update_or_create(defaults={"text": text, "attachments": attachments},
                                       channel_code=state, userid=None, using_db=conn)


async def delete_contact_way(way: ContactWay) -> None:
    """The way and its welcomes; the channel code stays, so its statistics keep its name."""
    async with in_transaction() as conn:
        await WelcomeText.filter(channel_code=way.state).using_db(conn).delete()
        await ContactWay.filter(id=way.id).using_db(conn).delete()


async def channel_welcome(state: str) -> tuple[str, list[dict[str, Any]]]:
    row = await WelcomeText.get_or_none(channel_code=state, userid=None)
    return (row.text, list(row.attachments or [])) if row else ("", [])


async def list_contact_ways(*, q: str | None, userid: str | None, offset: int, limit: int
                            ) -> tuple[list[ContactWay], int]:
    query = ContactWay.all()
    if q:
        query = query.filter(Q(name__icontains=q) | Q(state__icontains=q)
                             | Q(remark__icontains=q))
    rows = await query.order_by("-id")
    if userid:  # a JSON list: filtered here, the same on both databases
        rows = [r for r in rows if userid in (r.users or [])]
    return rows[offset:offset + limit], len(rows)


async def contact_counts(states: Sequence[str]) -> dict[str, tuple[int, int]]:
    """Per state: customers added through it, and lost (they deleted the member)."""
    out = {s: (0, 0) for s in states}
    if not states:
        return out
    rows = await ContactEvent.filter(channel_code__in=list(states)).values(
        "channel_code", "change", "external_userid")
    added: dict[str, set[str]] = {s: set() for s in states}
    lost: dict[str, int] = dict.fromkeys(states, 0)
    for r in rows:
        if r["change"] in ("add_external_contact", "add_half_external_contact"):
            added[r["channel_code"]].add(r["external_userid"])
        elif r["change"] == "del_follow_user":
            lost[r["channel_code"]] += 1
    return {s: (len(added[s]), lost[s]) for s in states}


# -- corp tags ------------------------------------------------------------------------------


async def corp_tags() -> list[CorpTag]:
    return await CorpTag.all().order_by("-group_order", "group_id", "-order", "tag_id")


async def tags_by_id(tag_ids: Iterable[str]) -> dict[str, CorpTag]:
    ids = list(set(tag_ids))
    return {t.tag_id: t for t in await CorpTag.filter(tag_id__in=ids)} if ids else {}


async def replace_corp_tags(rows: list[CorpTag]) -> tuple[int, int]:
    """The mirror made equal to WeCom's list: (kept or added, removed)."""
    async with in_transaction() as conn:
        ids = [r.tag_id for r in rows]
        removed = await CorpTag.exclude(tag_id__in=ids).using_db(conn).delete() if ids \
            else await CorpTag.all().using_db(conn).delete()
        for r in rows:
            await CorpTag.update_or_create(
                defaults={"name": r.name, "group_id": r.group_id, "group_name": r.group_name,
                          "order": r.order, "group_order": r.group_order,
                          "created_at": r.created_at},
                tag_id=r.tag_id, using_db=conn)
    return len(rows), int(removed)


async def add_corp_tags(rows: list[CorpTag]) -> None:
    async with in_transaction() as conn:
        for r in rows:
            await CorpTag.update_or_create(
                defaults={"name": r.name, "group_id": r.group_id, "group_name": r.group_name,
                          "order": r.order, "group_order": r.group_order,
                          "created_at": r.created_at},
                tag_id=r.tag_id, using_db=conn)


async def edit_corp_tag(item_id: str, *, name: str | None, order: int | None) -> bool:
    """A tag's or a group's name and order; False when neither has that id."""
    tag = await CorpTag.get_or_none(tag_id=item_id)
    if tag is not None:
        values: dict[str, Any] = {}
        if name is not None:
            values["name"] = name
        if order is not None:
            values["order"] = order
        if values:
            await CorpTag.filter(tag_id=item_id).update(**values)
        return True
    group: dict[str, Any] = {}
    if name is not None:
        group["group_name"] = name
    if order is not None:
        group["group_order"] = order
    if not await CorpTag.filter(group_id=item_id).exists():
        return False
    if group:
        await CorpTag.filter(group_id=item_id).update(**group)
    return True


async def delete_corp_tags(*, tag_ids: Sequence[str] = (), group_ids: Sequence[str] = ()
                           ) -> None:
    if tag_ids:
        await CorpTag.filter(tag_id__in=list(tag_ids)).delete()
    if group_ids:
        await CorpTag.filter(group_id__in=list(group_ids)).delete()


# -- customers and follows ------------------------------------------------------------------


@dataclass(frozen=True)
class FollowFacts:
    userid: str
    remark: str = ""
    description: str = ""
    add_time: datetime | None = None
    state: str = ""
    add_way: int | None = None
    tag_ids: tuple[str, ...] = ()
    mobiles: tuple[str, ...] = ()  # the member's remark_mobiles for them


async def customer(customer_id: int) -> Customer | None:
    return await Customer.get_or_none(id=customer_id)


async def customer_by_euid(external_userid: str) -> Customer | None:
    return await Customer.get_or_none(external_userid=external_userid)


async def ensure_customer(external_userid: str, **facts: Any) -> Customer:
    """The customer row, made on first sight; given facts (name, …) overwrite when set."""
    try:
        row, created = await Customer.get_or_create(external_userid=external_userid,
                                                    defaults={k: v for k, v in facts.items()
                                                              if v is not None})
    except IntegrityError:  # made at the same moment by another event
        row, created = await Customer.get(external_userid=external_userid), False
    changed = {k: v for k, v in facts.items() if v is not None and getattr(row, k) != v}
    if not created and changed:
        for k, v in changed.items():
            setattr(row, k, v)
        await row.save(update_fields=[*changed, "updated_at"])
    return row


async def put_follow(row: Customer, facts: FollowFacts, *, at: datetime) -> CustomerFollow:
    values = {"remark": facts.remark, "description": facts.description,
              "add_time": facts.add_time, "state": facts.state, "add_way": facts.add_way,
              "status": "active", "removed_at": None, "synced_at": at}
    follow, _ = await CustomerFollow.update_or_create(defaults=values, customer=row,
                                                      userid=facts.userid)
    if not row.is_contact or (facts.mobiles and not row.phone):
        row.is_contact = True
        row.phone = row.phone or (facts.mobiles[0][:32] if facts.mobiles else None)
        await row.save(update_fields=["is_contact", "phone", "updated_at"])
    return follow


async def remove_follow(external_userid: str, userid: str, status: str, at: datetime) -> bool:
    row = await customer_by_euid(external_userid)
    if row is None:
        return False
    await CustomerFollow.filter(customer=row, userid=userid).update(status=status,
                                                                     removed_at=at)
    await _refresh_contact_flag(row)
    return True


async def _refresh_contact_flag(row: Customer) -> None:
    # A customer who deleted the member keeps a one-way relation WeCom's APIs still use.
    live = await CustomerFollow.filter(customer=row,
                                       status__in=("active", "deleted_by_customer")).exists()
    if row.is_contact != live:
        row.is_contact = live
        await row.save(update_fields=["is_contact", "updated_at"])


async def taggable_follows(row: Customer) -> list[str]:
    """The members mark_tag may name for this customer (a relation WeCom knows of)."""
    return [f.userid for f in await CustomerFollow.filter(
        customer=row, status__in=("active", "deleted_by_customer")).order_by("id")]


async def follows_of(row: Customer) -> list[CustomerFollow]:
    return await CustomerFollow.filter(customer=row).order_by("id")


async def set_follow_remark(row: Customer, userid: str, remark: str) -> None:
    await CustomerFollow.filter(customer=row, userid=userid).update(remark=remark)


async def mark_kefu(external_userid: str, name: str | None = None) -> Customer:
    row = await ensure_customer(external_userid, name=name or None)
    if not row.via_kefu:
        row.via_kefu = True
        await row.save(update_fields=["via_kefu", "updated_at"])
    return row


async def adds_recorded(pairs: Sequence[tuple[str, str]], since: datetime
                        ) -> dict[tuple[str, str], list[datetime]]:
    """(member, customer) → when an add of theirs was recorded here (contact_event) since
    ``since``: what the add_external_contact callback (or a reconciliation) left."""
    euids = list({e for _, e in pairs})
    if not euids:
        return {}
    wanted = set(pairs)
    out: dict[tuple[str, str], list[datetime]] = {}
    rows = await ContactEvent.filter(
        change__in=["add_external_contact", "add_half_external_contact"],
        external_userid__in=euids, at__gte=since).values_list("userid", "external_userid", "at")
    for userid, euid, at in rows:
        if (userid, euid) in wanted:
            out.setdefault((str(userid), str(euid)), []).append(at)
    return out


# -- customer tags --------------------------------------------------------------------------


async def customer_tag_ids(row: Customer) -> dict[str, CustomerTag]:
    return {t.tag_id: t for t in await CustomerTag.filter(customer=row)}


async def add_customer_tag(row: Customer, tag: CorpTag, *, cause: str, marked: bool,
                           outcome: str) -> bool:
    """Recorded with its cause; False when the customer had it already (an event is still
    written when WeCom was asked again)."""
    try:
        return await _add_customer_tag(row, tag, cause=cause, marked=marked, outcome=outcome)
    except IntegrityError:  # given at the same moment by another event: theirs stands
        return False


async def _add_customer_tag(row: Customer, tag: CorpTag, *, cause: str, marked: bool,
                            outcome: str) -> bool:
    async with in_transaction() as conn:
        existing = await CustomerTag.filter(customer=row, tag_id=tag.tag_id).using_db(
            conn).first()
        if existing is None:
            await CustomerTag.create(customer=row, tag_id=tag.tag_id, cause=cause,
                                     marked=marked, using_db=conn)
        elif marked and not existing.marked:
            await CustomerTag.filter(id=existing.id).using_db(conn).update(marked=True)
        if existing is None or outcome:
            await TagEvent.create(customer=row, tag_id=tag.tag_id, tag_name=tag.name,
                                  action="add", cause=cause, outcome=outcome, using_db=conn)
    return existing is None


async def remove_customer_tag(row: Customer, tag_id: str, tag_name: str, *, cause: str,
                              outcome: str) -> bool:
    async with in_transaction() as conn:
        gone = await CustomerTag.filter(customer=row, tag_id=tag_id).using_db(conn).delete()
        if gone:
            await TagEvent.create(customer=row, tag_id=tag_id, tag_name=tag_name,
                                  action="remove", cause=cause, outcome=outcome,
                                  using_db=conn)
    return bool(gone)


async def tag_names_of(external_userid: str) -> list[tuple[str, str]]:
    """(group name, tag name) of each tag the customer has."""
    rows = await CustomerTag.filter(customer__external_userid=external_userid).values_list(
        "tag_id", flat=True)
    tags = await tags_by_id(str(r) for r in rows)
    return [(t.group_name, t.name) for t in tags.values()]


# -- media ----------------------------------------------------------------------------------


async def create_media(**values: Any) -> MediaAsset:
    return await MediaAsset.create(**values)


async def media(media_key: int) -> MediaAsset | None:
    return await MediaAsset.get_or_none(id=media_key)


async def media_facts(ids: Iterable[int]) -> dict[int, tuple[str, int]]:
    """id → (kind, size) of the library files that exist."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = await MediaAsset.filter(id__in=wanted).values_list("id", "kind", "size")
    return {int(i): (str(k), int(s)) for i, k, s in rows}


async def list_media(*, kind: str | None, q: str | None, offset: int, limit: int
                     ) -> tuple[list[MediaAsset], int]:
    query = MediaAsset.all()
    if kind:
        query = query.filter(kind=kind)
    if q:
        query = query.filter(filename__icontains=q)
    return await query.order_by("-id").offset(offset).limit(limit), await query.count()


async def save_media_id(media_key: int, media_id: str, expires_at: datetime) -> None:
    asset = await MediaAsset.get(id=media_key)
    await MediaAsset.filter(id=media_key).update(media_id=media_id,
                                                 media_expires_at=expires_at,
                                                 uploads=asset.uploads + 1)


async def save_image_url(media_key: int, url: str) -> None:
    await MediaAsset.filter(id=media_key).update(image_url=url)


async def forget_media_ids(ids: Iterable[int]) -> int:
    wanted = list(set(ids))
    if not wanted:
        return 0
    return int(await MediaAsset.filter(id__in=wanted, media_id__not_isnull=True).update(
        media_id=None, media_expires_at=None))


async def media_uses(media_key: int) -> list[str]:
    """Where a library file is still referenced (welcomes, group templates, rules)."""
    uses = [f"欢迎语（渠道 {w.channel_code or '全部'}，成员 {w.userid or '全部'}）"
            for w in await WelcomeText.all() if media_key in media_ids(w.attachments)]
    uses += [f"入群欢迎语「{t.name}」" for t in await GroupWelcomeTemplate.all()
             if media_key in media_ids(t.attachment)]
    uses += [f"规则 {r.rule_id}" for r in await RuleRow.all() if media_key in media_ids(r.body)]
    return uses


async def delete_media(media_key: int) -> None:
    await MediaAsset.filter(id=media_key).delete()


# -- the contact sync -----------------------------------------------------------------------


async def running_sync() -> ContactSync | None:
    return await ContactSync.filter(status="running").order_by("-id").first()


async def last_sync(status: str | None = None) -> ContactSync | None:
    query = ContactSync.all() if status is None else ContactSync.filter(status=status)
    return await query.order_by("-id").first()


async def start_sync(kind: str, staff: list[str]) -> ContactSync:
    return await ContactSync.create(kind=kind, staff=staff)


async def save_sync(run: ContactSync, *fields: str) -> None:
    await run.save(update_fields=list(fields))


async def save_contacts_page(items: list[tuple[dict[str, Any], FollowFacts]], at: datetime
                             ) -> None:
    """One page of batch/get_by_user: customers and follows, in a few statements (the sync
    reads thousands)."""
    if not items:
        return
    euids = list({c["external_userid"] for c, _ in items})
    async with in_transaction() as conn:
        known = {c.external_userid: c for c in
                 await Customer.filter(external_userid__in=euids).using_db(conn)}
        new = []
        for contact, _ in items:
            euid = contact["external_userid"]
            if euid not in known:
                row = Customer(external_userid=euid, is_contact=True)
                known[euid] = row
                new.append(row)
            _contact_facts(known[euid], contact)
        for contact, facts in items:  # a phone the member noted, when we know none
            row = known[contact["external_userid"]]
            if facts.mobiles and not row.phone:
                row.phone = facts.mobiles[0][:32]
        if new:
            await Customer.bulk_create(new, using_db=conn)
            for row in await Customer.filter(
                    external_userid__in=[r.external_userid for r in new]).using_db(conn):
                known[row.external_userid].id = row.id
        old = [r for r in known.values() if r not in new]
        if old:
            await Customer.bulk_update(old, fields=["name", "type", "corp_name", "gender",
                                                    "avatar", "unionid", "is_contact",
                                                    "phone"],
                                       using_db=conn)
        ids = [known[c["external_userid"]].id for c, _ in items]
        follows = {(f.customer_id, f.userid): f for f in await CustomerFollow.filter(  # type: ignore[attr-defined]
            customer_id__in=ids).using_db(conn)}
        add, update = [], []
        for contact, facts in items:
            cid = known[contact["external_userid"]].id
            f = follows.get((cid, facts.userid))
            if f is None:
                f = CustomerFollow(customer_id=cid, userid=facts.userid)
                follows[(cid, facts.userid)] = f
                add.append(f)
            elif f not in update:
                update.append(f)
            f.remark, f.description, f.add_time = facts.remark, facts.description, facts.add_time
            f.state, f.add_way, f.status = facts.state, facts.add_way, "active"
            f.removed_at, f.synced_at = None, at
        if add:
            await CustomerFollow.bulk_create(add, using_db=conn)
        if update:
            await CustomerFollow.bulk_update(update, fields=[
                "remark", "description", "add_time", "state", "add_way", "status",
                "removed_at", "synced_at"], using_db=conn)


def _contact_facts(row: Customer, c: dict[str, Any]) -> None:
    row.name = str(c.get("name") or row.name or "")[:64]
    row.type = int(c.get("type") or 1)
    row.corp_name = str(c.get("corp_name") or "")[:64]
    row.gender = int(c.get("gender") or 0)
    row.avatar = str(c.get("avatar") or "")[:512]
    row.unionid = str(c["unionid"])[:64] if c.get("unionid") else row.unionid
    row.is_contact = True


async def import_kefu_customers(after_id: int, limit: int = 1000) -> int:
    """Customers for kf conversations past ``after_id`` (made, or marked as kefu
    customers); returns the last conversation id looked at."""
    rows = await KfConversation.filter(id__gt=after_id).order_by("id").limit(limit).values(
        "id", "external_userid", "nickname")
    if not rows:
        return after_id
    euids = list({r["external_userid"] for r in rows})
    # By hand, with one array parameter: up to `limit` ids, a new count every minute, and
    # an IN list per count would be a prepared statement per count on every connection.
    conn = Customer._meta.db
    p = sql.Params(sql.dialect_of(conn))
    known = {r["external_userid"]: r for r in await conn.execute_query_dict(
        f"SELECT external_userid FROM {sql.table(Customer)} "  # noqa: S608
        f"WHERE {sql.any_of(p, Customer, 'external_userid', euids)}", p.values)}
    new = {}
    for r in rows:
        euid = r["external_userid"]
        if euid not in known and euid not in new:
            new[euid] = Customer(external_userid=euid, name=(r["nickname"] or "")[:64],
                                 via_kefu=True)
    if new:
        await Customer.bulk_create(list(new.values()), ignore_conflicts=True)
    p = sql.Params(sql.dialect_of(conn))
    # Markers in the order they appear (SQLite's are positional).
    (yes,) = p.add([True])
    which = sql.any_of(p, Customer, "external_userid", euids)
    (no,) = p.add([False])
    await conn.execute_query(
        f"UPDATE {sql.table(Customer)} SET via_kefu = {yes} "  # noqa: S608
        f"WHERE {which} AND via_kefu = {no}", p.values)
    return int(rows[-1]["id"])


async def kefu_of(external_userid: str) -> list[KfConversation]:
    return await KfConversation.filter(external_userid=external_userid).order_by("id")


async def sweep_gone_follows(before: datetime, at: datetime) -> int:
    """After a complete full sync: active follows it did not see are gone in WeCom."""
    return int(await CustomerFollow.filter(status="active", synced_at__lt=before).update(
        status="gone", removed_at=at))


async def sync_tags_seen(pairs: list[tuple[str, list[str]]]) -> list[tuple[Customer, str]]:
    """Tags WeCom reports a customer has (by external_userid) that we do not record yet:
    (customer, tag_id) to record as seen."""
    out = []
    euids = [e for e, _ in pairs]
    rows = {c.external_userid: c for c in await Customer.filter(external_userid__in=euids)}
    have: dict[int, set[str]] = {}
    for t in await CustomerTag.filter(customer_id__in=[r.id for r in rows.values()]).values(
            "customer_id", "tag_id"):
        have.setdefault(int(t["customer_id"]), set()).add(str(t["tag_id"]))
    for euid, tag_ids in pairs:
        row = rows.get(euid)
        if row is not None:
            out += [(row, t) for t in tag_ids if t not in have.get(row.id, set())]
    return out


# -- searching and the timeline -------------------------------------------------------------


async def search_customers(*, q: str | None, tag: str | None, staff: str | None,
                           channel: str | None, has_order: bool | None, offset: int,
                           limit: int) -> tuple[list[Customer], int]:
    query = Customer.all()
    if q:
        by_order = await Order.filter(Q(order_no__icontains=q) | Q(customer_phone__contains=q)
                                      ).values_list("customer_external_userid", flat=True)
        by_follow = await CustomerFollow.filter(remark__icontains=q).values_list(
            "customer_id", flat=True)
        query = query.filter(Q(name__icontains=q) | Q(phone__contains=q)
                             | Q(external_userid=q)
                             | Q(external_userid__in=[e for e in by_order if e])
                             | Q(id__in=list(by_follow)))
    if tag:
        query = query.filter(id__in=await CustomerTag.filter(tag_id=tag).values_list(
            "customer_id", flat=True))
    if staff:
        query = query.filter(id__in=await CustomerFollow.filter(
            userid=staff, status="active").values_list("customer_id", flat=True))
    if channel:
        query = query.filter(id__in=await CustomerFollow.filter(state=channel).values_list(
            "customer_id", flat=True))
    if has_order is not None:
        with_order = [e for e in await Order.filter(customer_external_userid__not_isnull=True)
                      .values_list("customer_external_userid", flat=True) if e]
        query = query.filter(external_userid__in=with_order) if has_order \
            else query.exclude(external_userid__in=with_order)
    total = await query.count()
    return await query.order_by("-updated_at", "-id").offset(offset).limit(limit), total


async def channel_names(states: Iterable[str]) -> dict[str, str]:
    """state → the channel code's name (channel codes made here or by hand)."""
    wanted = list({s for s in states if s})
    if not wanted:
        return {}
    return {c.code: c.name for c in await ChannelCode.filter(code__in=wanted)}


async def page_facts(rows: Sequence[Customer]) -> tuple[dict[int, list[str]],
                                                          dict[int, list[str]]]:
    """For a page of customers: their active members, and their tags' names."""
    ids = [r.id for r in rows]
    staff: dict[int, list[str]] = {i: [] for i in ids}
    for f in await CustomerFollow.filter(customer_id__in=ids, status="active").order_by(
            "id").values("customer_id", "userid"):
        staff[int(f["customer_id"])].append(str(f["userid"]))
    tags: dict[int, list[str]] = {i: [] for i in ids}
    links = await CustomerTag.filter(customer_id__in=ids).order_by("at", "id").values(
        "customer_id", "tag_id")
    names = await tags_by_id(str(t["tag_id"]) for t in links)
    for t in links:
        tag = names.get(str(t["tag_id"]))
        tags[int(t["customer_id"])].append(tag.name if tag else str(t["tag_id"]))
    return staff, tags


async def orders_of(external_userid: str) -> list[Order]:
    return await Order.filter(customer_external_userid=external_userid).order_by("id")


async def groups_of(external_userid: str) -> list[tuple[CustomerGroup, CustomerGroupMember]]:
    rows = await CustomerGroupMember.filter(userid=external_userid).prefetch_related("group")
    return [(m.group, m) for m in rows]


async def escalations_of(external_userid: str) -> list[Escalation]:
    return await Escalation.filter(external_userid=external_userid).order_by("id")


async def tags_with_cause(row: Customer) -> list[CustomerTag]:
    return await CustomerTag.filter(customer=row).order_by("at", "id")


async def timeline_rows(row: Customer, limit: int) -> dict[str, list[Any]]:
    """The newest ``limit`` of each kind of fact about the customer (merged by the caller)."""
    euid = row.external_userid
    orders = await orders_of(euid)
    order_ids = [o.id for o in orders]
    # The conversation keys of their kf conversations (kefu:<open_kfid>:<euid>): the
    # indexed column, not a scan for a suffix.
    keys = [f"kefu:{k.open_kfid}:{euid}" for k in await kefu_of(euid)]
    return {
        "messages": await ConversationMessage.filter(
            conversation__in=keys).order_by("-id").limit(limit) if keys else [],
        "welcomes": await WelcomeOutcome.filter(external_userid=euid).order_by("-id")
        .limit(limit),
        "tags": await TagEvent.filter(customer=row).order_by("-id").limit(limit),
        "contacts": await ContactEvent.filter(external_userid=euid).order_by("-id")
        .limit(limit),
        "groups": [m for _, m in await groups_of(euid)],
        "milestones": await Milestone.filter(order_id__in=order_ids).order_by("-id")
        .limit(limit).prefetch_related("order") if order_ids else [],
        "notices": await Notification.filter(order_id__in=order_ids, channel="kefu")
        .order_by("-id").limit(limit).prefetch_related("order") if order_ids else [],
        "escalations": await escalations_of(euid),
    }
