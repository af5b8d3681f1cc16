"""The sandbox as an aiohttp application: WeCom's /cgi-bin/ API plus the /sandbox/ control API.

Routes are relative, so the app works on its own (``wecom-bot sandbox``) and mounted with
``app.add_subapp(prefix, build_sandbox_app(sandbox))``: the client's base_url is then
``http://host:port{prefix}``.
"""

from __future__ import annotations

import asyncio
import json
from email.utils import formatdate
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.protocol import errors as E
from sandbox.dispatch import API, CONTROL, Q
from sandbox.model import SandboxError
from sandbox.staff_login import LoginRefused

if TYPE_CHECKING:
    from sandbox import Sandbox

SANDBOX_KEY: web.AppKey[Sandbox] = web.AppKey("sandbox")


def _ok(result: Q) -> web.Response:
    return web.json_response({"errcode": 0, "errmsg": "ok", **result})


def _learn_base(sb: Sandbox, request: web.Request, tail: str) -> None:
    # AI-bot response_urls need the sandbox's own address: the first request tells it.
    if not sb.corp.public_base_url:
        url = str(request.url.with_query(None))
        if url.endswith(tail):
            sb.corp.public_base_url = url[: -len(tail)]


async def _api(request: web.Request) -> web.StreamResponse:
    response = await _api_call(request)
    # WeCom's clock, as its Date header tells it (``clock/advance`` moves it).
    response.headers["Date"] = formatdate(request.app[SANDBOX_KEY].corp.now(), usegmt=True)
    return response


async def _api_call(request: web.Request) -> web.StreamResponse:
    sb = request.app[SANDBOX_KEY]
    api = request.match_info["api"]
    _learn_base(sb, request, "/cgi-bin/" + api)
    corp = sb.corp
    query = dict(request.query)
    app_name: str | None = None
    caller_ip = corp.egress_ip or request.remote or ""
    if corp.faults.latency:
        await asyncio.sleep(corp.faults.latency)
    fault = corp.faults.draw(api)
    if fault == "http":
        corp.log_call(request.method, api, None, 0, 503)
        return web.Response(status=503, text="service unavailable")
    try:
        if fault == "busy":
            raise SandboxError(E.SYSTEM_BUSY, "system busy")
        if fault == "rate":
            raise SandboxError(E.FREQ_LIMIT, "api freq out of limit")
        if api == "gettoken":
            result = corp.gettoken(query.get("corpid", ""), query.get("corpsecret", ""))
            app_name = result.pop("_app")
        elif api in ("media/upload", "media/uploadimg"):
            app_name = corp.check_token(query.get("access_token")).name
            corp.check_access(app_name, api, caller_ip)
            corp.limit_api(api)
            media = await _read_media(request)
            result = (corp.media.api_upload(query.get("type", ""), media)
                      if api == "media/upload" else corp.media.api_uploadimg(media))
        elif api in API:
            needs_token, fn = API[api]
            if needs_token:
                app_name = corp.check_token(query.get("access_token")).name
                corp.check_access(app_name, api, caller_ip)
            corp.limit_api(api)
            body = await _json_body(request)
            if api.startswith("kf/") and api != "kf/account/list":
                _check_kf_privilege(sb, body.get("open_kfid") or query.get("open_kfid"))
            sb.mass_messaging.auto_confirm()
            result = fn(sb, app_name or "", query, body)
        else:
            corp.log_call(request.method, api, None, 404, 404)
            return web.json_response({"errcode": 404, "errmsg": "not found"}, status=404)
    except SandboxError as exc:
        corp.log_call(request.method, api, app_name, exc.errcode, 200)
        return web.json_response({"errcode": exc.errcode, "errmsg": exc.errmsg})
    if corp.faults.draw_lost_answer(api):
        # The call took effect; its answer is lost on the way (the caller sees a 503).
        corp.log_call(request.method, api, app_name, 0, 503)
        return web.Response(status=503, text="service unavailable")
    corp.log_call(request.method, api, app_name, 0, 200)
    return _ok(result)


