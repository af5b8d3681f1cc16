"""One customer's record: who they are, each member who has them as a contact (remark, add
time, channel), their kf conversations, groups, orders, tags with causes, escalations, and
one timeline merged from all of it, oldest first."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.customers import customer_store as db
from bot.customers.customer_errors import NotFound
from bot.customers.customer_tags import CustomerTagRecord
from bot.customers.customer_tags import of as tags_of
from bot.models import Customer
from bot.ports import KnownNames

TIMELINE_MAX = 200  # the newest entries of each kind; the merged timeline keeps this many
_KIND_TEXT = {"add_external_contact": "添加为联系人", "add_half_external_contact": "免验证添加",
              "del_external_contact": "成员删除了客户", "del_follow_user": "客户删除了成员"}
# The machine values inside the timeline's text, as people read them.
_WELCOME_OUTCOME = {"sent": "已发送", "missed": "超时未发", "already_sent": "已被发过",
                    "concurrent": "其他应用在发", "no_code": "无欢迎语凭证", "failed": "失败",
                    "pending": "发送中", "too_long": "文本过长未发"}
_NOTICE_STATUS = {"pending": "待发送", "sent": "已发送", "delivered": "已送达", "failed": "失败",
                  "skipped": "已跳过"}
_ESC_REASON = {"rule": "规则", "unmatched": "连续未识别", "menu": "菜单", "budget": "消息额度",
               "archive": "会话存档"}
_STATUS = {"active": "联系中", "deleted_by_staff": "成员已删除客户",
           "deleted_by_customer": "客户已删除成员", "gone": "企业微信中已不存在"}


def mask_phone(phone: str | None) -> str | None:
    """138****5678: what a viewer sees of a phone number."""
    if not phone:
        return phone
    if len(phone) <= 4:
        return "*" * len(phone)
    return phone[:3] + "*" * max(len(phone) - 7, 1) + phone[-4:]


@dataclass(frozen=True)
class CustomerSummary:
    id: int
    external_userid: str
    name: str
    phone: str | None
    is_contact: bool
    via_kefu: bool
    staff: list[str]
    tags: list[str]
    updated_at: datetime


@dataclass(frozen=True)
class FollowRecord:
    userid: str
    staff_name: str
    remark: str
    add_time: datetime | None
    state: str
    channel: str  # the channel code's name, when the state is one of ours
    status: str
    status_text: str


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # message_in | message_out | welcome | tag | contact | group | milestone |
    # notice | escalation
    text: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CustomerRecord:
    id: int
    external_userid: str
    name: str
    type: int
    corp_name: str
    gender: int
    avatar: str
    phone: str | None
    is_contact: bool
    via_kefu: bool
    first_seen_at: datetime
    follows: list[FollowRecord]
    kefu: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    orders: list[dict[str, Any]]
    tags: list[CustomerTagRecord]
    escalations: list[dict[str, Any]]
    timeline: list[TimelineEntry]


async def search(*, q: str | None, tag: str | None, staff: str | None, channel: str | None,
                 has_order: bool | None, page: int, page_size: int, mask: bool
                 ) -> tuple[list[CustomerSummary], int]:
    rows, total = await db.search_customers(q=q, tag=tag, staff=staff, channel=channel,
                                            has_order=has_order,
                                            offset=(page - 1) * page_size, limit=page_size)
    members, tag_names = await db.page_facts(rows)
    return [CustomerSummary(r.id, r.external_userid, r.name,
                            mask_phone(r.phone) if mask else r.phone, r.is_contact, r.via_kefu,
                            members[r.id], tag_names[r.id], r.updated_at) for r in rows], total


async def get(customer_id: int, names: KnownNames, *, mask: bool) -> CustomerRecord:
    row = await db.customer(customer_id)
    if row is None:
        raise NotFound("没有这个客户")
    return await _record(row, names, mask=mask)


async def _record(row: Customer, names: KnownNames, *, mask: bool) -> CustomerRecord:
    euid = row.external_userid
    follows = await db.follows_of(row)
    channels = await db.channel_names(f.state for f in follows)
    orders = await db.orders_of(euid)
    phone = row.phone or next((o.customer_phone for o in orders if o.customer_phone), None)
    return CustomerRecord(
        id=row.id, external_userid=euid, name=row.name, type=row.type,
        corp_name=row.corp_name, gender=row.gender, avatar=row.avatar,
        phone=mask_phone(phone) if mask else phone, is_contact=row.is_contact,
        via_kefu=row.via_kefu, first_seen_at=row.first_seen_at,
        follows=[FollowRecord(f.userid, await names.known_name(f.userid), f.remark, f.add_time,
                              f.state, channels.get(f.state, ""), f.status,
                              _STATUS.get(f.status, f.status)) for f in follows],
        kefu=[{"open_kfid": k.open_kfid, "session_state": k.session_state,
               "servicer_userid": k.servicer_userid, "last_customer_at": k.last_customer_at}
              for k in await db.kefu_of(euid)],
        groups=[{"chat_id": g.chat_id, "name": g.name, "owner": g.owner,
                 "join_time": m.join_time, "left_at": m.left_at}
                for g, m in await db.groups_of(euid)],
        orders=[{"order_no": o.order_no, "stage": o.stage, "specialist": o.specialist,
                 "group_chat_id": o.group_chat_id, "created_at": o.created_at}
                for o in orders],
        tags=await tags_of(row),
        escalations=[{"id": e.id, "status": e.status.value, "reason": e.reason,
                      "rule_id": e.rule_id, "claimed_by": e.claimed_by,
                      "created_at": e.created_at} for e in await db.escalations_of(euid)],
        timeline=await timeline(row, names),
    )


async def timeline(row: Customer, names: KnownNames) -> list[TimelineEntry]:
    """Every fact about the customer, oldest first (the newest ``TIMELINE_MAX``)."""
    got = await db.timeline_rows(row, TIMELINE_MAX)
    out: list[TimelineEntry] = []
    for m in got["messages"]:
        kind = "message_in" if m.direction == "in" else "message_out"
        text = m.content or f"[{m.msgtype}]"
        out.append(TimelineEntry(m.at, kind, text, {"msgtype": m.msgtype, "rule_id": m.rule_id,
                                                    "status": m.status}))
    for w in got["welcomes"]:
        label = "新客户欢迎语" if w.kind == "contact" else "客服欢迎语"
        outcome = _WELCOME_OUTCOME.get(w.outcome, w.outcome)
        out.append(TimelineEntry(w.at, "welcome", f"{label}：{outcome}",
                                 {"userid": w.userid, "channel_code": w.channel_code}))
    for t in got["tags"]:
        verb = "打上标签" if t.action == "add" else "移除标签"
        out.append(TimelineEntry(t.at, "tag", f"{verb}「{t.tag_name}」",
                                 {"cause": t.cause, "outcome": t.outcome}))
    for c in got["contacts"]:
        out.append(TimelineEntry(c.at, "contact", _KIND_TEXT.get(c.change, c.change),
                                 {"userid": c.userid, "channel_code": c.channel_code}))
    for g in got["groups"]:
        if g.join_time:
            out.append(TimelineEntry(g.join_time, "group", "加入客户群",
                                     {"chat_id": g.group_id}))
        if g.left_at:
            out.append(TimelineEntry(g.left_at, "group", "退出客户群", {"chat_id": g.group_id}))
    for ms in got["milestones"]:
        out.append(TimelineEntry(ms.occurred_at, "milestone",
                                 f"订单 {ms.order.order_no} 进入「{ms.stage}」",
                                 {"note": ms.note}))
    for n in got["notices"]:
        out.append(TimelineEntry(n.created_at, "notice",
                                 f"订单 {n.order.order_no} 的通知（"
                                 f"{_NOTICE_STATUS.get(n.status.value, n.status.value)}）",
                                 {"kind": n.kind}))
    for e in got["escalations"]:
        reason = _ESC_REASON.get(e.reason, e.reason)
        out.append(TimelineEntry(e.created_at, "escalation", f"转人工（{reason}）",
                                 {"id": e.id, "status": e.status.value}))
        if e.claimed_at:
            who = await names.known_name(e.claimed_by)
            out.append(TimelineEntry(e.claimed_at, "escalation", f"{who} 接手",
                                     {"id": e.id, "userid": e.claimed_by}))
        if e.resolved_at:
            out.append(TimelineEntry(e.resolved_at, "escalation", "转人工已解决",
                                     {"id": e.id}))
    out.sort(key=lambda e: e.at)
    return out[-TIMELINE_MAX:]
