"""External contacts in the sandbox: staff add customers (WelcomeCode 20 s, once)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot.protocol import errors as E
from sandbox.corp import Corp
from sandbox.model import Customer, SandboxError


class ExternalContacts:
    """Staff members and their customers (客户联系): adding and deleting each other, the
    welcome message, and reading members and contacts."""

    def __init__(self, corp: Corp) -> None:
        self.corp = corp
        # A follow's corp tags as externalcontact/get lists them (the corp_tags part sets it).
        self.describe_tags: Callable[[dict[str, Any]], list[dict[str, Any]]] = lambda f: []

    async def staff_adds_customer(
        self,
        userid: str,
        external_userid: str | None = None,
        *,
        name: str | None = None,
        state: str = "",
        other_app_sending: float = 0.0,
        other_app_delivers: bool = True,
    ) -> dict[str, Any]:
        """A staff member adds a customer (e.g. via a 「联系我」 code with ``state``) →
        change_external_contact / add_external_contact, with a WelcomeCode unless the member
        has a console welcome configured.

        ``other_app_sending``: another app of the corp got the same WelcomeCode and sends
        with it for that many seconds (docs 92599): meanwhile send_welcome_msg answers 41096;
        then its welcome reaches the customer (41051 for anyone after), or, unless
        ``other_app_delivers``, it fails and leaves the code to whoever tries next."""
        staff = self.corp.require_staff(userid)
        if external_userid is None:
            external_userid = self.corp.new_id("wm", 30)
        customer = self.corp.customers.get(external_userid)
        if customer is None:
            customer = Customer(external_userid, name or f"客户{len(self.corp.customers) + 1}")
            self.corp.customers[external_userid] = customer
        first_chat = userid not in customer.follow
        customer.follow[userid] = {"createtime": int(self.corp.now()), "state": state, "remark": ""}
        fields: dict[str, str | int] = {
            "Event": "change_external_contact",
            "ChangeType": "add_external_contact",
            "UserID": userid,
            "ExternalUserID": external_userid,
        }
        if state:
            fields["State"] = state
        welcome_code = None
        if not staff.console_welcome and first_chat:
            welcome_code = self.corp.issue_code(
                "contact_welcome",
                self.corp.limits.welcome_ttl,
                userid=userid,
                external_userid=external_userid,
            )
            fields["WelcomeCode"] = welcome_code
            if other_app_sending:
                held = self.corp.codes[welcome_code]
                held.held_until = self.corp.now() + other_app_sending
                held.holder_delivers = other_app_delivers
        self.corp.emit_app(self.corp.app_for_callbacks(), self.corp.event_fields(fields),
                           "add_external_contact")
        return {"external_userid": external_userid, "welcome_code": welcome_code}

    async def customer_adds_unverified(
        self, userid: str, external_userid: str | None = None, *, state: str = ""
    ) -> dict[str, Any]:
        """The customer adds the member through a 「联系我」 that skips verification, before
        the member has accepted → add_half_external_contact with State and a WelcomeCode
        (protocol-2.md §1.9). Not a follow relationship yet (84061 for APIs that need one)."""
        staff = self.corp.require_staff(userid)
        if external_userid is None:
            external_userid = self.corp.new_id("wm", 30)
        self.corp.ensure_customer(external_userid)
        fields: dict[str, str] = {"Event": "change_external_contact",
                                  "ChangeType": "add_half_external_contact", "UserID": userid,
                                  "ExternalUserID": external_userid}
        if state:
            fields["State"] = state
        welcome_code = None
        if not staff.console_welcome:
            welcome_code = self.corp.issue_code("contact_welcome", self.corp.limits.welcome_ttl,
                                                userid=userid, external_userid=external_userid)
            fields["WelcomeCode"] = welcome_code
        self.corp.emit_app(self.corp.app_for_callbacks(), self.corp.event_fields(fields),
                           "add_half_external_contact")
        return {"external_userid": external_userid, "welcome_code": welcome_code}

    async def staff_edits_customer(self, userid: str, external_userid: str, *,
                                   remark: str | None = None) -> dict[str, Any]:
        """The member edits the customer's remark or 企业标签 in the client →
        edit_external_contact (UserID, ExternalUserID only). The API's ``remark`` sends no
        event (protocol-2.md §0, §2.6)."""
        follow = self._follow(external_userid, userid)
        if remark is not None:
            follow["remark"] = remark
        return self._contact_event(userid, external_userid, "edit_external_contact", {})

    async def transfer_fails(self, userid: str, external_userid: str,
                             reason: str = "customer_refused") -> dict[str, Any]:
        """A customer handed to ``userid`` (在职/离职继承) was not taken over → transfer_fail
        with FailReason customer_refused or customer_limit_exceed (protocol.md §2.3)."""
        if reason not in ("customer_refused", "customer_limit_exceed"):
            raise SandboxError(E.INVALID_PARAM, "reason: customer_refused|customer_limit_exceed")
        self.corp.require_staff(userid)
        self.corp.require_customer(external_userid)
        return self._contact_event(userid, external_userid, "transfer_fail",
                                   {"FailReason": reason})

    def _follow(self, external_userid: str, userid: str) -> dict[str, Any]:
        self.corp.require_staff(userid)
        follow = self.corp.require_customer(external_userid).follow.get(userid)
        if follow is None:
            raise SandboxError(E.INVALID_PARAM, "the customer is not this member's contact")
        return follow

    def _contact_event(self, userid: str, external_userid: str, change: str,
                       extra: Mapping[str, str]) -> dict[str, Any]:
        fields = {"Event": "change_external_contact", "ChangeType": change, "UserID": userid,
                  "ExternalUserID": external_userid, **extra}
        self.corp.emit_app(self.corp.app_for_callbacks(), self.corp.event_fields(fields), change)
        return {"external_userid": external_userid, "userid": userid, "change": change}

    async def customer_deletes_staff(self, external_userid: str, userid: str) -> dict[str, Any]:
        """The customer deletes the staff member → del_follow_user (protocol.md §2.3)."""
        return self._unfollow(external_userid, userid, "del_follow_user", {})

    async def staff_deletes_customer(
        self, userid: str, external_userid: str, *, by_transfer: bool = False
    ) -> dict[str, Any]:
        """The staff member deletes the customer → del_external_contact, with
        ``Source = DELETE_BY_TRANSFER`` when 在职继承 removed them (protocol.md §2.3)."""
        extra = {"Source": "DELETE_BY_TRANSFER"} if by_transfer else {}
        return self._unfollow(external_userid, userid, "del_external_contact", extra)

    def _unfollow(self, external_userid: str, userid: str, change: str,
                  extra: Mapping[str, str]) -> dict[str, Any]:
        self._follow(external_userid, userid)
        del self.corp.customers[external_userid].follow[userid]
        return self._contact_event(userid, external_userid, change, extra)

    # -- API ----------------------------------------------------------------------------------

    def api_user_get(self, app: str, query: dict[str, Any]) -> dict[str, Any]:
        """读取成员 (docs 90196): only members in the app's visible range (else 60011).
        ``direct_leader`` lists the member's 直属上级 only where the leader too is in the
        app's visible range (so a leader outside it comes back as an empty list)."""
        s = self.corp.staff.get(query.get("userid") or "")
        if s is None:
            raise SandboxError(E.USERID_NOT_FOUND, "userid not found")
        if not self.corp.visible(app, s.userid):
            raise SandboxError(E.NO_CONTACT_PRIVILEGE, "no privilege to access/modify "
                               "contact/party/agent")
        return {"userid": s.userid, "name": s.name, "department": [1], "main_department": 1,
                "position": s.role, "status": 1 if s.active else 2,
                "direct_leader": [s.leader] if s.leader and self.corp.visible(app, s.leader)
                else []}

    def api_user_simplelist(self, app: str, query: dict[str, Any]) -> dict[str, Any]:
        """获取部门成员 (docs 90200). The sandbox's corp has one department, 1 (the whole corp):
        another id is 60123 (无效的部门id); an app that does not see the whole department
        (a visible range of members only) gets 60011, as WeCom answers for a department
        outside the range."""
        if str(query.get("department_id", "")) != "1":
            raise SandboxError(E.INVALID_DEPARTMENT, "invalid party id")
        if self.corp.admin[app].visible_users is not None:
            raise SandboxError(E.NO_CONTACT_PRIVILEGE, "no privilege to access/modify "
                               "contact/party/agent")
        return {"userlist": [{"userid": s.userid, "name": s.name, "department": [1]}
                             for s in self.corp.staff.values() if s.active]}

    def api_agent_get(self, app: str, query: dict[str, Any]) -> dict[str, Any]:
        """获取指定的应用详情 (docs 90227): only the token's own app ("企业仅可获取当前凭证对应的
        应用"; another agentid: 301002). The visible range comes back as members
        (``allow_userinfos``) and departments (``allow_partys``; 1 is the whole corp)."""
        spec = self.corp.apps[app]
        try:
            agentid = int(query.get("agentid", ""))
        except ValueError:
            raise SandboxError(E.INVALID_PARAM, "invalid agentid") from None
        if agentid != spec.agent_id:
            raise SandboxError(E.NO_APP_PRIVILEGE, "no privilege to access app")
        users = self.corp.admin[app].visible_users
        return {
            "agentid": agentid,
            "name": spec.name,
            "square_logo_url": "",
            "description": "",
            "allow_userinfos": {"user": [{"userid": u} for u in sorted(users or ())]},
            "allow_partys": {"partyid": [1] if users is None else []},
            "allow_tags": {"tagid": []},
            "close": 0,
            "redirect_domain": "",
            "report_location_flag": 0,
            "isreportenter": 0,
            "home_url": "",
        }

    def api_get_follow_user_list(self, app: str) -> dict[str, Any]:
        """配置了客户联系功能的成员 (docs 92571), those in the app's visible range: in the
        sandbox every active member has the 客户联系 function."""
        return {"follow_user": [u for u, s in self.corp.staff.items()
                                if s.active and self.corp.visible(app, u)]}

    def api_externalcontact_get(self, query: dict[str, Any]) -> dict[str, Any]:
        c = self.corp.require_customer(query.get("external_userid"))
        if not c.follow:
            raise SandboxError(E.NO_EXTERNAL_RELATION, "no external contact relationship")
        return {
            "external_contact": {
                "external_userid": c.external_userid,
                "name": c.name,
                "type": 1,
                "avatar": c.avatar,
                "gender": c.gender,
                "unionid": c.unionid,
            },
            "follow_user": [
                {
                    "userid": uid,
                    "remark": f.get("remark", ""),
                    "createtime": f["createtime"],
                    "state": f.get("state", ""),
                    "add_way": 1,
                    "remark_mobiles": list(f.get("remark_mobiles") or []),
                    "tags": self.describe_tags(f),
                }
                for uid, f in c.follow.items()
            ],
        }


    def api_remark(self, body: dict[str, Any]) -> dict[str, Any]:
        """修改客户备注信息 (protocol-2.md §3.5): the member's remark (≤20 characters) and
        description (≤150) of a customer they have; not all empty; no callback (an API
        change)."""
        self.corp.require_staff(body.get("userid"))
        customer = self.corp.require_customer(body.get("external_userid"))
        fields = ("remark", "description", "remark_company", "remark_mobiles",
                  "remark_pic_mediaid")
        if not any(body.get(f) not in (None, "") for f in fields):
            raise SandboxError(E.INVALID_PARAM, "remark fields all empty")
        for name, cap in (("remark", 20), ("description", 150), ("remark_company", 20)):
            value = body.get(name)
            if value is not None and (not isinstance(value, str) or len(value) > cap):
                raise SandboxError(E.INVALID_PARAM, f"{name} exceed max length {cap}")
        follow = customer.follow.get(body["userid"])
        if follow is None:
            raise SandboxError(E.NO_EXTERNAL_RELATION, "no external contact relationship")
        for name in ("remark", "description"):
            if body.get(name) is not None:
                follow[name] = body[name]
        mobiles = body.get("remark_mobiles")
        if mobiles is not None:  # overwrites; [""] clears them all
            follow["remark_mobiles"] = [str(m) for m in mobiles if m]
        return {}

    def _settle_holder(self, code: Any) -> None:
        c = self.corp.codes.get(code) if isinstance(code, str) else None
        if c is None or not c.held_until or self.corp.now() < c.held_until:
            return
        if c.holder_delivers and not c.used:
            c.used = True
            t = c.target
            self.corp.deliver(t["external_userid"], "welcome", t["userid"], "welcome",
                              text={"content": "（另一个应用发送的欢迎语）"}, attachments=[])
        c.held_until = 0.0

    def api_send_welcome_msg(self, body: dict[str, Any]) -> dict[str, Any]:
        held = self.corp.codes.get(body.get("welcome_code") or "")
        if held is not None and held.held_until > self.corp.now():
            raise SandboxError(E.WELCOME_CONCURRENT, "welcome msg is being distributed")
        self._settle_holder(body.get("welcome_code"))
        # Unknown or past its 20 s: 41050; already used (a welcome went out): 41051.
        code = self.corp.take_code(
            body.get("welcome_code"), {"contact_welcome"}, E.WELCOME_CODE_INVALID,
            used_errcode=E.WELCOME_CODE_USED,
        )
        text = body.get("text")
        attachments = body.get("attachments") or []
        if not text and not attachments:
            raise SandboxError(E.INVALID_PARAM, "text or attachments required")
        self.corp.media.check_attachments(attachments)
        if text and len(str(text.get("content", "")).encode()) > 4000:
            raise SandboxError(E.CONTENT_TOO_LARGE, "text too long")
        code.used = True
        t = code.target
        self.corp.deliver(
            t["external_userid"],
            "welcome",
            t["userid"],
            "welcome",
            text=text,
            attachments=attachments,
        )
        return {}
