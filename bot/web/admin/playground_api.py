"""Playground: act as a customer or staff member in the built-in sandbox, from the console.

Each action is a sandbox action, so it produces the real encrypted callback to this
service; the console then watches what everyone received. Sandbox mode only.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, Field

from bot.ports import PlaygroundRefused, PlaygroundSandbox
from bot.protocol.safexml import XMLError, parse_xml
from bot.web.admin.framework import Api, ApiError, ApiRequest

api = Api()
ROLES = ("admin",)


def _sandbox(req: ApiRequest) -> PlaygroundSandbox:
    sandbox = req.services.playground
    if sandbox is None:
        raise ApiError(404, "not_sandbox", "演练场只在使用内置沙箱（api_base = sandbox）时可用")
    return sandbox


async def _run(req: ApiRequest, action: Any) -> dict[str, Any]:
    try:
        result = await action
    except PlaygroundRefused as exc:
        raise ApiError(400, "sandbox_refused",
                       f"沙箱（企业微信）拒绝了：{exc.errcode} {exc.errmsg}") from None
    except (XMLError, UnicodeError):
        # What WeCom's XML cannot carry (control characters, lone surrogates): no callback
        # could ever bring it, so the playground cannot play it either.
        raise ApiError(400, "invalid", "内容含有企业微信无法传递的字符（控制字符等）") from None
    return {"result": result}


KF_DEFAULT = "the kf account; the sandbox's seeded account when left out"


class KfSay(BaseModel):
    external_userid: str = Field(min_length=1, max_length=64)
    text: str = Field(min_length=1, max_length=2048)
    menu_id: str | None = Field(default=None, max_length=64)
    open_kfid: str | None = Field(default=None, description=KF_DEFAULT)


class KfEnter(BaseModel):
    external_userid: str = Field(min_length=1, max_length=64)
    open_kfid: str | None = Field(default=None, description=KF_DEFAULT)
    scene: str = Field(default="", max_length=32)


class ContactAdd(BaseModel):
    userid: str = Field(min_length=1, max_length=64)
    external_userid: str | None = Field(default=None, max_length=64)
    name: str | None = Field(default=None, max_length=64)
    state: str = Field(default="", max_length=30)


class CodeScan(BaseModel):
    config_id: str = Field(min_length=1, max_length=64)
    external_userid: str | None = Field(default=None, max_length=64)
    name: str | None = Field(default=None, max_length=64)


class GroupCreate(BaseModel):
    owner: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=64)


class GroupJoin(BaseModel):
    external_userid: str = Field(min_length=1, max_length=64)
    chat_id: str | None = Field(default=None, max_length=64)
    config_id: str | None = Field(default=None, max_length=64)
    join_scene: int = Field(default=3, ge=0, le=3)


class StaffSay(BaseModel):
    userid: str = Field(min_length=1, max_length=64)
    text: str = Field(min_length=1, max_length=2048)


class TaskConfirm(BaseModel):
    msgid: str = Field(min_length=1, max_length=64)
    userid: str | None = Field(default=None, max_length=64)


class ActionResult(BaseModel):
    result: Any = None


@api.route("POST", "/playground/kf/say", body=KfSay, response=ActionResult, roles=ROLES,
           tag="playground")
async def kf_say(req: ApiRequest) -> dict[str, Any]:
    """A customer writes to a kf account (text, or a menu click with menu_id)."""
    b: KfSay = req.body
    sandbox = _sandbox(req)
    return await _run(req, sandbox.customer_says(b.open_kfid or sandbox.default_open_kfid,
                                                 b.external_userid, b.text, menu_id=b.menu_id))


@api.route("POST", "/playground/kf/enter", body=KfEnter, response=ActionResult, roles=ROLES,
           tag="playground")
async def kf_enter(req: ApiRequest) -> dict[str, Any]:
    """A customer opens the kf session (WeCom issues a welcome code when allowed)."""
    b: KfEnter = req.body
    sandbox = _sandbox(req)
    return await _run(req, sandbox.customer_enters(b.open_kfid or sandbox.default_open_kfid,
                                                   b.external_userid, scene=b.scene))


@api.route("POST", "/playground/contact/add", body=ContactAdd, response=ActionResult,
           roles=ROLES, tag="playground")
async def contact_add(req: ApiRequest) -> dict[str, Any]:
    """A staff member adds a customer, through a channel code (State)."""
    b: ContactAdd = req.body
    return await _run(req, _sandbox(req).staff_adds_customer(
        b.userid, b.external_userid, name=b.name, state=b.state))


@api.route("POST", "/playground/contact/scan", body=CodeScan, response=ActionResult,
           roles=ROLES, tag="playground")
async def contact_scan(req: ApiRequest) -> dict[str, Any]:
    """A customer scans a channel code (渠道活码): added to one of its members, welcomed,
    tagged."""
    b: CodeScan = req.body
    return await _run(req, _sandbox(req).customer_scans_code(b.config_id, b.external_userid,
                                                             name=b.name))


@api.route("POST", "/playground/groups/create", body=GroupCreate, response=ActionResult,
           roles=ROLES, tag="playground")
async def group_create(req: ApiRequest) -> dict[str, Any]:
    """A staff member creates a customer group."""
    b: GroupCreate = req.body
    return await _run(req, _sandbox(req).staff_creates_group(b.owner, b.name))


@api.route("POST", "/playground/groups/join", body=GroupJoin, response=ActionResult,
           roles=ROLES, tag="playground")
async def group_join(req: ApiRequest) -> dict[str, Any]:
    """A customer joins a group directly (chat_id) or by a join-way QR (config_id)."""
    b: GroupJoin = req.body
    if not (b.chat_id or b.config_id):
        raise ApiError(400, "invalid_body", "请选择客户群（chat_id）或填写加群码（config_id）",
                       "chat_id")
    return await _run(req, _sandbox(req).customer_joins_group(
        b.external_userid, chat_id=b.chat_id, config_id=b.config_id, join_scene=b.join_scene))


@api.route("POST", "/playground/app/say", body=StaffSay, response=ActionResult, roles=ROLES,
           tag="playground")
async def app_say(req: ApiRequest) -> dict[str, Any]:
    """A staff member writes to the app (commands such as 帮助)."""
    b: StaffSay = req.body
    return await _run(req, _sandbox(req).staff_says(b.userid, b.text))


@api.route("POST", "/playground/tasks/confirm", body=TaskConfirm, response=ActionResult,
           roles=ROLES, tag="playground")
async def task_confirm(req: ApiRequest) -> dict[str, Any]:
    """A group owner confirms a pending group task (企业群发)."""
    b: TaskConfirm = req.body
    return await _run(req, _sandbox(req).owner_confirms_task(b.msgid, b.userid))


@api.route("GET", "/playground/world", roles=ROLES, tag="playground")
async def world(req: ApiRequest) -> dict[str, Any]:
    """The sandbox corp: staff, customers, kf accounts, groups, pending group tasks."""
    return _sandbox(req).world()


def summarize(record: dict[str, Any]) -> str:
    """A readable line for one received message, whatever its type."""
    if "reply" in record:  # a passive reply: the decrypted XML (app) or JSON (AI bot)
        reply = str(record["reply"])
        try:
            if reply.lstrip().startswith("{"):
                data = json.loads(reply)
                stream = data.get("stream") or {}
                return str(stream.get("content") or data.get("text", {}).get("content") or reply)
            return str(parse_xml(reply).get("Content") or reply)
        except (ValueError, XMLError):
            return reply
    payload = record.get("payload") or {}
    if not isinstance(payload, dict):
        return str(payload)
    if "content" in payload:
        return str(payload["content"])
    if record.get("msgtype") == "msgmenu":
        items = [str((i.get("click") or i.get("view") or i.get("miniprogram") or {})
                     .get("content", "")) for i in payload.get("list", [])]
        return " / ".join(x for x in [payload.get("head_content", ""), *items,
                                      payload.get("tail_content", "")] if x)
    if record.get("msgtype") == "textcard":
        return f"{payload.get('title', '')}\n{payload.get('description', '')}"
    if record.get("msgtype") == "template_card":
        title = (payload.get("main_title") or {}).get("title", "")
        return f"[卡片] {title} {payload.get('sub_title_text', '')}".strip()
    if record.get("msgtype") == "group_task":
        return f"[群发任务待确认] {record.get('msgid', '')}"
    return json.dumps(payload, ensure_ascii=False)[:500]


@api.route("GET", "/playground/inbox/{recipient}", roles=ROLES, tag="playground")
async def inbox(req: ApiRequest) -> dict[str, Any]:
    """What a person (userid / external_userid) or a group (chat_id) has received."""
    messages = _sandbox(req).inbox(req.params["recipient"])
    return {"messages": [{**m, "summary": summarize(m)} for m in messages]}
