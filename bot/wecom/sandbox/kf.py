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

import re
from typing import Any

from bot.safexml import build_xml
from bot.wecom import errors as E
from bot.wecom.sandbox.core import SandboxBase
from bot.wecom.sandbox.model import Code, Customer, KfAccount, KfSession, SandboxError

_MSGID_RE = re.compile(r"^[0-9A-Za-z_-]{1,32}$")
_TRANSITIONS = {0: {1, 2, 3, 4}, 1: {2, 3, 4}, 2: {3, 4}, 3: {3, 4}, 4: set[int]()}
_SEND_TYPES = {
    "text",
    "image",
    "voice",
    "video",
    "file",
    "link",
    "miniprogram",
    "msgmenu",
    "location",
}
_CURSOR_PREFIX = "4gw"


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

    def _ensure_customer(self, external_userid: str) -> Customer:
        c = self.customers.get(external_userid)
        if c is None:
            c = Customer(external_userid, f"微信用户{len(self.customers) + 1}")
            self.customers[external_userid] = c
        return c

    # -- API ------------------------------------------------------------------------------------

    def api_kf_account_list(self, body: dict[str, Any]) -> dict[str, Any]:
        offset, limit = int(body.get("offset", 0)), int(body.get("limit", 100))
        if offset < 0 or not 1 <= limit <= 100:
            raise SandboxError(E.INVALID_PARAM, "limit must be 1..100")
        accounts = list(self.kf_accounts.values())[offset : offset + limit]
        return {
            "account_list": [
                {"open_kfid": k.open_kfid, "name": k.name, "avatar": "", "manage_privilege": True}
                for k in accounts
            ]
        }

    def api_kf_servicer_list(self, query: dict[str, Any]) -> dict[str, Any]:
        kf = self._kf(query.get("open_kfid"))
        return {
            "servicer_list": [
                {"userid": s.userid, "status": s.status, "stop_type": s.stop_type}
                for s in kf.servicers.values()
            ]
        }

    def api_kf_sync_msg(self, body: dict[str, Any]) -> dict[str, Any]:
        open_kfid = self._kf(body.get("open_kfid")).open_kfid
        token = body.get("token")
        if token:
            item = self.kf_tokens.get(token)
            if item is None or item[0] != open_kfid or item[1] <= self.now():
                raise SandboxError(E.KF_INVALID_MSG_TOKEN, "invalid or expired token")
        elif self.count(f"kf-tokenless:{open_kfid}", 60.0) > self.limits.kf_tokenless_per_minute:
            raise SandboxError(E.FREQ_LIMIT, "sync_msg without token: api freq out of limit")
        limit = body.get("limit", 1000)
        if not isinstance(limit, int) or not 1 <= limit <= 1000:
            raise SandboxError(E.INVALID_PARAM, "limit must be 1..1000")
        after = self._decode_cursor(body.get("cursor") or "")
        oldest = self.now() - self.limits.kf_history
        pending = [
            m for m in self.kf_messages[open_kfid] if m["_seq"] > after and m["_at"] >= oldest
        ]
        page = pending[:limit]
        last = page[-1]["_seq"] if page else after
        return {
            "next_cursor": self._encode_cursor(last),
            "has_more": int(len(pending) > limit),
            "msg_list": [{k: v for k, v in m.items() if not k.startswith("_")} for m in page],
        }

    @staticmethod
    def _encode_cursor(seq: int) -> str:
        return f"{_CURSOR_PREFIX}{seq:010x}" if seq else ""

    @staticmethod
    def _decode_cursor(cursor: Any) -> int:
        if cursor == "":
            return 0
        if not isinstance(cursor, str) or not cursor.startswith(_CURSOR_PREFIX):
            raise SandboxError(E.INVALID_PARAM, "invalid cursor")
        try:
            return int(cursor[len(_CURSOR_PREFIX) :], 16)
        except ValueError:
            raise SandboxError(E.INVALID_PARAM, "invalid cursor") from None

    def _check_payload(self, body: dict[str, Any], allowed: set[str]) -> tuple[str, dict[str, Any]]:
        msgtype = body.get("msgtype")
        if msgtype not in allowed or not isinstance(body.get(msgtype), dict):
            raise SandboxError(E.INVALID_PARAM, "invalid msgtype or missing payload")
        return str(msgtype), dict(body[msgtype])

    def _msgid(self, open_kfid: str, given: Any) -> str:
        if given is None:
            return self.new_id("", 32)
        if not isinstance(given, str) or not _MSGID_RE.match(given):
            raise SandboxError(E.INVALID_PARAM, "invalid msgid")
        if (open_kfid, given) in self.kf_msgids:
            raise SandboxError(E.INVALID_PARAM, "msgid duplicate")
        self.kf_msgids.add((open_kfid, given))
        return given

    def api_kf_send_msg(self, body: dict[str, Any]) -> dict[str, Any]:
        kf = self._kf(body.get("open_kfid"))
        customer = self._customer(body.get("touser"))
        msgtype, payload = self._check_payload(body, _SEND_TYPES)
        s = self._session(kf.open_kfid, customer.external_userid)
        if s.state not in (0, 1):
            raise SandboxError(E.KF_SESSION_STATE_INVALID, "send msg session status invalid")
        now = self.now()
        fail_type = 0
        if s.last_customer_msg_at is None or now - s.last_customer_msg_at > self.limits.kf_window:
            fail_type = 4
        elif s.sent_since_customer >= self.limits.kf_max_sends:
            if self.limits.kf_over_limit == "error":
                raise SandboxError(E.KF_OVER_SEND_LIMIT, "send msg count exceeds limit")
            fail_type = 6
        msgid = self._msgid(kf.open_kfid, body.get("msgid"))
        if fail_type:
            self._kf_event(
                kf.open_kfid,
                customer.external_userid,
                {"event_type": "msg_send_fail", "fail_msgid": msgid, "fail_type": fail_type},
            )
            self._kf_callback(kf.open_kfid)
        else:
            s.sent_since_customer += 1
            self.deliver(
                customer.external_userid, "kf", kf.open_kfid, msgtype, payload=payload, msgid=msgid
            )
        return {"msgid": msgid}

    def api_kf_send_msg_on_event(self, body: dict[str, Any]) -> dict[str, Any]:
        code = self._take_code(body.get("code"), {"kf_welcome", "kf_state"}, E.KF_INVALID_MSG_CODE)
        t = code.target
        allowed = (
            {"text", "msgmenu"} if code.kind == "kf_welcome" or t.get("state") == 4 else {"text"}
        )
        msgtype, payload = self._check_payload(body, allowed)
        s = self._session(t["open_kfid"], t["external_userid"])
        if code.kind == "kf_state" and s.state != t["state"]:
            raise SandboxError(E.KF_INVALID_MSG_CODE, "session is no longer in that state")
        msgid = self._msgid(t["open_kfid"], body.get("msgid"))
        code.used = True
        if code.kind == "kf_welcome":
            s.last_welcome_at = self.now()
        self.deliver(
            t["external_userid"],
            "kf",
            t["open_kfid"],
            msgtype,
            payload=payload,
            msgid=msgid,
            on_event=code.kind,
        )
        return {"msgid": msgid}

    def api_kf_state_get(self, body: dict[str, Any]) -> dict[str, Any]:
        kf = self._kf(body.get("open_kfid"))
        customer = self._customer(body.get("external_userid"))
        s = self._session(kf.open_kfid, customer.external_userid)
        out: dict[str, Any] = {"service_state": s.state}
        if s.state == 3:
            out["servicer_userid"] = s.servicer_userid
        return out

    def api_kf_state_trans(self, body: dict[str, Any]) -> dict[str, Any]:
        kf = self._kf(body.get("open_kfid"))
        customer = self._customer(body.get("external_userid"))
        s = self._session(kf.open_kfid, customer.external_userid)
        target = body.get("service_state")
        if target not in (0, 1, 2, 3, 4):
            raise SandboxError(E.INVALID_PARAM, "invalid service_state")
        if target not in _TRANSITIONS[s.state]:
            raise SandboxError(E.KF_BAD_TRANSITION, f"cannot change state {s.state} to {target}")
        servicer = body.get("servicer_userid") or ""
        if target == 3:
            sv = kf.servicers.get(servicer)
            staff = self.staff.get(servicer)
            if sv is None or sv.status != 0 or staff is None or not staff.active:
                raise SandboxError(E.KF_SERVICER_INACTIVE, "servicer not receiving or inactive")
        old = s.state
        s.state = target
        s.servicer_userid = servicer if target == 3 else ""
        out: dict[str, Any] = {}
        if (target in (2, 3) and old in (0, 1, 2) and old != target) or target == 4:
            ttl = self.limits.welcome_ttl if target == 4 else self.limits.kf_state_code_ttl
            out["msg_code"] = self._issue_code(
                "kf_state",
                ttl,
                open_kfid=kf.open_kfid,
                external_userid=customer.external_userid,
                state=target,
            )
        return out

    def api_kf_customer_batchget(self, body: dict[str, Any]) -> dict[str, Any]:
        ids = body.get("external_userid_list")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise SandboxError(E.INVALID_PARAM, "external_userid_list must have 1..100 ids")
        found = [self.customers[i] for i in ids if i in self.customers]
        return {
            "customer_list": [
                {
                    "external_userid": c.external_userid,
                    "nickname": c.name,
                    "avatar": c.avatar,
                    "gender": c.gender,
                    "unionid": c.unionid,
                }
                for c in found
            ],
            "invalid_external_userid": [i for i in ids if i not in self.customers],
        }

    def api_kf_upgrade_service(self, body: dict[str, Any]) -> dict[str, Any]:
        kf = self._kf(body.get("open_kfid"))
        customer = self._customer(body.get("external_userid"))
        kind = body.get("type")
        if kind == 1:
            userid = (body.get("member") or {}).get("userid")
            ok = userid in self.staff and (
                kf.upgrade_members is None or userid in kf.upgrade_members
            )
            target = {"member": body.get("member")}
        elif kind == 2:
            chat_id = (body.get("groupchat") or {}).get("chat_id")
            ok = chat_id in self.groups and (
                kf.upgrade_groups is None or chat_id in kf.upgrade_groups
            )
            target = {"groupchat": body.get("groupchat")}
        else:
            raise SandboxError(E.INVALID_PARAM, "type must be 1 or 2")
        if not ok:
            raise SandboxError(E.KF_UPGRADE_NOT_CONFIGURED, "upgrade service target not configured")
        self.deliver(
            customer.external_userid,
            "kf_upgrade",
            kf.open_kfid,
            "upgrade_service",
            payload={"type": kind, **target},
        )
        return {}
