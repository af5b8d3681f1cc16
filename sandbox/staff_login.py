"""Staff login as WeCom does it (protocol-2.md §5): the 网页授权 page inside the WeCom client
and the 扫码登录 page in a desktop browser both end with a redirect to the app's page with a
one-time ``code``, which the app's server turns into a userid with ``auth/getuserinfo``.

In the sandbox the person "scanning" picks who they are on the login page. The rules are
WeCom's: the code is single use and lives 5 minutes (40029), a missing code is 41008, and
the redirect's domain must be the trusted domain of the app whose token asks (50001).
"""

from __future__ import annotations

import html
import re
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bot.protocol import errors as E
from sandbox.corp import Corp
from sandbox.model import SandboxError

CODE_TTL = 300.0
_STATE = re.compile(r"^[A-Za-z0-9]{0,128}$")


class LoginRefused(Exception):
    """The login page's own error (WeCom shows a page saying what is wrong)."""


@dataclass
class LoginCode:
    userid: str
    redirect_host: str
    issued_at: float
    used: bool = False


class StaffLogin:
    def __init__(self, corp: Corp) -> None:
        self.corp = corp
        self.codes: dict[str, LoginCode] = {}

    # -- the pages a person sees ---------------------------------------------------------

    def check_oauth(self, q: dict[str, str]) -> None:
        """open.weixin.qq.com/connect/oauth2/authorize: appid is the CorpID, response_type
        ``code``, scope snsapi_base or snsapi_privateinfo (which needs agentid), state
        a-zA-Z0-9 of at most 128 bytes, a redirect_uri."""
        self._common(q)
        if q.get("response_type") != "code":
            raise LoginRefused("response_type 必须为 code")
        scope = q.get("scope")
        if scope not in ("snsapi_base", "snsapi_privateinfo"):
            raise LoginRefused("scope 参数错误")
        if scope == "snsapi_privateinfo" and not q.get("agentid"):
            raise LoginRefused("snsapi_privateinfo 需要 agentid")
        if q.get("agentid"):
            self._agent(q["agentid"])

    def check_sso(self, q: dict[str, str]) -> None:
        """login.work.weixin.qq.com/wwlogin/sso/login: login_type CorpApp with the CorpID as
        appid and the app's agentid, a redirect_uri."""
        if q.get("login_type") != "CorpApp":
            raise LoginRefused("login_type 参数错误（自建应用为 CorpApp）")
        self._common(q)
        self._agent(q.get("agentid", ""))

    def _common(self, q: dict[str, str]) -> None:
        if q.get("appid") != self.corp.corp_id:
            raise LoginRefused("appid 参数错误")
        target = urlsplit(q.get("redirect_uri", ""))
        if target.scheme not in ("http", "https") or not target.netloc:
            raise LoginRefused("redirect_uri 参数错误")
        if not _STATE.match(q.get("state", "")) or len(q.get("state", "")) > 128:
            raise LoginRefused("state 参数错误（只能是 a-zA-Z0-9，不超过 128 字节）")

    def _agent(self, agentid: str) -> None:
        if not any(str(a.agent_id) == agentid for a in self.corp.apps.values()):
            raise LoginRefused("agentid 参数错误")

    def page(self, q: dict[str, str], confirm_path: str) -> str:
        """The login page: who is signing in (the sandbox's stand-in for the phone that
        scans, or the client that carries the identity)."""
        people = "".join(
            f'<li><a class="staff" data-userid="{html.escape(s.userid)}" '
            f'href="{html.escape(confirm_path + "?" + urlencode({**q, "userid": s.userid}))}">'
            f"{html.escape(s.name)}（{html.escape(s.userid)}）</a></li>"
            for s in self.corp.staff.values() if s.active)
        return ("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                "<title>企业微信登录（沙箱）</title></head><body>"
                "<h1>企业微信登录（沙箱）</h1><p>选择以哪位成员的身份确认登录：</p>"
                f"<ul>{people}</ul></body></html>")

    def confirm(self, q: dict[str, str]) -> str:
        """The member confirmed: the redirect WeCom makes, with a fresh one-time code."""
        userid = q.get("userid", "")
        staff = self.corp.staff.get(userid)
        if staff is None or not staff.active:
            raise LoginRefused("该成员不存在或已停用")
        code = secrets.token_urlsafe(48)
        target = urlsplit(q["redirect_uri"])
        self.codes[code] = LoginCode(userid, target.netloc.lower(), self.corp.now())
        query = parse_qsl(target.query, keep_blank_values=True)
        query += [("code", code), ("state", q.get("state", ""))]
        return urlunsplit((target.scheme, target.netloc, target.path or "/", urlencode(query),
                           target.fragment))

    # -- the API -------------------------------------------------------------------------

    def api_getuserinfo(self, app: str, q: dict[str, Any]) -> dict[str, Any]:
        """GET auth/getuserinfo: the member behind a code, once."""
        code = q.get("code")
        if not code:
            raise SandboxError(E.MISSING_OAUTH_CODE, "missing code")
        found = self.codes.get(str(code))
        if found is None or found.used or self.corp.now() - found.issued_at > CODE_TTL:
            raise SandboxError(E.INVALID_OAUTH_CODE, "invalid code")
        if found.redirect_host != self.trusted_domain(app):
            raise SandboxError(E.UNTRUSTED_REDIRECT_DOMAIN,
                               "redirect_url domain unregistered")
        found.used = True
        return {"userid": found.userid}

    def trusted_domain(self, app: str) -> str:
        """The app's 可信域名: as set, else the host of its callback URL."""
        admin = self.corp.admin[app]
        if admin.trusted_domain is not None:
            return admin.trusted_domain.lower()
        return urlsplit(self.corp.callback_base_url or "").netloc.lower()
