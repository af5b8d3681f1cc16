"""「联系我」 channel codes: made, changed and deleted in WeCom (add/update/get/del
_contact_way) and kept here with their welcome, tags and staff remark template.

Everything is checked before WeCom is asked, and WeCom is asked before anything is stored,
so a refusal leaves nothing half-saved; should the database fail after WeCom made the way,
the way is deleted in WeCom again. The ``state`` (≤30 characters, ours to choose) is also a
channel code: the per-code statistics and welcome selection of bot.conversations use it.
"""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass, field
from typing import Any

from bot.customers import customer_store as db
from bot.customers import rich_content
from bot.customers.customer_errors import Conflict, Invalid, NotFound, refused
from bot.infra.logs import get_logger
from bot.models import ContactWay
from bot.ports import Ports
from bot.protocol import errors as E
from bot.protocol import text_limits as L
from bot.protocol.errors import WeComAPIError, WeComError

log = get_logger("bot.customers.contact_ways")
MAX_MEMBERS = 100  # WeCom: 41041 past it (departments expanded)
MAX_STATE = 30  # characters (add_contact_way)
MAX_REMARK = 30
STAFF_REMARK = 20  # externalcontact/remark: the member's remark of the customer
STATE_RE = re.compile(r"^[A-Za-z0-9_.-]+$")
TEMPLATE_FIELDS = ("name", "channel")
QR_MAX_BYTES = 2 * 1024 * 1024


@dataclass
class ContactWayInput:
    """What an admin gives; None: unchanged (on an update)."""

    name: str | None = None
    users: list[str] | None = None
    multi: bool | None = None  # type 2 (several members) rather than 1
    scene: int | None = None  # 2 QR (default), 1 mini-program button
    style: int | None = None
    state: str | None = None  # generated when not given
    skip_verify: bool | None = None
    remark: str | None = None
    welcome_text: str | None = None
    welcome_attachments: list[Any] | None = None
    tags: list[str] | None = None  # corp tag ids
    remark_template: str | None = None
    given: set[str] = field(default_factory=set)  # fields present in the request


@dataclass(frozen=True)
class ContactWayRecord:
    id: int
    name: str
    state: str
    config_id: str
    multi: bool
    scene: int
    style: int | None
    users: list[str]
    skip_verify: bool
    remark: str
    qr_code: str
    welcome_text: str
    welcome_attachments: list[dict[str, Any]]
    tags: list[str]
    remark_template: str | None
    added: int  # customers added through it
    lost: int  # of them, who deleted the member since
    created_by: str
    created_at: Any
    updated_at: Any


async def _record(way: ContactWay, counts: tuple[int, int] | None = None) -> ContactWayRecord:
    text, attachments = await db.channel_welcome(way.state)
    added, lost = counts if counts is not None else (await db.contact_counts([way.state]))[
        way.state]
    return ContactWayRecord(
        id=way.id, name=way.name, state=way.state, config_id=way.config_id,
        multi=way.type == 2, scene=way.scene, style=way.style, users=list(way.users),
        skip_verify=way.skip_verify, remark=way.remark, qr_code=way.qr_code,
        welcome_text=text, welcome_attachments=attachments, tags=list(way.tags),
        remark_template=way.remark_template, added=added, lost=lost,
        created_by=way.created_by, created_at=way.created_at, updated_at=way.updated_at)


# -- checks (all before WeCom is asked) -----------------------------------------------------


def _name(value: str | None) -> str:
    if value is None or not value.strip():
        raise Invalid("请填写渠道名称", "name")
    if len(value) > 64:
        raise Invalid(f"渠道名称最多 64 个字符（当前 {len(value)} 个）", "name")
    return value.strip()


def _members(users: list[str] | None, multi: bool) -> list[str]:
    users = [u.strip() for u in users or [] if isinstance(u, str)]
    if not users or not all(users):
        raise Invalid("请选择使用该活码的成员", "users")
    if len(set(users)) != len(users):
        raise Invalid("成员重复", "users")
    if not multi and len(users) != 1:
        raise Invalid(f"单人活码只能有 1 个成员（当前 {len(users)} 个）；多个成员请选多人活码",
                      "users")
    if len(users) > MAX_MEMBERS:
        raise Invalid(f"多人活码最多 {MAX_MEMBERS} 个成员（当前 {len(users)} 个）", "users")
    if any(len(u) > 64 for u in users):
        raise Invalid("成员账号最长 64 个字符", "users")
    return users


def _state(value: str) -> str:
    if len(value) > MAX_STATE:
        raise Invalid(f"state 最多 {MAX_STATE} 个字符（当前 {len(value)} 个）", "state")
    if not value or not STATE_RE.match(value):
        raise Invalid("state 只能由字母、数字和 _ . - 组成", "state")
    return value


