"""微信客服 API of the sandbox (the rules are listed in ``kf_sessions.py``)."""

from __future__ import annotations

import bisect
import re
from typing import Any

from bot.protocol import errors as E
from bot.protocol import text_limits as L
from sandbox.corp import Corp
from sandbox.customer_groups import CustomerGroups
from sandbox.kf_sessions import KfSessions
from sandbox.model import SandboxError

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


class KfEndpoints:
    """The /cgi-bin/kf/ handlers. They read the customer groups only to check 升级服务's
    group targets."""

    def __init__(self, corp: Corp, kf: KfSessions, customer_groups: CustomerGroups) -> None:
        self.corp = corp
        self.kf = kf
        self.customer_groups = customer_groups
        self.msgids: set[tuple[str, str]] = set()  # (open_kfid, msgid) the caller chose

    def account_list(self, body: dict[str, Any]) -> dict[str, Any]:
        offset, limit = int(body.get("offset", 0)), int(body.get("limit", 100))
        if offset < 0 or not 1 <= limit <= 100:
            raise SandboxError(E.INVALID_PARAM, "limit must be 1..100")
        accounts = list(self.kf.accounts.values())[offset : offset + limit]
        return {
            "account_list": [
                {"open_kfid": k.open_kfid, "name": k.name, "avatar": "",
                 "manage_privilege": k.manage_privilege}
                for k in accounts
            ]
        }

    def servicer_list(self, query: dict[str, Any]) -> dict[str, Any]:
        kf = self.kf.account(query.get("open_kfid"))
        return {
            "servicer_list": [
                {"userid": s.userid, "status": s.status, "stop_type": s.stop_type}
                for s in kf.servicers.values()
            ]
        }

    def sync_msg(self, body: dict[str, Any]) -> dict[str, Any]:
        open_kfid = self.kf.account(body.get("open_kfid")).open_kfid
        token = body.get("token")
        if token:
            item = self.kf.tokens.get(token)
            if item is None or item[0] != open_kfid or item[1] <= self.corp.now():
                raise SandboxError(E.KF_INVALID_MSG_TOKEN, "invalid or expired token")
        elif (
            self.corp.count(f"kf-tokenless:{open_kfid}", 60.0)
            > self.corp.limits.kf_tokenless_per_minute
        ):
            raise SandboxError(E.FREQ_LIMIT, "sync_msg without token: api freq out of limit")
        limit = body.get("limit", 1000)
        if not isinstance(limit, int) or not 1 <= limit <= 1000:
            raise SandboxError(E.INVALID_PARAM, "limit must be 1..1000")
        after = self._decode_cursor(body.get("cursor") or "")
        oldest = self.corp.now() - self.corp.limits.kf_history
        # An account's messages are appended in seq order: only those past the cursor are
        # looked at (a scan of the whole history on every pull made a long run quadratic).
        history = self.kf.messages[open_kfid]
        start = bisect.bisect_right(history, after, key=lambda m: m["_seq"])
        pending = [m for m in history[start:] if m["_at"] >= oldest]
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
        payload = dict(body[msgtype])
        if msgtype == "text":
            _check_size(payload.get("content"), L.KF_TEXT)
        elif msgtype == "msgmenu":
            _check_menu(payload)
        return str(msgtype), payload

    def _msgid(self, open_kfid: str, given: Any) -> str:
        if given is None:
            return self.corp.new_id("", 32)
        if not isinstance(given, str) or not _MSGID_RE.match(given):
            raise SandboxError(E.INVALID_PARAM, "invalid msgid")
        if (open_kfid, given) in self.msgids:
            raise SandboxError(self.corp.limits.kf_duplicate_msgid_errcode, "msgid duplicate")
        self.msgids.add((open_kfid, given))
        return given

    def send_msg(self, body: dict[str, Any]) -> dict[str, Any]:
        kf = self.kf.account(body.get("open_kfid"))
        customer = self.corp.require_customer(body.get("touser"))
        msgtype, payload = self._check_payload(body, _SEND_TYPES)
        self.corp.media.check_kf(msgtype, payload)
        s = self.kf.session(kf.open_kfid, customer.external_userid)
        if s.state not in (0, 1):
            raise SandboxError(E.KF_SESSION_STATE_INVALID, "send msg session status invalid")
        now, limits = self.corp.now(), self.corp.limits
        fail_type = 0
        if s.last_customer_msg_at is None or now - s.last_customer_msg_at > limits.kf_window:
            fail_type = 4
        elif s.sent_since_customer >= limits.kf_max_sends:
            if limits.kf_over_limit == "error":
                raise SandboxError(E.KF_OVER_SEND_LIMIT, "send msg count exceeds limit")
            fail_type = 6
        msgid = self._msgid(kf.open_kfid, body.get("msgid"))
        if fail_type:
            self.kf.event(
                kf.open_kfid,
                customer.external_userid,
                {"event_type": "msg_send_fail", "fail_msgid": msgid, "fail_type": fail_type},
            )
            self.kf.callback(kf.open_kfid)
        else:
            s.sent_since_customer += 1
            s.last_sent_at = now
            self.corp.deliver(
                customer.external_userid, "kf", kf.open_kfid, msgtype, payload=payload, msgid=msgid
            )
        return {"msgid": msgid}

    def send_msg_on_event(self, body: dict[str, Any]) -> dict[str, Any]:
        code = self.corp.take_code(
            body.get("code"), {"kf_welcome", "kf_state"}, E.KF_INVALID_MSG_CODE
        )
        t = code.target
        allowed = (
            {"text", "msgmenu"} if code.kind == "kf_welcome" or t.get("state") == 4 else {"text"}
        )
        msgtype, payload = self._check_payload(body, allowed)
        s = self.kf.session(t["open_kfid"], t["external_userid"])
        if code.kind == "kf_state" and s.state != t["state"]:
            raise SandboxError(E.KF_INVALID_MSG_CODE, "session is no longer in that state")
        msgid = self._msgid(t["open_kfid"], body.get("msgid"))
        code.used = True
        s.last_sent_at = self.corp.now()
        if code.kind == "kf_welcome":
            s.last_welcome_at = self.corp.now()
        self.corp.deliver(
            t["external_userid"],
            "kf",
            t["open_kfid"],
            msgtype,
            payload=payload,
            msgid=msgid,
            on_event=code.kind,
        )
        return {"msgid": msgid}

    def service_state_get(self, body: dict[str, Any]) -> dict[str, Any]:
        kf = self.kf.account(body.get("open_kfid"))
        customer = self.corp.require_customer(body.get("external_userid"))
        s = self.kf.session(kf.open_kfid, customer.external_userid)
        out: dict[str, Any] = {"service_state": s.state}
        if s.state == 3:
            out["servicer_userid"] = s.servicer_userid
        return out

    def service_state_trans(self, body: dict[str, Any]) -> dict[str, Any]:
        kf = self.kf.account(body.get("open_kfid"))
        customer = self.corp.require_customer(body.get("external_userid"))
        s = self.kf.session(kf.open_kfid, customer.external_userid)
        target = body.get("service_state")
        if target not in (0, 1, 2, 3, 4):
            raise SandboxError(E.INVALID_PARAM, "invalid service_state")
        if target not in _TRANSITIONS[s.state]:
            raise SandboxError(E.KF_BAD_TRANSITION, f"cannot change state {s.state} to {target}")
        servicer = body.get("servicer_userid") or ""
        if target == 3:
            sv = kf.servicers.get(servicer)
            staff = self.corp.staff.get(servicer)
            if sv is None or sv.status != 0 or staff is None or not staff.active:
                raise SandboxError(E.KF_SERVICER_INACTIVE, "servicer not receiving or inactive")
        old = s.state
        s.state = target
        s.servicer_userid = servicer if target == 3 else ""
        out: dict[str, Any] = {}
        if (target in (2, 3) and old in (0, 1, 2) and old != target) or target == 4:
            limits = self.corp.limits
            ttl = limits.kf_end_code_ttl if target == 4 else limits.kf_state_code_ttl
            out["msg_code"] = self.corp.issue_code(
                "kf_state",
                ttl,
                open_kfid=kf.open_kfid,
                external_userid=customer.external_userid,
                state=target,
            )
        return out

    def customer_batchget(self, body: dict[str, Any]) -> dict[str, Any]:
        ids = body.get("external_userid_list")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise SandboxError(E.INVALID_PARAM, "external_userid_list must have 1..100 ids")
        found = [self.corp.customers[i] for i in ids if i in self.corp.customers]
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
            "invalid_external_userid": [i for i in ids if i not in self.corp.customers],
        }

    def upgrade_service(self, body: dict[str, Any]) -> dict[str, Any]:
        kf = self.kf.account(body.get("open_kfid"))
        customer = self.corp.require_customer(body.get("external_userid"))
        kind = body.get("type")
        if kind == 1:
            userid = (body.get("member") or {}).get("userid")
            ok = userid in self.corp.staff and (
                kf.upgrade_members is None or userid in kf.upgrade_members
            )
            target = {"member": body.get("member")}
        elif kind == 2:
            chat_id = (body.get("groupchat") or {}).get("chat_id")
            ok = chat_id in self.customer_groups.groups and (
                kf.upgrade_groups is None or chat_id in kf.upgrade_groups
            )
            target = {"groupchat": body.get("groupchat")}
        else:
            raise SandboxError(E.INVALID_PARAM, "type must be 1 or 2")
        if not ok:
            raise SandboxError(E.KF_UPGRADE_NOT_CONFIGURED, "upgrade service target not configured")
        self.corp.deliver(
            customer.external_userid,
            "kf_upgrade",
            kf.open_kfid,
            "upgrade_service",
            payload={"type": kind, **target},
        )
        return {}


