"""Signing in to the console: a server-side session in an HttpOnly, SameSite=Strict cookie
(Secure under HTTPS), started with an API token or through WeCom login (网页授权 inside
WeCom, 扫码登录 in a desktop browser), shared by the browser's tabs, ended by sign-out or
expiry. API users and the ERP keep using bearer tokens and signatures; the roles admins give
WeCom members are managed here too."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime
from typing import Literal
from urllib.parse import urlencode

from aiohttp import web
from pydantic import BaseModel, Field

from bot import console_access
from bot.api_access import verify_token
from bot.protocol.errors import WeComAPIError
from bot.web.admin.auth import Me
from bot.web.admin.framework import Api, ApiError, ApiRequest, Principal
from bot.web.admin.names import staff_names
from bot.web.admin.paging import ListQuery, Paged, page_of
from bot.web.appkeys import SERVICES

api = Api()
COOKIE = "wb_session"
STATE_COOKIE = "wb_login_state"
USERID = r"^[A-Za-z0-9_.@-]{1,64}$"
WECOM_API = "https://qyapi.weixin.qq.com"
OAUTH_PAGE = "https://open.weixin.qq.com/connect/oauth2/authorize"
SSO_PAGE = "https://login.work.weixin.qq.com/wwlogin/sso/login"


def _secure(request: web.Request) -> bool:
    settings = request.app[SERVICES].settings
    return request.secure or request.headers.get("X-Forwarded-Proto", "") == "https" \
        or settings.public_url.startswith("https://")


def _set_cookie(resp: web.StreamResponse, request: web.Request, name: str, value: str, *,
                max_age: int, same_site: str = "Strict") -> None:
    resp.set_cookie(name, value, max_age=max_age, path="/", httponly=True,
                    samesite=same_site, secure=_secure(request))


async def session_cookie(request: web.Request, raw: bytes) -> Principal | None:
    """The console's session, when the request carries its cookie. A state-changing request
    from another origin is refused (SameSite=Strict already keeps the cookie home)."""
    value = request.cookies.get(COOKIE)
    if not value:
        return None
    origin = request.headers.get("Origin")
    if request.method not in ("GET", "HEAD", "OPTIONS") and origin is not None \
            and origin.rstrip("/") != f"{request.scheme}://{request.host}":
        raise ApiError(403, "forbidden", "不接受来自其他网站的请求")
    found = await console_access.session_of(value)
    if found is None:
        raise ApiError(401, "unauthorized", "登录已失效，请重新登录")
    return Principal(name=found.name, role=found.role,
                     kind="wecom" if found.kind == "wecom" else "token")


class SignInIn(BaseModel):
    token: str = Field(min_length=1, max_length=128)


class WeComLoginIn(BaseModel):
    code: str = Field(min_length=1, max_length=512)
    state: str = Field(min_length=1, max_length=128)


class WeComLoginOut(BaseModel):
    oauth_url: str = Field(description="网页授权, for the console opened inside WeCom")
    qr_url: str = Field(description="扫码登录, for a desktop browser")


async def _started(req: ApiRequest, kind: str, name: str, role: str) -> web.Response:
    value = await console_access.start_session(kind, name)
    names = await staff_names(req.services, [name]) if kind == "wecom" else {}
    resp = web.json_response(Me(name=name, role=role, display_name=names.get(name))
                             .model_dump())
    _set_cookie(resp, req.request, COOKIE, value,
                max_age=int(console_access.ABSOLUTE.total_seconds()))
    return resp


@api.route("POST", "/session", roles=(), body=SignInIn, response=Me, tag="auth",
           errors=(401,))
async def sign_in(req: ApiRequest) -> web.Response:
    """Sign in to the console with an API token: the answer sets the session cookie."""
    row = await verify_token(req.body.token.strip())
    if row is None:
        raise ApiError(401, "unauthorized", "令牌无效或已吊销", "token")
    return await _started(req, "token", row.name, row.role)


@api.route("DELETE", "/session", roles=(), status=204, tag="auth")
async def sign_out(req: ApiRequest) -> web.Response:
    """Sign out: the session ends (in every tab) and the cookie is cleared."""
    await console_access.end_session(req.request.cookies.get(COOKIE, ""))
    resp = web.Response(status=204)
    resp.del_cookie(COOKIE, path="/")
    return resp


def _login_pages(req: ApiRequest) -> tuple[str, str]:
    base = req.services.wecom.base_url
    if base.startswith(WECOM_API):
        return OAUTH_PAGE, SSO_PAGE
    # A simulated WeCom (the sandbox) serves its login pages under its API's base.
    return base + "/connect/oauth2/authorize", base + "/wwlogin/sso/login"


@api.route("GET", "/session/wecom", roles=(), response=WeComLoginOut, tag="auth")
async def wecom_login_urls(req: ApiRequest) -> web.Response:
    """Where to sign in with WeCom; sets the state cookie the login is checked against."""
    settings = req.services.settings
    main = next((a for a in settings.wecom.apps if a.kind == "app"), None)
    if main is None or main.agent_id is None:
        raise ApiError(404, "not_configured", "没有配置自建应用（agent_id），不能用企业微信登录")
    state = secrets.token_hex(16)
    base = (settings.public_url or f"{req.request.scheme}://{req.request.host}").rstrip("/")
    redirect = base + "/admin/"
    oauth, sso = _login_pages(req)
    common = {"appid": settings.wecom.corp_id, "redirect_uri": redirect, "state": state}
    out = WeComLoginOut(
        oauth_url=oauth + "?" + urlencode({**common, "response_type": "code",
                                           "scope": "snsapi_base",
                                           "agentid": str(main.agent_id)}) + "#wechat_redirect",
        qr_url=sso + "?" + urlencode({"login_type": "CorpApp", **common,
                                      "agentid": str(main.agent_id)}))
    resp = web.json_response(out.model_dump())
    # Lax: the way back from WeCom's page is a top-level navigation from another site.
    _set_cookie(resp, req.request, STATE_COOKIE, state, max_age=600, same_site="Lax")
    return resp


@api.route("POST", "/session/wecom", roles=(), body=WeComLoginIn, response=Me, tag="auth",
           errors=(401,))
async def wecom_sign_in(req: ApiRequest) -> web.Response:
    """Finish a WeCom login: the code WeCom redirected with becomes the member's userid
    (auth/getuserinfo), who signs in with the role an admin gave that userid."""
    expected = req.request.cookies.get(STATE_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, req.body.state):
        raise ApiError(400, "invalid_state", "登录已过期或不是从本页发起的，请重新登录", "state")
    try:
        who = await req.services.ports.wecom.auth_getuserinfo(req.body.code)
    except WeComAPIError as exc:
        raise ApiError(401, "unauthorized", f"企业微信登录失败（{exc.errcode}），请重新扫码",
                       "code") from None
    userid = who.get("userid")
    if not userid:
        raise ApiError(403, "forbidden", "只有企业成员可以登录控制台")
    role = await console_access.staff_role(userid)
    if role is None:
        raise ApiError(403, "no_role", f"管理员还没有给你（{userid}）分配控制台角色，请联系管理员")
    resp = await _started(req, "wecom", userid, role)
    resp.del_cookie(STATE_COOKIE, path="/")
    return resp


# -- roles of WeCom members ----------------------------------------------------------------


class StaffRoleIn(BaseModel):
    userid: str = Field(pattern=USERID)
    role: Literal["admin", "specialist", "viewer"]


class StaffRoleOut(StaffRoleIn):
    name: str | None = None  # the directory's name
    assigned_by: str
    updated_at: datetime


class StaffRoleQuery(ListQuery):
    role: Literal["admin", "specialist", "viewer"] | None = None


@api.route("GET", "/staff-roles", query=StaffRoleQuery, response=[StaffRoleOut], tag="auth")
async def staff_role_list(req: ApiRequest) -> Paged:
    """The console roles of WeCom members (who sign in with WeCom)."""
    q: StaffRoleQuery = req.query
    rows = await console_access.staff_roles()
    names = await staff_names(req.services, [r.userid for r in rows])
    out = [StaffRoleOut(userid=r.userid, role=r.role, name=names.get(r.userid),  # type: ignore[arg-type]
                        assigned_by=r.assigned_by, updated_at=r.updated_at) for r in rows
           if (q.role is None or r.role == q.role)
           and (q.search is None or q.search.lower() in
                f"{r.userid} {names.get(r.userid, '')}".lower())]
    return page_of(out, q, len(out) or 1)


@api.route("PUT", "/staff-roles", body=StaffRoleIn, response=StaffRoleOut, tag="auth")
async def staff_role_put(req: ApiRequest) -> StaffRoleOut:
    """Give a WeCom member a console role (or change it)."""
    assert req.principal is not None
    r = await console_access.assign_role(req.body.userid, req.body.role, req.principal.name)
    names = await staff_names(req.services, [r.userid])
    return StaffRoleOut(userid=r.userid, role=r.role, name=names.get(r.userid),  # type: ignore[arg-type]
                        assigned_by=r.assigned_by, updated_at=r.updated_at)


@api.route("DELETE", "/staff-roles/{userid}", status=204, tag="auth")
async def staff_role_delete(req: ApiRequest) -> None:
    """Take a member's console role away; their sessions stop working at once."""
    if not await console_access.remove_role(req.params["userid"]):
        raise ApiError(404, "not_found", "这位成员没有控制台角色")
