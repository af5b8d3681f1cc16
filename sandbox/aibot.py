"""The AI bot (智能机器人, API mode) in the sandbox: mentions → JSON callbacks, the passive reply
checked as WeCom takes it, the one-use response_url (protocol.md §6).

Rules: a user has at most 3 messages being answered by the bot at once (docs 100719); a
message is being answered until its passive reply finishes the stream (or is a template
card), its response_url is used, or 6 minutes have passed (stream refreshes stop then). A
4th mention meanwhile never reaches the service: the sandbox refuses it (WeCom's client
behaviour for it is not published). A stream's content is at most 20,480 bytes; a passive
reply that breaks the rules is not shown (``aibot_rejected`` in the chat's inbox).
"""

from __future__ import annotations

import json
from typing import Any

from bot.protocol import errors as E
from sandbox.corp import Corp
from sandbox.model import SandboxError

MAX_IN_FLIGHT = 3
STREAM_MAX_BYTES = 20_480
ANSWER_WINDOW = 6 * 60.0
# What a passive reply to a message may be (docs 101031); text is the enter_chat welcome's.
_MESSAGE_REPLIES = {"stream", "template_card", "stream_with_template_card"}


class AiBot:
    def __init__(self, corp: Corp) -> None:
        self.corp = corp
        # (app, userid) → msgid → when the message was sent, while it is being answered
        self.in_flight: dict[tuple[str, str], dict[str, float]] = {}

    def _open(self, app: str, userid: str) -> dict[str, float]:
        now = self.corp.now()
        open_ = self.in_flight.setdefault((app, userid), {})
        for msgid in [m for m, at in open_.items() if now - at >= ANSWER_WINDOW]:
            del open_[msgid]
        return open_

    def _answered(self, app: str, userid: str, msgid: str) -> None:
        self.in_flight.get((app, userid), {}).pop(msgid, None)

    async def staff_mentions_aibot(
        self, userid: str, text: str, *, chatid: str | None = None, app: str | None = None
    ) -> dict[str, Any]:
        """A staff member @-mentions the AI bot in an internal group (or writes 1:1 without
        ``chatid``) → the aibot JSON callback with a one-use response_url (1 h)."""
        self.corp.require_staff(userid)
        cfg = self.corp.apps[app] if app else self.corp.app_for_callbacks("aibot")
        open_ = self._open(cfg.name, userid)
        if len(open_) >= MAX_IN_FLIGHT:
            raise SandboxError(E.INVALID_PARAM, f"{MAX_IN_FLIGHT} messages of this user are "
                               "still being answered by the bot")
        where = chatid or userid
        msgid = self.corp.new_id("", 24)
        code = self.corp.issue_code("aibot_response", self.corp.limits.response_url_ttl,
                                    to=where, app=cfg.name, userid=userid, msgid=msgid)
        base = self.corp.public_base_url
        msg: dict[str, Any] = {
            "msgid": msgid,
            "aibotid": f"aib{cfg.name}",
            "chattype": "group" if chatid else "single",
            "from": {"userid": userid},
            "response_url": f"{base}/cgi-bin/aibot/response?response_code={code}",
            "msgtype": "text",
            "text": {"content": text},
            "create_time": int(self.corp.now()),
        }
        if chatid:
            msg["chatid"] = chatid
        open_[msgid] = self.corp.now()

        def on_reply(reply: str) -> None:
            problem = self._check_reply(reply)
            if problem:
                self.corp.deliver(where, "aibot_rejected", cfg.name, "passive", reply=reply,
                                  reason=problem)
                return
            if _finished(json.loads(reply)):
                self._answered(cfg.name, userid, msgid)
            self.corp.deliver(where, "aibot_reply", cfg.name, "passive", reply=reply)

        self.corp.emit(cfg, json.dumps(msg, ensure_ascii=False), "json", "aibot_text", on_reply)
        return {"msgid": msgid, "response_url": msg["response_url"]}

    @staticmethod
    def _check_reply(reply: str) -> str | None:
        """Why WeCom would not show this passive reply to a message; None when it would."""
        try:
            body = json.loads(reply)
        except ValueError:
            return "not JSON"
        msgtype = body.get("msgtype") if isinstance(body, dict) else None
        if msgtype not in _MESSAGE_REPLIES:
            return f"msgtype {msgtype!r} cannot answer a message"
        stream = body.get("stream")
        if msgtype != "template_card" and not isinstance(stream, dict):
            return "stream missing"
        if isinstance(stream, dict):
            content = stream.get("content", "")
            if not isinstance(content, str):
                return "stream content is not a string"
            if len(content.encode("utf-8")) > STREAM_MAX_BYTES:
                return f"stream content over {STREAM_MAX_BYTES} bytes"
        return None

    def api_aibot_response(self, response_code: Any, body: dict[str, Any]) -> dict[str, Any]:
        code = self.corp.take_code(response_code, {"aibot_response"}, E.INVALID_PARAM)
        msgtype = body.get("msgtype")
        if msgtype not in ("markdown", "template_card") or not isinstance(body.get(msgtype), dict):
            raise SandboxError(E.INVALID_PARAM, "msgtype must be markdown or template_card")
        code.used = True
        t = code.target
        self._answered(t["app"], t["userid"], t["msgid"])
        self.corp.deliver(t["to"], "aibot", "aibot", str(msgtype), payload=body[msgtype])
        return {}


def _finished(body: dict[str, Any]) -> bool:
    """A template card answers at once; a stream once it is sent with finish=true."""
    stream = body.get("stream")
    return body.get("msgtype") == "template_card" or (
        isinstance(stream, dict) and stream.get("finish") is True)
