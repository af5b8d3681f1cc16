"""Admin API: escalations (list, claim, resolve), unanswered questions, welcome texts and
channel codes for new contacts, and group welcome templates."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from bot.conversations import escalation, escalation_desk, statistics, welcome_settings
from bot.conversations.reply_limits import TextTooLong
from bot.conversations.welcome_settings import NoSuchTemplate, TemplateNameTaken
from bot.customers import rich_content
from bot.customers.customer_errors import CustomersError
from bot.protocol.errors import WeComAPIError
from bot.settings import MENU_ID
from bot.web.admin.framework import Api, ApiError, ApiRequest
from bot.web.admin.names import rule_names, staff_names
from bot.web.admin.paging import ListQuery, Paged

api = Api()
READ = ("admin", "specialist", "viewer")
WORK = ("admin", "specialist")


class EscalationOut(BaseModel):
    id: int
    channel: str
    status: str
    reason: str
    rule_id: str | None
    customer: str | None
    external_userid: str | None
    chat_id: str | None
    order_no: str | None
    servicer_userid: str | None
    queued: bool
    claimed_by: str | None
    claimed_at: datetime | None
    resolved_by: str | None
    resolved_at: datetime | None
    raised_to: str | None
    created_at: datetime
    # Names for people (the directory's, the rule's); absent when the id is all there is.
    servicer_name: str | None = None
    claimed_by_name: str | None = None
    resolved_by_name: str | None = None
    raised_to_name: str | None = None
    rule_name: str | None = None


class EscalationQuery(ListQuery):
    status: Literal["open", "claimed", "resolved"] | None = None
    limit: int = Field(default=100, ge=1, le=1000)
    mine: bool = Field(default=False, description="only those routed to or worked by the caller")


class ActIn(BaseModel):
    userid: str | None = Field(default=None, max_length=64)  # defaults to the token's name


def esc_out(e: escalation_desk.EscalationRecord) -> EscalationOut:
    return EscalationOut.model_validate(asdict(e))


@api.route("GET", "/escalations", roles=READ, query=EscalationQuery, response=[EscalationOut],
           tag="escalations")
async def list_escalations(req: ApiRequest) -> Paged:
    """Escalations, newest first; ``q`` searches customer, order number and rule."""
    q: EscalationQuery = req.query
    offset, limit = q.window(q.limit)
    me = req.principal.name if (q.mine and req.principal is not None) else None
    rows, total = await escalation_desk.escalations(status=q.status, limit=limit, offset=offset,
                                                    search=q.search, userid=me)
    return Paged(await named([esc_out(e) for e in rows], req), total)


async def named(rows: list[EscalationOut], req: ApiRequest) -> list[EscalationOut]:
    people = await staff_names(req.services, [u for e in rows for u in (
        e.servicer_userid, e.claimed_by, e.resolved_by, e.raised_to)])
    rules = await rule_names() if any(e.rule_id for e in rows) else {}
    for e in rows:
        e.servicer_name = people.get(e.servicer_userid or "")
        e.claimed_by_name = people.get(e.claimed_by or "")
        e.resolved_by_name = people.get(e.resolved_by or "")
        e.raised_to_name = people.get(e.raised_to or "")
        e.rule_name = rules.get(e.rule_id or "")
    return rows


class EscalationCounts(BaseModel):
    open: int = 0
    claimed: int = 0
    resolved: int = 0


@api.route("GET", "/escalations/counts", roles=READ, response=EscalationCounts,
           tag="escalations")
async def count_escalations(req: ApiRequest) -> EscalationCounts:
    """How many escalations are in each status (the inbox's tabs), all of them counted."""
    return EscalationCounts(**await escalation_desk.counts_by_status())


def _esc_id(req: ApiRequest) -> int:
    raw = req.params["esc_id"]
    if not raw.isdigit():
        raise ApiError(404, "not_found", "没有这条转人工记录")
    return int(raw)


async def _act(req: ApiRequest, fn: Any) -> EscalationOut:
    body = req.body or ActIn()
    me = req.principal.name if req.principal else "api"
    # A specialist acts as themselves (their token is named by their userid); only an admin
    # may claim or resolve on someone's behalf.
    if body.userid and body.userid != me and (req.principal is None
                                               or req.principal.role != "admin"):
        raise ApiError(403, "forbidden", "服务专员只能以自己的身份认领和解决",
                       "userid")
    who = body.userid or me
    try:
        return (await named([esc_out(await fn(req.services.ports, _esc_id(req), who))], req))[0]
    except escalation.NoSuchEscalation as exc:
        raise ApiError(404, "not_found", str(exc)) from None
    except escalation.EscalationError as exc:
        raise ApiError(409, "conflict", str(exc)) from None


@api.route("POST", "/escalations/{esc_id:[0-9]{1,18}}/claim", roles=WORK, body=ActIn,
           response=EscalationOut, tag="escalations")
async def claim_escalation(req: ApiRequest) -> EscalationOut:
    """Claim an open escalation (409 if someone else has it or it is resolved)."""
    return await _act(req, escalation_desk.claim)


@api.route("POST", "/escalations/{esc_id:[0-9]{1,18}}/resolve", roles=WORK, body=ActIn,
           response=EscalationOut, tag="escalations")
async def resolve_escalation(req: ApiRequest) -> EscalationOut:
    """Mark an escalation resolved."""
    return await _act(req, escalation_desk.resolve)


class UnansweredOut(BaseModel):
    id: int
    channel: str
    conversation: str
    content: str
    at: datetime


class PageQuery(ListQuery):
    limit: int = Field(default=100, ge=1, le=1000)
    channel: str | None = Field(default=None, max_length=16)


@api.route("GET", "/unanswered", roles=READ, query=PageQuery, response=[UnansweredOut],
           tag="conversations")
async def list_unanswered(req: ApiRequest) -> Paged:
    """Customer questions no rule answered, newest first (material for new rules)."""
    q: PageQuery = req.query
    offset, limit = q.window(q.limit)
    rows, total = await statistics.unanswered_page(limit=limit, offset=offset, search=q.search,
                                                   channel=q.channel)
    return Paged([UnansweredOut.model_validate(asdict(r)) for r in rows], total)


# ASCII only on purpose: pydantic (Rust regex) and JSON Schema clients (ECMA) disagree on what
# `\w` matches, and these values travel in URLs and WeCom `state` fields anyway.
CHANNEL_CODE = r"[A-Za-z0-9_.-]{1,30}"
OPEN_KFID = r"(?:\*|[A-Za-z0-9_-]{1,64})"  # a kf account, or "*" for every account


class ChannelCodeIn(BaseModel):
    code: str = Field(pattern=f"^{CHANNEL_CODE}$")
    name: str = Field(min_length=1, max_length=64)


@api.route("GET", "/channel-codes", roles=READ, response=[ChannelCodeIn], tag="welcome")
async def list_channel_codes(req: ApiRequest) -> list[ChannelCodeIn]:
    """「联系我」 state values and the channel each stands for."""
    return [ChannelCodeIn(code=c.code, name=c.name)
            for c in await welcome_settings.channel_codes()]


@api.route("PUT", "/channel-codes", roles=("admin",), body=ChannelCodeIn,
           response=ChannelCodeIn, tag="welcome")
async def put_channel_code(req: ApiRequest) -> ChannelCodeIn:
    """Create or rename a channel code."""
    c = await welcome_settings.put_channel_code(req.body.code, req.body.name)
    return ChannelCodeIn(code=c.code, name=c.name)


@api.route("DELETE", "/channel-codes/{code:" + CHANNEL_CODE + "}", roles=("admin",), status=204,
           tag="welcome")
async def delete_channel_code(req: ApiRequest) -> None:
    """Delete a channel code."""
    if not await welcome_settings.delete_channel_code(req.params["code"]):
        raise ApiError(404, "not_found", "没有这个渠道码")


class Attachment(BaseModel):
    """One send_welcome_msg attachment, e.g. {"msgtype": "image", "image": {"media": 3}}
    (a media library file; bot.customers.rich_content says what each type takes)."""

    msgtype: Literal["image", "link", "miniprogram", "video", "file"]
    image: dict[str, str | int] | None = None
    link: dict[str, str | int] | None = None
    miniprogram: dict[str, str | int] | None = None
    video: dict[str, str | int] | None = None
    file: dict[str, str | int] | None = None


class WelcomeIn(BaseModel):
    channel_code: str | None = Field(default=None, max_length=30)
    userid: str | None = Field(default=None, max_length=64)
    text: str = Field(min_length=1, max_length=1300)
    attachments: list[Attachment] = Field(default_factory=list)


class WelcomeOut(BaseModel):
    id: int
    channel_code: str | None
    userid: str | None
    text: str  # empty for a channel code's welcome of attachments only
    attachments: list[Attachment]


def welcome_out(w: welcome_settings.WelcomeTextRecord) -> WelcomeOut:
    return WelcomeOut(id=w.id, channel_code=w.channel_code, userid=w.userid, text=w.text,
                      attachments=[Attachment(**a) for a in w.attachments])


@api.route("GET", "/welcome-texts", roles=READ, response=[WelcomeOut], tag="welcome")
async def list_welcome_texts(req: ApiRequest) -> list[WelcomeOut]:
    """New-contact welcomes: per channel code, per staff member, and the default."""
    return [welcome_out(w) for w in await welcome_settings.welcome_texts()]


@api.route("POST", "/welcome-texts", roles=("admin",), body=WelcomeIn, response=WelcomeOut,
           status=201, tag="welcome")
async def create_welcome_text(req: ApiRequest) -> WelcomeOut:
    """Add a welcome for a (channel code, staff member) pair; either may be null (any)."""
    b = req.body
    try:
        attachments = await rich_content.check_attachments(
            "send_welcome_msg", [_att(a) for a in b.attachments])
    except CustomersError as exc:
        raise ApiError(400, "invalid", exc.message, exc.field) from None
    try:
        row = await welcome_settings.add_welcome_text(
            channel_code=b.channel_code, userid=b.userid, text=b.text,
            attachments=attachments)
    except TextTooLong as exc:
        raise ApiError(400, "too_long", str(exc), exc.field) from None
    except welcome_settings.UnknownChannelCode:
        raise ApiError(400, "unknown_channel_code", "请先创建这个渠道码",
                       "channel_code") from None
    except welcome_settings.WelcomeExists as exc:
        raise ApiError(409, "exists", "这个渠道码和员工的欢迎语刚被别人添加了" if exc.raced else
                       "这个渠道码和员工已有一条欢迎语") from None
    return welcome_out(row)


def _att(a: Attachment) -> dict[str, Any]:
    return a.model_dump(exclude_none=True)


@api.route("DELETE", "/welcome-texts/{wid:[0-9]{1,18}}", roles=("admin",), status=204,
           tag="welcome")
async def delete_welcome_text(req: ApiRequest) -> None:
    """Delete a welcome."""
    wid = req.params["wid"]
    if not wid.isdigit() or not await welcome_settings.delete_welcome_text(int(wid)):
        raise ApiError(404, "not_found", "没有这条欢迎语")


class TemplateIn(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    text: str = Field(min_length=1, max_length=1000)
    # {"image": {"media": 3}} (a media library picture), {"link": {…}} etc.
    attachment: dict[str, dict[str, str | int]] | None = None
    is_default: bool = False


class TemplateOut(TemplateIn):
    id: int
    template_id: str | None


def tpl_out(t: welcome_settings.TemplateRecord) -> TemplateOut:
    return TemplateOut.model_validate(asdict(t))


@api.route("GET", "/group-welcome-templates", roles=READ, response=[TemplateOut],
           tag="welcome")
async def list_templates(req: ApiRequest) -> list[TemplateOut]:
    """Group welcome templates (synced with WeCom)."""
    return [tpl_out(t) for t in await welcome_settings.templates()]


@api.route("POST", "/group-welcome-templates", roles=("admin",), body=TemplateIn,
           response=TemplateOut, status=201, tag="welcome")
async def create_template(req: ApiRequest) -> TemplateOut:
    """Create a template here and in WeCom (nothing is stored if WeCom refuses it)."""
    b = req.body
    attachment = await _template_attachment(b.attachment)
    try:
        row = await welcome_settings.create_template(
            req.services.ports, name=b.name, text=b.text, attachment=attachment,
            is_default=b.is_default)
    except TextTooLong as exc:
        raise ApiError(400, "too_long", str(exc), exc.field) from None
    except TemplateNameTaken:
        raise ApiError(409, "exists", "已有同名的入群欢迎语", "name") from None
    except (WeComAPIError, ValueError) as exc:
        raise ApiError(400, "wecom_refused", f"企业微信拒绝了：{str(exc)[:200]}") from None
    return tpl_out(row)


async def _template_attachment(attachment: Any) -> dict[str, Any] | None:
    """What group_welcome_template takes: one attachment, media from the library."""
    try:
        return await rich_content.check_template_attachment(attachment)
    except CustomersError as exc:
        raise ApiError(400, "invalid", exc.message, exc.field) from None


def _template_id(req: ApiRequest) -> int:
    tid = req.params["tid"]
    if not tid.isdigit():
        raise ApiError(404, "not_found", "没有这条入群欢迎语")
    return int(tid)


@api.route("PUT", "/group-welcome-templates/{tid:[0-9]{1,18}}", roles=("admin",), body=TemplateIn,
           response=TemplateOut, tag="welcome")
async def update_template(req: ApiRequest) -> TemplateOut:
    """Change a template here and in WeCom."""
    b = req.body
    attachment = await _template_attachment(b.attachment)
    try:
        row = await welcome_settings.update_template(
            req.services.ports, _template_id(req), name=b.name, text=b.text,
            attachment=attachment, is_default=b.is_default)
    except NoSuchTemplate:
        raise ApiError(404, "not_found", "没有这条入群欢迎语") from None
    except TextTooLong as exc:
        raise ApiError(400, "too_long", str(exc), exc.field) from None
    except TemplateNameTaken:
        raise ApiError(409, "exists", "已有同名的入群欢迎语", "name") from None
    except (WeComAPIError, ValueError) as exc:
        raise ApiError(400, "wecom_refused", f"企业微信拒绝了：{str(exc)[:200]}") from None
    return tpl_out(row)


@api.route("DELETE", "/group-welcome-templates/{tid:[0-9]{1,18}}", roles=("admin",), status=204,
           tag="welcome")
async def delete_template(req: ApiRequest) -> None:
    """Delete a template here and in WeCom."""
    try:
        await welcome_settings.delete_template(req.services.ports, _template_id(req))
    except NoSuchTemplate:
        raise ApiError(404, "not_found", "没有这条入群欢迎语") from None


# -- the kefu welcome -------------------------------------------------------------------------


class MenuItemIn(BaseModel):
    id: str = Field(pattern=MENU_ID)
    content: str = Field(min_length=1, max_length=100)


class KfWelcomeIn(BaseModel):
    open_kfid: str = Field(default="*", pattern=f"^{OPEN_KFID}$",
                           description='a kf account, or "*" for every account')
    text: str = Field(min_length=1, max_length=500)
    menu: list[MenuItemIn] = Field(default_factory=list, max_length=10)


class KfWelcomeOut(KfWelcomeIn):
    source: Literal["admin", "settings"] = "admin"


@api.route("GET", "/kf-welcome", roles=READ, response=[KfWelcomeOut], tag="welcome")
async def list_kf_welcome(req: ApiRequest) -> list[KfWelcomeOut]:
    """The kefu welcomes set by admins, and the settings' default that applies otherwise."""
    cfg = req.services.settings.conversations
    rows = [KfWelcomeOut(open_kfid=r.open_kfid, text=r.text,
                         menu=[MenuItemIn(id=i, content=c) for i, c in r.menu])
            for r in await welcome_settings.kf_welcomes()]
    if not any(r.open_kfid == "*" for r in rows):
        rows.append(KfWelcomeOut(open_kfid="*", text=cfg.kf_welcome_text, source="settings",
                                 menu=[MenuItemIn(id=i, content=c)
                                       for i, c in cfg.kf_welcome_menu]))
    return rows


@api.route("PUT", "/kf-welcome", roles=("admin",), body=KfWelcomeIn, response=KfWelcomeOut,
           tag="welcome")
async def put_kf_welcome(req: ApiRequest) -> KfWelcomeOut:
    """Set the welcome (text and menu) a customer gets on entering a kefu session."""
    b: KfWelcomeIn = req.body
    try:
        await welcome_settings.put_kf_welcome(b.open_kfid, b.text,
                                              [(m.id, m.content) for m in b.menu])
    except TextTooLong as exc:
        raise ApiError(400, "too_long", str(exc), exc.field) from None
    return KfWelcomeOut(**b.model_dump())


@api.route("DELETE", "/kf-welcome/{open_kfid:" + OPEN_KFID + "}", roles=("admin",), status=204,
           tag="welcome")
async def delete_kf_welcome(req: ApiRequest) -> None:
    """Back to the next default (every account's, then the settings')."""
    if not await welcome_settings.delete_kf_welcome(req.params["open_kfid"]):
        raise ApiError(404, "not_found", "这个客服账号没有设置欢迎语")
