"""微信客服 in the sandbox: accounts, servicers, sessions (states 0–4), sync_msg, sends.

Rules enforced (protocol.md §3): send_msg only in states 0/1 (95018); at most 5 messages
within 48 h of the customer's last message (beyond: send_msg succeeds and a msg_send_fail
event with fail_type 6 — or 4 past 48 h — appears in sync_msg; ``limits.kf_over_limit =
"error"`` answers 95001 instead); welcome_code 20 s and once; state codes 48 h (20 s for the
end code) and only while the session is still in that state; sync_msg cursors, has_more
paging, limit ≤ 1000, the 3-day window, the callback Token (10 min) validated, and messages
sent by the API never returned (origin 3/4/5 only).
"""

from __future__ import annotations

from typing import Any

from bot.protocol import errors as E
from bot.protocol.safexml import build_xml
from sandbox.core import SandboxBase
from sandbox.model import Code, Customer, KfAccount, KfSession, SandboxError


class KfMixin(SandboxBase):
    # -- helpers -----------------------------------------------------------------------------

    def _kf(self, open_kfid: Any) -> KfAccount:
        if not isinstance(open_kfid, str) or not open_kfid:
            raise SandboxError(E.KF_INVALID_OPEN_KFID, "invalid open_kfid")
        kf = self.kf_accounts.get(open_kfid)
        if kf is None:
            raise SandboxError(E.KF_OPEN_KFID_NOT_FOUND, "open_kfid not found")
        return kf

    def _customer(self, external_userid: Any) -> Customer:
        c = self.customers.get(external_userid) if isinstance(external_userid, str) else None
        if c is None:
            raise SandboxError(E.INVALID_EXTERNAL_USERID, "invalid external_userid")
        return c

    def _session(self, open_kfid: str, external_userid: str) -> KfSession:
        key = (open_kfid, external_userid)
        if key not in self.kf_sessions:
            self.kf_sessions[key] = KfSession(open_kfid, external_userid)
        return self.kf_sessions[key]

    def _issue_code(self, kind: str, ttl: float, **target: Any) -> str:
        code = self.new_id("", 43)
        self.codes[code] = Code(code, kind, self.now(), ttl, dict(target))
        return code

    def _take_code(self, code: Any, kinds: set[str], errcode: int) -> Code:
        c = self.codes.get(code) if isinstance(code, str) else None
        if c is None or c.kind not in kinds or c.used or self.now() - c.issued_at > c.ttl:
            raise SandboxError(errcode, "invalid, used or expired code")
        return c

    def _kf_record(
        self,
        open_kfid: str,
        external_userid: str,
        origin: int,
        msgtype: str,
        payload: dict[str, Any],
        servicer: str = "",
    ) -> dict[str, Any]:
        msg: dict[str, Any] = {
            "msgid": self.new_id("", 32),
            "open_kfid": open_kfid,
            "external_userid": external_userid,
            "send_time": int(self.now()),
            "origin": origin,
            "msgtype": msgtype,
            msgtype: payload,
        }
        if servicer:
            msg["servicer_userid"] = servicer
        self.kf_messages[open_kfid].append({"_seq": self.next_seq(), "_at": self.now(), **msg})
        return msg

    def _kf_event(
        self, open_kfid: str, external_userid: str, event: dict[str, Any]
    ) -> dict[str, Any]:
        body = {"open_kfid": open_kfid, "external_userid": external_userid, **event}
        return self._kf_record(open_kfid, external_userid, 4, "event", body)

    def _kf_callback(self, open_kfid: str) -> str:
        token = self.new_id("ENC", 40)
        self.kf_tokens[token] = (open_kfid, self.now() + self.limits.kf_token_ttl)
        plaintext = build_xml(
            {
                "ToUserName": self.corp_id,
                "CreateTime": int(self.now()),
                "MsgType": "event",
                "Event": "kf_msg_or_event",
                "Token": token,
                "OpenKfId": open_kfid,
            }
        )
        self.emit(self.app_for_callbacks(), plaintext, "xml", "kf_msg_or_event")
        return token

    # -- actions (control API / Python) -------------------------------------------------------

    async def customer_says(
        self, open_kfid: str, external_userid: str, text: str, *, menu_id: str | None = None
    ) -> dict[str, Any]:
        """A WeChat customer writes to a kf account (or clicks a menu item, ``menu_id``)."""
        self._kf(open_kfid)
        self._ensure_customer(external_userid)
        s = self._session(open_kfid, external_userid)
        if s.state == 4:
            s.state, s.servicer_userid = 0, ""
        s.last_customer_msg_at = self.now()
        s.sent_since_customer = 0
        payload: dict[str, Any] = {"content": text}
        if menu_id is not None:
            payload["menu_id"] = menu_id
        msg = self._kf_record(open_kfid, external_userid, 3, "text", payload)
        token = self._kf_callback(open_kfid)
        return {"msgid": msg["msgid"], "token": token, "service_state": s.state}

    async def customer_enters(
        self, open_kfid: str, external_userid: str, *, scene: str = "", scene_param: str = ""
    ) -> dict[str, Any]:
        """A customer opens the kf chat → enter_session (with a welcome_code when allowed)."""
        self._kf(open_kfid)
        self._ensure_customer(external_userid)
        s = self._session(open_kfid, external_userid)
        now, window = self.now(), self.limits.kf_window
        recent_welcome = s.last_welcome_at is not None and now - s.last_welcome_at < window
        wrote = s.last_customer_msg_at is not None and now - s.last_customer_msg_at < window
        event: dict[str, Any] = {
            "event_type": "enter_session",
            "scene": scene,
            "scene_param": scene_param,
        }
        if not recent_welcome and not wrote:
            event["welcome_code"] = self._issue_code(
                "kf_welcome",
                self.limits.welcome_ttl,
                open_kfid=open_kfid,
                external_userid=external_userid,
            )
        self._kf_event(open_kfid, external_userid, event)
        token = self._kf_callback(open_kfid)
        return {"welcome_code": event.get("welcome_code"), "token": token}

    async def set_servicer_status(
        self, open_kfid: str, userid: str, receiving: bool
    ) -> dict[str, Any]:
        """A servicer switches 接待中/停止接待 in the client → servicer_status_change."""
        kf = self._kf(open_kfid)
        sv = kf.servicers.get(userid)
        if sv is None:
            raise SandboxError(E.INVALID_PARAM, "not a servicer of this kf account")
        sv.status = 0 if receiving else 1
        self._kf_event(
            open_kfid,
            "",
            {
                "event_type": "servicer_status_change",
                "servicer_userid": userid,
                "status": 1 if receiving else 2,
            },
        )
        return {"token": self._kf_callback(open_kfid)}

    async def servicer_says(
        self, open_kfid: str, external_userid: str, userid: str, text: str
    ) -> dict[str, Any]:
        """A servicer replies from the WeCom client (origin 5). A session not yet with a
        human moves to 3 (session_status_change: 1 taken from the queue, 4 re-engaged)."""
        kf = self._kf(open_kfid)
        if userid not in kf.servicers:
            raise SandboxError(E.INVALID_PARAM, "not a servicer of this kf account")
        self._customer(external_userid)
        s = self._session(open_kfid, external_userid)
        if s.state != 3 or s.servicer_userid != userid:
            change = 4 if s.state == 4 else 1 if s.state == 2 else 2
            self._session_change(s, 3, change, userid)
        msg = self._kf_record(open_kfid, external_userid, 5, "text", {"content": text}, userid)
        self.deliver(
            external_userid,
            "kf",
            open_kfid,
            "text",
            payload={"content": text},
            msgid=msg["msgid"],
            servicer=userid,
        )
        return {"msgid": msg["msgid"], "token": self._kf_callback(open_kfid)}

    async def servicer_ends_session(self, open_kfid: str, external_userid: str) -> dict[str, Any]:
        """The servicer ends the session in the client → state 4, session_status_change 3
        with an end-message msg_code (20 s)."""
        self._kf(open_kfid)
        s = self._session(open_kfid, self._customer(external_userid).external_userid)
        if s.state == 4:
            raise SandboxError(E.KF_BAD_TRANSITION, "the session has already ended")
        code = self._session_change(s, 4, 3, "")
        return {"msg_code": code, "token": self._kf_callback(open_kfid)}

    def _session_change(self, s: KfSession, state: int, change: int, servicer: str) -> str:
        ttl = self.limits.welcome_ttl if state == 4 else self.limits.kf_state_code_ttl
        code = self._issue_code(
            "kf_state",
            ttl,
            open_kfid=s.open_kfid,
            external_userid=s.external_userid,
            state=state,
        )
        event = {
            "event_type": "session_status_change",
            "change_type": change,
            "old_servicer_userid": s.servicer_userid,
            "new_servicer_userid": servicer,
            "msg_code": code,
        }
        s.state, s.servicer_userid = state, servicer
        self._kf_event(s.open_kfid, s.external_userid, event)
        return code

    def _ensure_customer(self, external_userid: str) -> Customer:
        c = self.customers.get(external_userid)
        if c is None:
            c = Customer(external_userid, f"微信用户{len(self.customers) + 1}")
            self.customers[external_userid] = c
        return c