def _check_size(text: Any, limit: int) -> None:
    """kf text fields are limited in bytes (protocol-2.md §4.5, §6.3). What WeCom answers
    for an over-long one is not published: 45002 is the sandbox's choice (the code and errmsg
    WeChat's own kf API gives), and the sandbox never cuts the text to let it through."""
    if not isinstance(text, str):
        raise SandboxError(E.INVALID_PARAM, "content must be a string")
    if L.size(text) > limit:
        raise SandboxError(E.CONTENT_TOO_LARGE, "content size out of limit")


def _check_menu(menu: dict[str, Any]) -> None:
    for part in ("head_content", "tail_content"):
        if part in menu:
            _check_size(menu[part], L.KF_MENU_HEAD_TAIL)
    items = menu.get("list") or []
    if not isinstance(items, list):
        raise SandboxError(E.INVALID_PARAM, "list must be an array")
    if len(items) > L.KF_MENU_ITEMS:
        raise SandboxError(E.KF_MENU_TOO_MANY, "menu item count exceeds limit")
    for item in items:
        kind = item.get("type") if isinstance(item, dict) else None
        if kind not in ("click", "view", "miniprogram", "text") \
                or not isinstance(item.get(kind), dict):
            raise SandboxError(E.KF_MENU_BAD_ITEM, "invalid menu item type")
        if kind == "click":
            _check_size(item["click"].get("content"), L.KF_MENU_CLICK)
            if L.size(str(item["click"].get("id") or "")) > L.KF_MENU_CLICK_ID:
                raise SandboxError(E.INVALID_PARAM, "menu id exceeds max length")
        elif kind in ("view", "miniprogram"):
            _check_size(item[kind].get("content"), L.KF_MENU_OTHER)