def _short(value: str | None, limit: int, label: str, name: str) -> str:
    value = value or ""
    if len(value) > limit:
        raise Invalid(f"{label}最多 {limit} 个字符（当前 {len(value)} 个）", name)
    return value


def _template(value: str | None) -> str | None:
    if not value:
        return None
    try:
        used = {f for _, f, _, _ in string.Formatter().parse(value) if f}
    except ValueError:
        raise Invalid("备注模板格式不对（占位符用 {name}、{channel}）", "remark_template") from None
    unknown = used - set(TEMPLATE_FIELDS)
    if unknown:
        raise Invalid(f"备注模板只能用 {{name}}、{{channel}}（不认识 {sorted(unknown)[0]}）",
                      "remark_template")
    fixed = len(value.format(name="", channel=""))
    if fixed > STAFF_REMARK:
        raise Invalid(f"备注最多 {STAFF_REMARK} 个字符（企业微信的限制），模板本身已有 {fixed} 个",
                      "remark_template")
    return value


def render_remark(template: str, *, name: str, channel: str) -> str:
    """The member's remark of a new customer: the name cut so the whole fits 20 chars."""
    room = STAFF_REMARK - len(template.format(name="", channel=channel[:STAFF_REMARK]))
    return template.format(name=name[:max(room, 0)], channel=channel)[:STAFF_REMARK]


async def _tags(tag_ids: list[str] | None) -> list[str]:
    tag_ids = list(dict.fromkeys(tag_ids or []))
    known = await db.tags_by_id(tag_ids)
    for i, t in enumerate(tag_ids):
        if t not in known:
            raise Invalid(f"标签 {t} 不存在（先同步或创建标签）", f"tags[{i}]")
    return tag_ids


async def _welcome(text: str | None, attachments: Any) -> tuple[str, list[dict[str, Any]]]:
    text = text or ""
    why = L.too_long(text, L.WELCOME_TEXT)
    if why is not None:
        raise Invalid(f"欢迎语{why}", "welcome_text")
    items = await rich_content.check_attachments("send_welcome_msg", attachments,
                                                 "welcome_attachments")
    return text, items


# -- commands -------------------------------------------------------------------------------


async def create(ports: Ports, spec: ContactWayInput, *, actor: str) -> ContactWayRecord:
    name = _name(spec.name)
    multi = bool(spec.multi) if spec.multi is not None else len(spec.users or []) > 1
    users = _members(spec.users, multi)
    scene = spec.scene if spec.scene is not None else 2
    if scene not in (1, 2):
        raise Invalid("场景只能是 1（小程序按钮）或 2（二维码）", "scene")
    if spec.style is not None and scene == 2:
        raise Invalid("二维码活码不能设置控件样式（style 只用于小程序按钮）", "style")
    state = _state(spec.state) if spec.state is not None else "cw" + secrets.token_hex(6)
    remark = _short(spec.remark, MAX_REMARK, "备注", "remark")
    template = _template(spec.remark_template)
    tags = await _tags(spec.tags)
    text, attachments = await _welcome(spec.welcome_text, spec.welcome_attachments)
    owner = await db.state_owner(state)
    if owner is not None:
        raise Conflict(f"state 已被渠道「{owner.name}」使用", "state")
    try:
        res = await ports.wecom.add_contact_way(
            type=2 if multi else 1, scene=scene, user=users, style=spec.style,
            remark=remark or None, skip_verify=spec.skip_verify, state=state)
    except WeComAPIError as exc:
        raise refused(exc.errcode, "users" if exc.errcode in _MEMBER_CODES else None) from None
    config_id, qr = str(res["config_id"]), str(res.get("qr_code") or "")
    values = {"name": name, "state": state, "config_id": config_id, "type": 2 if multi else 1,
              "scene": scene, "style": spec.style, "users": users,
              "skip_verify": True if spec.skip_verify is None else spec.skip_verify,
              "remark": remark, "qr_code": qr, "tags": tags, "remark_template": template,
              "created_by": actor}
    try:
        way = await db.create_contact_way(values, text, attachments)
    except BaseException:
        # Not stored here: take it back in WeCom, so no way exists that nobody can edit.
        await _undo_in_wecom(ports, config_id)
        raise
    log.info("contact_way.created", way=way.id, members=len(users))
    return await _record(way, (0, 0))


_MEMBER_CODES = frozenset({E.CONTACT_WAY_TOO_MANY_USERS, E.USER_NOT_ACTIVE,
                           E.NO_CONTACT_PRIVILEGE, E.USERID_NOT_FOUND, E.INVALID_PARAM})


