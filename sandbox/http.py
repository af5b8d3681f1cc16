"""The sandbox as an aiohttp application: WeCom's /cgi-bin/ API plus the /sandbox/ control API.

Routes are relative, so the app works on its own (``wecom-bot sandbox``) and mounted with
``app.add_subapp(prefix, build_sandbox_app(sandbox))``: the client's base_url is then
``http://host:port{prefix}``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.infra.logs import get_logger
from bot.protocol import errors as E
from sandbox.model import SandboxError

if TYPE_CHECKING:
    from sandbox import Sandbox

log = get_logger(__name__)
SANDBOX_KEY: web.AppKey[Sandbox] = web.AppKey("sandbox")

Q = dict[str, Any]
ApiFn = Callable[["Sandbox", str, Q, Q], Q]

# path → (needs access_token, handler(sandbox, app_name, query, body))
API: dict[str, tuple[bool, ApiFn]] = {
    "message/send": (True, lambda s, a, q, b: s.api_message_send(a, b)),
    "user/get": (True, lambda s, a, q, b: s.api_user_get(q)),
    "externalcontact/get": (True, lambda s, a, q, b: s.api_externalcontact_get(q)),
    "externalcontact/send_welcome_msg": (True, lambda s, a, q, b: s.api_send_welcome_msg(b)),
    "externalcontact/groupchat/list": (True, lambda s, a, q, b: s.api_groupchat_list(b)),
    "externalcontact/groupchat/get": (True, lambda s, a, q, b: s.api_groupchat_get(b)),
    "externalcontact/add_msg_template": (True, lambda s, a, q, b: s.api_add_msg_template(b)),
    "externalcontact/get_groupmsg_task": (True, lambda s, a, q, b: s.api_get_groupmsg_task(b)),
    "externalcontact/get_groupmsg_list_v2": (
        True,
        lambda s, a, q, b: s.api_get_groupmsg_list_v2(b),
    ),
    "externalcontact/get_groupmsg_send_result": (
        True,
        lambda s, a, q, b: s.api_get_groupmsg_send_result(b),
    ),
    "externalcontact/remind_groupmsg_send": (
        True,
        lambda s, a, q, b: s.api_remind_groupmsg_send(b),
    ),
    "externalcontact/groupchat/add_join_way": (True, lambda s, a, q, b: s.api_add_join_way(b)),
    "externalcontact/groupchat/get_join_way": (True, lambda s, a, q, b: s.api_get_join_way(b)),
    "externalcontact/groupchat/del_join_way": (True, lambda s, a, q, b: s.api_del_join_way(b)),
    "externalcontact/group_welcome_template/add": (
        True,
        lambda s, a, q, b: s.api_template_add(b),
    ),
    "externalcontact/group_welcome_template/edit": (
        True,
        lambda s, a, q, b: s.api_template_edit(b),
    ),
    "externalcontact/group_welcome_template/get": (
        True,
        lambda s, a, q, b: s.api_template_get(b),
    ),
    "externalcontact/group_welcome_template/del": (
        True,
        lambda s, a, q, b: s.api_template_del(b),
    ),
    "kf/account/list": (True, lambda s, a, q, b: s.api_kf_account_list(b)),
    "kf/servicer/list": (True, lambda s, a, q, b: s.api_kf_servicer_list(q)),
    "kf/sync_msg": (True, lambda s, a, q, b: s.api_kf_sync_msg(b)),
    "kf/send_msg": (True, lambda s, a, q, b: s.api_kf_send_msg(b)),
    "kf/send_msg_on_event": (True, lambda s, a, q, b: s.api_kf_send_msg_on_event(b)),
    "kf/service_state/get": (True, lambda s, a, q, b: s.api_kf_state_get(b)),
    "kf/service_state/trans": (True, lambda s, a, q, b: s.api_kf_state_trans(b)),
    "kf/customer/batchget": (True, lambda s, a, q, b: s.api_kf_customer_batchget(b)),
    "kf/customer/upgrade_service": (True, lambda s, a, q, b: s.api_kf_upgrade_service(b)),
    "aibot/response": (False, lambda s, a, q, b: s.api_aibot_response(q.get("response_code"), b)),
}


def _ok(result: Q) -> web.Response:
    return web.json_response({"errcode": 0, "errmsg": "ok", **result})


def _learn_base(sb: Sandbox, request: web.Request, tail: str) -> None:
    if not sb.public_base_url:
        url = str(request.url.with_query(None))
        if url.endswith(tail):
            sb.public_base_url = url[: -len(tail)]


async def _api(request: web.Request) -> web.StreamResponse:
    sb = request.app[SANDBOX_KEY]
    api = request.match_info["api"]
    _learn_base(sb, request, "/cgi-bin/" + api)
    query = dict(request.query)
    app_name: str | None = None
    if sb.faults.latency:
        await asyncio.sleep(sb.faults.latency)
    fault = sb.draw_fault(api)
    if fault == "http":
        sb.log_call(request.method, api, None, 0, 503)
        return web.Response(status=503, text="service unavailable")
    try:
        if fault == "busy":
            raise SandboxError(E.SYSTEM_BUSY, "system busy")
        if fault == "rate":
            raise SandboxError(E.FREQ_LIMIT, "api freq out of limit")
        if api == "gettoken":
            result = sb.gettoken(query.get("corpid", ""), query.get("corpsecret", ""))
            app_name = result.pop("_app")
        elif api == "media/upload":
            app_name = sb.check_token(query.get("access_token")).name
            sb.limit_api(api)
            result = sb.api_media_upload(query.get("type", ""), await _read_media(request))
        elif api in API:
            needs_token, fn = API[api]
            if needs_token:
                app_name = sb.check_token(query.get("access_token")).name
            sb.limit_api(api)
            sb.auto_confirm()
            result = fn(sb, app_name or "", query, await _json_body(request))
        else:
            sb.log_call(request.method, api, None, 404, 404)
            return web.json_response({"errcode": 404, "errmsg": "not found"}, status=404)
    except SandboxError as exc:
        sb.log_call(request.method, api, app_name, exc.errcode, 200)
        return web.json_response({"errcode": exc.errcode, "errmsg": exc.errmsg})
    if sb.draw_lost_answer(api):
        # The call took effect; its answer is lost on the way (the caller sees a 503).
        sb.log_call(request.method, api, app_name, 0, 503)
        return web.Response(status=503, text="service unavailable")
    sb.log_call(request.method, api, app_name, 0, 200)
    return _ok(result)


async def _json_body(request: web.Request) -> Q:
    if request.method == "GET":
        return {}
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise SandboxError(E.DATA_FORMAT_ERROR, "data format error") from None
    if not isinstance(body, dict):
        raise SandboxError(E.DATA_FORMAT_ERROR, "data format error")
    return body


async def _read_media(request: web.Request) -> bytes | None:
    if not request.content_type.startswith("multipart/"):
        return None
    reader = await request.multipart()
    async for part in reader:
        if getattr(part, "name", None) == "media":
            return bytes(await part.read())  # type: ignore[union-attr]
    return None


# -- control API ---------------------------------------------------------------------------------

Control = Callable[["Sandbox", Q], Awaitable[Any]]


async def _faults(sb: Sandbox, b: Q) -> Any:
    f = sb.set_faults(**b)
    return {"faults": {**f.__dict__, "paths": list(f.paths)}}


async def _advance(sb: Sandbox, b: Q) -> Any:
    advance = getattr(sb.clock, "advance", None)
    if advance is None:
        raise SandboxError(E.INVALID_PARAM, "this sandbox's clock cannot be moved")
    advance(float(b["seconds"]))
    return {"now": sb.now()}


CONTROL: dict[str, Control] = {
    "kf/customer_says": lambda s, b: s.customer_says(
        b["open_kfid"], b["external_userid"], b.get("text", ""), menu_id=b.get("menu_id")
    ),
    "kf/customer_enters": lambda s, b: s.customer_enters(
        b["open_kfid"],
        b["external_userid"],
        scene=b.get("scene", ""),
        scene_param=b.get("scene_param", ""),
    ),
    "kf/servicer_status": lambda s, b: s.set_servicer_status(
        b["open_kfid"], b["userid"], bool(b["receiving"])
    ),
    "kf/servicer_says": lambda s, b: s.servicer_says(
        b["open_kfid"], b["external_userid"], b["userid"], b["text"]
    ),
    "kf/servicer_ends": lambda s, b: s.servicer_ends_session(b["open_kfid"], b["external_userid"]),
    "contact/add": lambda s, b: s.staff_adds_customer(
        b["userid"], b.get("external_userid"), name=b.get("name"), state=b.get("state", "")
    ),
    "contact/customer_deletes": lambda s, b: s.customer_deletes_staff(
        b["external_userid"], b["userid"]
    ),
    "contact/staff_deletes": lambda s, b: s.staff_deletes_customer(
        b["userid"], b["external_userid"], by_transfer=bool(b.get("by_transfer"))
    ),
    "groups/create": lambda s, b: s.staff_creates_group(
        b["owner"], b["name"], b.get("members", [])
    ),
    "groups/join": lambda s, b: s.customer_joins_group(
        b["external_userid"],
        chat_id=b.get("chat_id"),
        config_id=b.get("config_id"),
        join_scene=int(b.get("join_scene", 3)),
        invitor=b.get("invitor", ""),
    ),
    "groups/leave": lambda s, b: s.customer_leaves_group(
        b["chat_id"], b["external_userid"], quit_scene=int(b.get("quit_scene", 0))
    ),
    "tasks/confirm": lambda s, b: s.owner_confirms_task(b["msgid"], b.get("userid")),
    "app/staff_says": lambda s, b: s.staff_says(b["userid"], b["text"], app=b.get("app")),
    "aibot/mention": lambda s, b: s.staff_mentions_aibot(
        b["userid"], b["text"], chatid=b.get("chatid"), app=b.get("app")
    ),
    "tokens/invalidate": lambda s, b: _sync({"invalidated": s.invalidate_tokens(b.get("app"))}),
    "faults": _faults,
    "clock/advance": _advance,
}


async def _sync(value: Any) -> Any:
    return value


async def _control(request: web.Request) -> web.Response:
    sb = request.app[SANDBOX_KEY]
    action = request.match_info["action"]
    _learn_base(sb, request, "/sandbox/" + action)
    fn = CONTROL.get(action)
    if fn is None:
        return web.json_response({"error": "unknown action"}, status=404)
    try:
        body = await _json_body(request)
        result = await fn(sb, body)
    except SandboxError as exc:
        return web.json_response({"errcode": exc.errcode, "errmsg": exc.errmsg}, status=400)
    except (KeyError, TypeError, ValueError) as exc:
        return web.json_response({"error": f"bad request: {type(exc).__name__}"}, status=400)
    return web.json_response({"ok": True, **result})


async def _read(request: web.Request) -> web.Response:
    sb = request.app[SANDBOX_KEY]
    what = request.match_info["what"]
    sb.auto_confirm()
    data: Any
    if what == "inboxes":
        data = {k: v for k, v in sb.inboxes.items()}
    elif what == "calls":
        data = sb.calls
    elif what == "deliveries":
        data = [d.as_dict() for d in (sb.driver.deliveries if sb.driver else [])]
    elif what == "world":
        data = sb.world()
    elif what == "dropped":
        data = sb.dropped
    else:
        return web.json_response({"error": "unknown"}, status=404)
    return web.json_response({what: data})


async def _inbox(request: web.Request) -> web.Response:
    sb = request.app[SANDBOX_KEY]
    sb.auto_confirm()
    return web.json_response({"inbox": sb.inbox(request.match_info["recipient"])})


def build_sandbox_app(sandbox: Sandbox) -> web.Application:
    app = web.Application(client_max_size=25 * 1024 * 1024)
    app[SANDBOX_KEY] = sandbox
    app.router.add_route("*", "/cgi-bin/{api:.+}", _api)
    app.router.add_get("/sandbox/inbox/{recipient}", _inbox)
    app.router.add_get("/sandbox/{what:inboxes|calls|deliveries|world|dropped}", _read)
    app.router.add_post("/sandbox/{action:.+}", _control)

    async def _close(_: web.Application) -> None:
        await sandbox.close()

    app.on_cleanup.append(_close)
    return app
