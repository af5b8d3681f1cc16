"""Corp tags (企业标签) kept equal to WeCom's, and tags given to customers.

The tag list is WeCom's (get_corp_tag_list); tags made, renamed or deleted here are done in
WeCom first (add/edit/del_corp_tag, which send no callback), and a change an admin makes in
WeCom's console arrives as change_external_tag, after which the list is read again.

A customer's tag is marked in WeCom with ``mark_tag`` for each member who has them as a
contact (WeCom tags per member and customer; 84061 without that relation). A customer who
only talks to a kf account has no such member: the tag is kept here only. Every
application is recorded with its cause (``channel:<state>``, ``rule:<id>``, ``api:<who>``,
``wecom``) and WeCom's answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.customers import customer_store as db
from bot.customers.customer_errors import Invalid, NotFound, refused
from bot.infra.logs import get_logger
from bot.models import CorpTag, Customer
from bot.ports import Ports
from bot.protocol import errors as E
from bot.protocol.errors import WeComAPIError, WeComError

log = get_logger("bot.customers.tags")
MAX_NAME = 30  # characters: tag and group names (add_corp_tag)
MAX_CORP_TAGS = 3000


@dataclass(frozen=True)
class TagRecord:
    tag_id: str
    name: str
    group_id: str
    group_name: str
    order: int


def record(t: CorpTag) -> TagRecord:
    return TagRecord(t.tag_id, t.name, t.group_id, t.group_name, int(t.order))


def _at(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), UTC) if value else None
    except (TypeError, ValueError, OverflowError):
        return None


def _rows(group: dict[str, Any]) -> list[CorpTag]:
    return [CorpTag(tag_id=str(t["id"]), name=str(t.get("name", ""))[:MAX_NAME],
                    group_id=str(group.get("group_id", "")),
                    group_name=str(group.get("group_name", ""))[:MAX_NAME],
                    order=int(t.get("order") or 0), group_order=int(group.get("order") or 0),
                    created_at=_at(t.get("create_time")))
            for t in group.get("tag") or [] if not t.get("deleted")]


async def sync(ports: Ports) -> tuple[int, int]:
    """The corp's tags read from WeCom: (tags now, tags removed here)."""
    res = await ports.wecom.get_corp_tag_list()
    rows = [r for g in res.get("tag_group") or [] if not g.get("deleted") for r in _rows(g)]
    kept, removed = await db.replace_corp_tags(rows)
    log.info("tags.synced", tags=kept, removed=removed)
    return kept, removed


async def listing() -> list[TagRecord]:
    return [record(t) for t in await db.corp_tags()]