def _check_kf_privilege(sb: Sandbox, open_kfid: Any) -> None:
    # An account the app has no 管理权限 over cannot be used by its API (the code is the
    # sandbox's choice: WeCom does not publish one for the case).
    kf = sb.kf.accounts.get(open_kfid) if isinstance(open_kfid, str) else None
    if kf is not None and not kf.manage_privilege:
        raise SandboxError(E.KF_INVALID_OPEN_KFID, "invalid open_kfid: no manage privilege")


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
    sb.mass_messaging.auto_confirm()
    data: Any
    if what == "inboxes":
        data = {k: v for k, v in sb.corp.inboxes.items()}
    elif what == "calls":
        data = sb.corp.calls
    elif what == "deliveries":
        data = [d.as_dict() for d in sb.corp.driver.deliveries]
    elif what == "world":
        data = sb.world()
    elif what == "dropped":
        data = sb.app_messages.dropped
    elif what == "tasks":  # 群发 made through add_msg_template, whether sent or not
        data = [{"msgid": t.msgid, "targets": list(t.assign),
                 "text": (t.content.get("text") or {}).get("content")}
                for t in sb.mass_messaging.tasks.values()]
    else:
        return web.json_response({"error": "unknown"}, status=404)
    return web.json_response({what: data})


async def _inbox(request: web.Request) -> web.Response:
    sb = request.app[SANDBOX_KEY]
    sb.mass_messaging.auto_confirm()
    return web.json_response({"inbox": sb.corp.inbox(request.match_info["recipient"])})


def _login_routes(kind: str) -> tuple[Any, Any]:
    """WeCom's login page of one kind (``oauth``: 网页授权, oauth2/authorize; ``sso``: 扫码登录,
    wwlogin/sso/login) and the confirm beside it that redirects with a code."""

    def check(sb: Sandbox, q: dict[str, str]) -> None:
        (sb.staff_login.check_sso if kind == "sso" else sb.staff_login.check_oauth)(q)

    async def page(request: web.Request) -> web.Response:
        sb = request.app[SANDBOX_KEY]
        q = dict(request.query)
        try:
            check(sb, q)
        except LoginRefused as exc:
            return web.Response(status=400, text=str(exc), content_type="text/plain")
        return web.Response(text=sb.staff_login.page(q, "confirm"), content_type="text/html")

    async def confirm(request: web.Request) -> web.Response:
        sb = request.app[SANDBOX_KEY]
        q = dict(request.query)
        try:
            check(sb, q)
            target = sb.staff_login.confirm(q)
        except LoginRefused as exc:
            return web.Response(status=400, text=str(exc), content_type="text/plain")
        raise web.HTTPFound(target)

    return page, confirm


async def _qr(request: web.Request) -> web.Response:
    """A 「联系我」 QR picture, as WeCom's qr_code URL serves one."""
    image = request.app[SANDBOX_KEY].contact_ways.qr_image(request.match_info["config_id"])
    if image is None:
        return web.Response(status=404)
    return web.Response(body=image, content_type="image/png")


async def _join_qr(request: web.Request) -> web.Response:
    png = request.app[SANDBOX_KEY].customer_groups.join_qr_png(request.match_info["config_id"])
    if png is None:
        raise web.HTTPNotFound()
    return web.Response(body=png, content_type="image/png")


def build_sandbox_app(sandbox: Sandbox) -> web.Application:
    app = web.Application(client_max_size=25 * 1024 * 1024)
    app[SANDBOX_KEY] = sandbox
    app.router.add_route("*", "/cgi-bin/{api:.+}", _api)
    app.router.add_get("/sandbox/inbox/{recipient}", _inbox)
    app.router.add_get("/sandbox/joinway/{config_id}.png", _join_qr)
    # The login pages keep WeCom's paths (their hosts are open.weixin.qq.com and
    # login.work.weixin.qq.com); both end on a confirm beside the page.
    for kind, page_path in (("oauth", "/connect/oauth2/authorize"),
                            ("sso", "/wwlogin/sso/login")):
        page, confirm = _login_routes(kind)
        app.router.add_get(page_path, page)
        app.router.add_get(page_path.rsplit("/", 1)[0] + "/confirm", confirm)
    app.router.add_get("/sandbox/qr/{config_id}", _qr)
    app.router.add_get("/sandbox/{what:inboxes|calls|deliveries|world|dropped|tasks}", _read)
    app.router.add_post("/sandbox/{action:.+}", _control)

    async def _close(_: web.Application) -> None:
        await sandbox.close()

    app.on_cleanup.append(_close)
    return app
