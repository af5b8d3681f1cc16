"""微信客服 in the sandbox: accounts, servicers, sessions (states 0–4), the message log, and
what customers and servicers do; ``kf_endpoints.py`` serves the kf API on top of it.

Rules enforced (protocol.md §3): send_msg only in states 0/1 (95018); at most 5 messages
within 48 h of the customer's last message (beyond: send_msg succeeds and a msg_send_fail
event with fail_type 6 — or 4 past 48 h — appears in sync_msg; ``limits.kf_over_limit =
"error"`` answers 95001 instead); welcome_code 20 s and once, issued only when the customer
neither wrote nor received anything from the account in 48 h and the console has no welcome
of its own; state codes 48 h (the session end's code 20 s, its 20th second excluded), one
message each, and only while the session is still in that state; text over 2048 bytes, a
menu head/tail over 1024 bytes refused (45002), a menu of more than 10 items 95008, never
cut to fit; sync_msg cursors, has_more paging, limit ≤ 1000, the 3-day window, the callback
Token (10 min) validated, and messages sent by the API never returned (origin 3/4/5 only).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from bot.protocol import errors as E
from sandbox.corp import Corp
from sandbox.model import KfAccount, KfSession, SandboxError


class KfSessions:
    """Accounts, servicers, sessions and the message log that sync_msg reads; the
    customers' and servicers' own actions. The API on top of it is ``KfEndpoints``."""

    def __init__(self, corp: Corp) -> None:
        self.corp = corp
        self.accounts: dict[str, KfAccount] = {}
        self.sessions: dict[tuple[str, str], KfSession] = {}
        self.messages: dict[str, list[dict[str, Any]]] = defaultdict(list)  # by open_kfid
        self.tokens: dict[str, tuple[str, float]] = {}  # callback Token → (open_kfid, expires)

    # -- helpers -----------------------------------------------------------------------------

    def account(self, open_kfid: Any) -> KfAccount:
        if not isinstance(open_kfid, str) or not open_kfid:
            raise SandboxError(E.KF_INVALID_OPEN_KFID, "invalid open_kfid")
        kf = self.accounts.get(open_kfid)
        if kf is None:
            raise SandboxError(E.KF_OPEN_KFID_NOT_FOUND, "open_kfid not found")
        return kf

    def session(self, open_kfid: str, external_userid: str) -> KfSession:
        key = (open_kfid, external_userid)
        if key not in self.sessions:
            self.sessions[key] = KfSession(open_kfid, external_userid)
        return self.sessions[key]

    def record(
        self,
        open_kfid: str,
        external_userid: str,
        origin: int,
        msgtype: str,
        payload: dict[str, Any],
        servicer: str = "",
    ) -> dict[str, Any]:
        msg: dict[str, Any] = {
            "msgid": self.corp.new_id("", 32),
            "open_kfid": open_kfid,
            "external_userid": external_userid,
            "send_time": int(self.corp.now()),
            "origin": origin,
            "msgtype": msgtype,
            msgtype: payload,
        }
        if servicer:
            msg["servicer_userid"] = servicer
        entry = {"_seq": self.corp.next_seq(), "_at": self.corp.now(), **msg}
        self.messages[open_kfid].append(entry)
        return msg

    def event(self, open_kfid: str, external_userid: str, event: dict[str, Any]) -> dict[str, Any]:
        body = {"open_kfid": open_kfid, "external_userid": external_userid, **event}
        return self.record(open_kfid, external_userid, 4, "event", body)

    def callback(self, open_kfid: str) -> str:
        """The kf_msg_or_event callback with a fresh Token that sync_msg accepts for 10 min."""
        token = self.corp.new_id("ENC", 40)
        self.tokens[token] = (open_kfid, self.corp.now() + self.corp.limits.kf_token_ttl)
        fields = {
            "ToUserName": self.corp.corp_id,
            "CreateTime": int(self.corp.now()),
            "MsgType": "event",
            "Event": "kf_msg_or_event",
            "Token": token,
            "OpenKfId": open_kfid,
        }
        self.corp.emit_app(self.corp.app_for_callbacks(), fields, "kf_msg_or_event")
        return token

    # -- actions (control API / Python) -------------------------------------------------------

    async def customer_says(
        self, open_kfid: str, external_userid: str, text: str, *, menu_id: str | None = None
    ) -> dict[str, Any]:
        """A WeChat customer writes to a kf account (or clicks a menu item, ``menu_id``)."""
        self.account(open_kfid)
        self.corp.ensure_customer(external_userid)
        s = self.session(open_kfid, external_userid)
        if s.state == 4:
            s.state, s.servicer_userid = 0, ""
        s.last_customer_msg_at = self.corp.now()
        s.sent_since_customer = 0
        payload: dict[str, Any] = {"content": text}
        if menu_id is not None:
            payload["menu_id"] = menu_id
        msg = self.record(open_kfid, external_userid, 3, "text", payload)
        token = self.callback(open_kfid)
        return {"msgid": msg["msgid"], "token": token, "service_state": s.state}

    async def customer_clicks(
        self, open_kfid: str, external_userid: str, menu_id: str
    ) -> dict[str, Any]:
        """A WeChat customer taps a click item of a menu this kf account sent them: only an
        item they really received, and it arrives as WeCom sends it, a text message of the
        item's words with its ``menu_id``."""
        for m in reversed(self.corp.inbox(external_userid)):
            if m["channel"] != "kf" or m["from"] != open_kfid or m["msgtype"] != "msgmenu":
                continue
            for item in (m.get("payload") or {}).get("list") or []:
                click = item.get("click") if item.get("type") == "click" else None
                if click and click.get("id") == menu_id:
                    return await self.customer_says(open_kfid, external_userid,
                                                    str(click.get("content", "")),
                                                    menu_id=menu_id)
        raise SandboxError(E.INVALID_PARAM, f"the customer got no menu item {menu_id!r}")

    async def customer_enters(
        self, open_kfid: str, external_userid: str, *, scene: str = "", scene_param: str = ""
    ) -> dict[str, Any]:
        """A customer opens the kf chat → enter_session (with a welcome_code when allowed)."""
        self.account(open_kfid)
        self.corp.ensure_customer(external_userid)
        s = self.session(open_kfid, external_userid)
        now, window = self.corp.now(), self.corp.limits.kf_window

        def within(at: float | None) -> bool:
            return at is not None and now - at < window

        # The strictest reading of the docs (protocol.md §3.1, protocol-2.md §6.3): no code
        # after a welcome or any message to the customer in 48 h, after the customer wrote,
        # or when the console has a welcome of its own.
        allowed = not (within(s.last_welcome_at) or within(s.last_sent_at)
                       or within(s.last_customer_msg_at) or self.account(open_kfid).console_welcome)
        event: dict[str, Any] = {
            "event_type": "enter_session",
            "scene": scene,
            "scene_param": scene_param,
        }
        if allowed:
            event["welcome_code"] = self.corp.issue_code(
                "kf_welcome",
                self.corp.limits.welcome_ttl,
                open_kfid=open_kfid,
                external_userid=external_userid,
            )
        self.event(open_kfid, external_userid, event)
        token = self.callback(open_kfid)
        return {"welcome_code": event.get("welcome_code"), "token": token}

    async def set_servicer_status(
        self, open_kfid: str, userid: str, receiving: bool
    ) -> dict[str, Any]:
        """A servicer switches 接待中/停止接待 in the client → servicer_status_change."""
        kf = self.account(open_kfid)
        sv = kf.servicers.get(userid)
        if sv is None:
            raise SandboxError(E.INVALID_PARAM, "not a servicer of this kf account")
        sv.status = 0 if receiving else 1
        self.event(
            open_kfid,
            "",
            {
                "event_type": "servicer_status_change",
                "servicer_userid": userid,
                "status": 1 if receiving else 2,
            },
        )
        return {"token": self.callback(open_kfid)}

    async def servicer_says(
        self, open_kfid: str, external_userid: str, userid: str, text: str
    ) -> dict[str, Any]:
        """A servicer replies from the WeCom client (origin 5). A session not yet with a
        human moves to 3 (session_status_change: 1 taken from the queue, 4 re-engaged)."""
        kf = self.account(open_kfid)
        if userid not in kf.servicers:
            raise SandboxError(E.INVALID_PARAM, "not a servicer of this kf account")
        self.corp.require_customer(external_userid)
        s = self.session(open_kfid, external_userid)
        if s.state != 3 or s.servicer_userid != userid:
            change = 4 if s.state == 4 else 1 if s.state == 2 else 2
            self.session_change(s, 3, change, userid)
        msg = self.record(open_kfid, external_userid, 5, "text", {"content": text}, userid)
        s.last_sent_at = self.corp.now()
        self.corp.deliver(
            external_userid,
            "kf",
            open_kfid,
            "text",
            payload={"content": text},
            msgid=msg["msgid"],
            servicer=userid,
        )
        return {"msgid": msg["msgid"], "token": self.callback(open_kfid)}

    async def servicer_ends_session(self, open_kfid: str, external_userid: str) -> dict[str, Any]:
        """The servicer ends the session in the client → state 4, session_status_change 3
        with an end-message msg_code (20 s)."""
        self.account(open_kfid)
        s = self.session(open_kfid, self.corp.require_customer(external_userid).external_userid)
        if s.state == 4:
            raise SandboxError(E.KF_BAD_TRANSITION, "the session has already ended")
        code = self.session_change(s, 4, 3, "")
        return {"msg_code": code, "token": self.callback(open_kfid)}

    def session_change(self, s: KfSession, state: int, change: int, servicer: str) -> str:
        ttl = self.corp.limits.kf_end_code_ttl if state == 4 \
            else self.corp.limits.kf_state_code_ttl
        code = self.corp.issue_code(
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
        self.event(s.open_kfid, s.external_userid, event)
        return code