def _name(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(f"请填写{label}", field)
    if len(value) > MAX_NAME:
        raise Invalid(f"{label}最多 {MAX_NAME} 个字符（当前 {len(value)} 个）", field)
    if "/" in value:
        raise Invalid(f"{label}不能含 /（规则里用“组/标签”指明标签）", field)
    return value


async def create(ports: Ports, *, names: Sequence[str], group_id: str | None = None,
                 group_name: str | None = None) -> list[TagRecord]:
    """New tags in an existing group (``group_id``) or a new group (``group_name``)."""
    if not names:
        raise Invalid("至少填写一个标签", "names")
    clean = [_name(n, f"names[{i}]", "标签名") for i, n in enumerate(names)]
    if len(set(clean)) != len(clean):
        raise Invalid("标签名重复", "names")
    existing = await db.corp_tags()
    if group_id:
        if not any(t.group_id == group_id for t in existing):
            raise NotFound("没有这个标签组", "group_id")
        taken = {t.name for t in existing if t.group_id == group_id} & set(clean)
        if taken:
            raise Invalid(f"标签组里已有「{sorted(taken)[0]}」", "names")
    else:
        group_name = _name(group_name or "", "group_name", "标签组名")
        if any(t.group_name == group_name for t in existing):
            raise Invalid(f"已有标签组「{group_name}」，请在其中添加", "group_name")
    if len(existing) + len(clean) > MAX_CORP_TAGS:
        raise Invalid(f"企业最多 {MAX_CORP_TAGS} 个标签", "names")
    try:
        res = await ports.wecom.add_corp_tag(tags=[{"name": n} for n in clean],
                                             group_id=group_id or None,
                                             group_name=None if group_id else group_name)
    except WeComAPIError as exc:
        raise refused(exc.errcode, "names") from None
    rows = _rows(res.get("tag_group") or {})
    await db.add_corp_tags(rows)
    return [record(r) for r in rows]


async def edit(ports: Ports, item_id: str, *, name: str | None, order: int | None) -> None:
    """Rename or reorder a tag or a group (``item_id`` is either's id)."""
    if name is not None:
        name = _name(name, "name", "名称")
    listed = await db.corp_tags()
    if item_id not in {t.tag_id for t in listed} | {t.group_id for t in listed}:
        raise NotFound("没有这个标签或标签组")
    try:
        await ports.wecom.edit_corp_tag(item_id, name=name, order=order)
    except WeComAPIError as exc:
        raise refused(exc.errcode, "name") from None
    await db.edit_corp_tag(item_id, name=name, order=order)


async def delete(ports: Ports, *, tag_ids: Sequence[str] = (), group_ids: Sequence[str] = ()
                 ) -> None:
    if not tag_ids and not group_ids:
        raise Invalid("请指定要删除的标签或标签组", "tag_ids")
    try:
        await ports.wecom.del_corp_tag(tag_id=tag_ids, group_id=group_ids)
    except WeComAPIError as exc:
        raise refused(exc.errcode) from None
    await db.delete_corp_tags(tag_ids=tag_ids, group_ids=group_ids)


# -- tags given to customers ----------------------------------------------------------------


async def resolve(refs: Sequence[str]) -> tuple[list[CorpTag], list[str]]:
    """Tags named by id, by name (when only one tag has it) or as "组/名"; and the refs that
    name no tag (or more than one)."""
    tags = await db.corp_tags()
    found: list[CorpTag] = []
    unknown: list[str] = []
    for ref in refs:
        match = [t for t in tags if t.tag_id == ref] or [
            t for t in tags if t.name == ref or f"{t.group_name}/{t.name}" == ref]
        if len(match) == 1:
            if match[0] not in found:
                found.append(match[0])
        else:
            unknown.append(ref)
    return found, unknown


async def apply(ports: Ports, row: Customer, tags: Sequence[CorpTag], *, cause: str) -> dict[
        str, str]:
    """Give ``tags`` to the customer: marked in WeCom for each member who has them (one
    mark_tag each), else kept here. Returns tag id → outcome; a tag the customer has
    already (and marked where it can be) is left alone."""
    have = await db.customer_tag_ids(row)
    members = await db.taggable_follows(row)
    todo = [t for t in tags if t.tag_id not in have or (members and not have[t.tag_id].marked)]
    if not todo:
        return {}
    refusals: list[str] = []
    marked = False
    for userid in members:
        try:
            await ports.wecom.mark_tag(userid, row.external_userid,
                                       add_tag=[t.tag_id for t in todo])
            marked = True
        except WeComAPIError as exc:
            refusals.append(f"{exc.errcode} {userid}")
            if exc.errcode == E.NO_EXTERNAL_RELATION:
                # The member deleted them meanwhile: not a contact of theirs any more.
                await db.remove_follow(row.external_userid, userid, "deleted_by_staff",
                                       datetime.now(UTC))
        except WeComError as exc:
            # WeCom did not answer: kept unmarked, and marked by the next application.
            refusals.append(f"{type(exc).__name__} {userid}")
    outcome = ("marked" if marked and not refusals else "local" if not members else
               ("marked; " if marked else "") + ", ".join(refusals))[:200]
    out = {}
    for t in todo:
        await db.add_customer_tag(row, t, cause=cause[:96], marked=marked, outcome=outcome)
        out[t.tag_id] = outcome
    log.info("tags.applied", count=len(todo), outcome=outcome.split(" ", 1)[0],
             cause=cause.split(":", 1)[0])
    return out


async def remove(ports: Ports, row: Customer, tag_ids: Sequence[str], *, cause: str) -> None:
    have = await db.customer_tag_ids(row)
    gone = [t for t in tag_ids if t in have]
    if not gone:
        return
    names = await db.tags_by_id(gone)
    refusals = []
    for userid in await db.taggable_follows(row):
        try:
            await ports.wecom.mark_tag(userid, row.external_userid, remove_tag=gone)
        except WeComAPIError as exc:
            refusals.append(f"{exc.errcode} {userid}")
    outcome = ", ".join(refusals)[:200] or "marked"
    for t in gone:
        await db.remove_customer_tag(row, t, names[t].name if t in names else t, cause=cause,
                                     outcome=outcome)


async def apply_refs(ports: Ports, external_userid: str, refs: Sequence[str], *, cause: str
                     ) -> list[str]:
    """``apply`` by tag refs for a customer by external_userid (made when first seen, e.g.
    a kf customer); returns the refs that name no tag."""
    tags, unknown = await resolve(refs)
    if unknown:
        log.warning("tags.unknown", count=len(unknown), cause=cause.split(":", 1)[0])
    if tags:
        row = await db.ensure_customer(external_userid)
        await apply(ports, row, tags, cause=cause)
    return unknown


async def names_of(external_userid: str) -> frozenset[str]:
    pairs = await db.tag_names_of(external_userid)
    return frozenset([n for _, n in pairs] + [f"{g}/{n}" for g, n in pairs])


async def seen_in_wecom(pairs: list[tuple[str, list[str]]]) -> int:
    """Tags WeCom says customers have (set in the client, or before this service): recorded
    with the cause ``wecom``."""
    found = await db.sync_tags_seen(pairs)
    if not found:
        return 0
    tags = await db.tags_by_id(t for _, t in found)
    n = 0
    for row, tag_id in found:
        tag = tags.get(tag_id)
        if tag is not None and await db.add_customer_tag(row, tag, cause="wecom", marked=True,
                                                         outcome="seen"):
            n += 1
    return n