async def _undo_in_wecom(ports: Ports, config_id: str) -> None:
    try:
        await ports.wecom.del_contact_way(config_id)
    except WeComError as exc:
        log.error("contact_way.orphaned", error=type(exc).__name__)


async def _way(way_id: int) -> ContactWay:
    way = await db.contact_way(way_id)
    if way is None:
        raise NotFound("没有这个渠道活码")
    return way


async def update(ports: Ports, way_id: int, spec: ContactWayInput) -> ContactWayRecord:
    way = await _way(way_id)
    given = spec.given
    if "state" in given and spec.state != way.state:
        raise Invalid("state 创建后不能修改（统计按它归属渠道）", "state")
    if "multi" in given and bool(spec.multi) != (way.type == 2):
        raise Invalid("单人/多人创建后不能修改（企业微信不允许）", "multi")
    if "scene" in given and spec.scene != way.scene:
        raise Invalid("场景创建后不能修改（企业微信不允许）", "scene")
    values: dict[str, Any] = {}
    if "name" in given:
        values["name"] = _name(spec.name)
    wecom: dict[str, Any] = {}
    if "users" in given:
        values["users"] = wecom["user"] = _members(spec.users, way.type == 2)
    if "remark" in given:
        values["remark"] = wecom["remark"] = _short(spec.remark, MAX_REMARK, "备注", "remark")
    if "skip_verify" in given and spec.skip_verify is not None:
        values["skip_verify"] = wecom["skip_verify"] = spec.skip_verify
    if "style" in given:
        if way.scene == 2 and spec.style is not None:
            raise Invalid("二维码活码不能设置控件样式（style 只用于小程序按钮）", "style")
        values["style"] = wecom["style"] = spec.style
    if "remark_template" in given:
        values["remark_template"] = _template(spec.remark_template)
    if "tags" in given:
        values["tags"] = await _tags(spec.tags)
    welcome = None
    if "welcome_text" in given or "welcome_attachments" in given:
        old_text, old_items = await db.channel_welcome(way.state)
        welcome = await _welcome(
            spec.welcome_text if "welcome_text" in given else old_text,
            spec.welcome_attachments if "welcome_attachments" in given else old_items)
    before: dict[str, Any] = {"user": list(way.users), "remark": way.remark,
                              "skip_verify": way.skip_verify, "style": way.style}
    if wecom:
        try:
            await ports.wecom.update_contact_way(way.config_id, **wecom)
        except WeComAPIError as exc:
            raise refused(exc.errcode, "users" if exc.errcode in _MEMBER_CODES else None
                          ) from None
    try:
        way = await db.update_contact_way(way, values, welcome)
    except BaseException:
        if wecom:  # not stored here: WeCom's way put back as it was
            try:
                await ports.wecom.update_contact_way(
                    way.config_id, **{k: before[k] for k in wecom})
            except WeComError as exc:
                log.error("contact_way.update_not_undone", error=type(exc).__name__)
        raise
    return await _record(way)


async def delete(ports: Ports, way_id: int) -> None:
    way = await _way(way_id)
    try:
        await ports.wecom.del_contact_way(way.config_id)
    except WeComAPIError as exc:
        if exc.errcode != E.CONTACT_WAY_INVALID_CONFIG_ID:  # else gone in WeCom already
            raise refused(exc.errcode) from None
    await db.delete_contact_way(way)
    log.info("contact_way.deleted", way=way.id)


# -- queries --------------------------------------------------------------------------------


async def get(way_id: int) -> ContactWayRecord:
    return await _record(await _way(way_id))


async def listing(*, q: str | None, userid: str | None, page: int, page_size: int
                  ) -> tuple[list[ContactWayRecord], int]:
    rows, total = await db.list_contact_ways(q=q, userid=userid,
                                             offset=(page - 1) * page_size, limit=page_size)
    counts = await db.contact_counts([r.state for r in rows])
    return [await _record(r, counts[r.state]) for r in rows], total


async def qr_image(ports: Ports, way_id: int) -> tuple[bytes, str, str]:
    """The way's QR picture as WeCom hosts it: (bytes, content type, file name)."""
    way = await _way(way_id)
    if not way.qr_code:
        raise NotFound("小程序按钮类的活码没有二维码")
    try:
        data, kind = await ports.wecom.download(way.qr_code, max_bytes=QR_MAX_BYTES)
    except WeComError:
        raise Conflict("暂时取不到企业微信的二维码图片，请稍后再试") from None
    return data, kind or "image/png", f"{way.name}-{way.state}.png"


async def by_state(state: str) -> ContactWay | None:
    return await db.state_owner(state)
