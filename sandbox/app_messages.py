"""App messages and media in the sandbox (the AI bot is ``aibot.py``).

message/send keeps every delivered message in the recipient's inbox; each member gets at
most 30 per minute and 1,000 per hour, and WeCom silently drops the excess (docs 90454):
so does the sandbox (the drop is recorded in ``dropped``, not in the inbox).
"""

from __future__ import annotations

import json
from typing import Any

from bot.protocol import errors as E
from sandbox.corp import Corp
from sandbox.model import SandboxError

_APP_TYPES = {
    "text",
    "image",
    "voice",
    "video",
    "file",
    "textcard",
    "news",
    "mpnews",
    "markdown",
    "miniprogram_notice",
    "template_card",
}
_MEDIA_TYPES = {"image", "voice", "video", "file"}
_TEXT_LIMIT = 2048


class AppMessages:
    def __init__(self, corp: Corp) -> None:
        self.corp = corp
        # message/send duplicate check (protocol.md §5.1): content fingerprint → (msgid, until)
        self.sent: dict[str, tuple[str, float]] = {}
        self.dropped: list[dict[str, Any]] = []  # over the per-member limits, never delivered

    # -- actions ---------------------------------------------------------------------------------

    async def staff_says(self, userid: str, text: str, *, app: str | None = None) -> dict[str, Any]:
        """A staff member writes to the app → a text message callback with MsgId. A passive
        reply from the service lands in the member's inbox (channel ``app_reply``)."""
        self.corp.require_staff(userid)
        cfg = self.corp.apps[app] if app else self.corp.app_for_callbacks()
        msgid = self.corp.rng.randrange(10**18, 2**63)
        fields = {
            "ToUserName": self.corp.corp_id,
            "FromUserName": userid,
            "CreateTime": int(self.corp.now()),
            "MsgType": "text",
            "Content": text,
            "MsgId": msgid,
            "AgentID": cfg.agent_id or 0,
        }

        def on_reply(reply: str) -> None:
            # A passive text is cut past 2048 bytes too, as message/send's is.
            cut = _cut(reply)
            extra = {"truncated": True} if cut != reply else {}
            self.corp.deliver(userid, "app_reply", cfg.name, "passive", reply=cut, **extra)

        self.corp.emit_app(cfg, fields, "app_text", on_reply)
        return {"msgid": str(msgid)}

    async def staff_clicks_card(
        self, userid: str, event_key: str, task_id: str, *, app: str | None = None,
        card_type: str = "button_interaction",
    ) -> dict[str, Any]:
        """A member taps a button of an interactive template card the app sent them →
        a ``template_card_event`` callback (docs 90240) with the button's key."""
        self.corp.require_staff(userid)
        cfg = self.corp.apps[app] if app else self.corp.app_for_callbacks()
        fields = {
            "ToUserName": self.corp.corp_id, "FromUserName": userid,
            "CreateTime": int(self.corp.now()), "MsgType": "event", "Event": "template_card_event",
            "EventKey": event_key, "TaskId": task_id, "CardType": card_type,
            "AgentID": cfg.agent_id or 0,
        }
        self.corp.emit_app(cfg, fields, "template_card_event")
        return {"task_id": task_id}

    # -- API -----------------------------------------------------------------------------------

    def api_message_send(self, app_name: str, body: dict[str, Any]) -> dict[str, Any]:
        app = self.corp.apps[app_name]
        agentid = body.get("agentid")
        if not isinstance(agentid, int):
            raise SandboxError(E.INVALID_AGENTID, "invalid agentid")
        if agentid != app.agent_id:
            # Another app's agentid with this token (docs 90313: 301002).
            raise SandboxError(E.NO_APP_PRIVILEGE, "no privilege to access app")
        msgtype = body.get("msgtype")
        payload = body.get(msgtype) if isinstance(msgtype, str) else None
        if msgtype not in _APP_TYPES or not isinstance(payload, dict):
            raise SandboxError(E.INVALID_PARAM, "invalid msgtype or missing payload")
        truncated = False
        if msgtype == "text" and len(str(payload.get("content", "")).encode()) > _TEXT_LIMIT:
            # WeCom cuts an app text past 2048 bytes and says nothing ("超过将截断", docs
            # 90236): the member gets the head only, marked here so tests can see it.
            payload, truncated = {**payload, "content": _cut(str(payload["content"]))}, True
        if msgtype == "markdown" and len(str(payload.get("content", "")).encode()) > _TEXT_LIMIT:
            raise SandboxError(E.CONTENT_TOO_LARGE, "content size out of limit")
        if msgtype in _MEDIA_TYPES:
            self.corp.media.check(payload.get("media_id"), msgtype)
        users = [u for u in str(body.get("touser", "")).split("|") if u]
        if len(users) > 1000:
            raise SandboxError(E.INVALID_PARAM, "at most 1000 users")
        if users == ["@all"]:
            users = [u for u in self.corp.staff if self.corp.visible(app_name, u)]
        valid = [u for u in users if u in self.corp.staff and self.corp.staff[u].active
                 and self.corp.visible(app_name, u)]
        invalid = [u for u in users if u not in valid]
        parties = [p for p in str(body.get("toparty", "")).split("|") if p]
        tags = [t for t in str(body.get("totag", "")).split("|") if t]
        if not valid:
            raise SandboxError(E.ALL_RECIPIENTS_INVALID, "all touser/toparty/totag invalid")
        duplicate_key = self._duplicate_key(app.name, body)
        if duplicate_key is not None:
            seen = self.sent.get(duplicate_key)
            if seen is not None and seen[1] > self.corp.now():
                # WeCom's duplicate check: the same message within the interval is not re-sent.
                return {"invaliduser": "|".join(invalid), "invalidparty": "",
                        "invalidtag": "", "unlicenseduser": "", "msgid": seen[0]}
        msgid = self.corp.new_id("", 40)
        if duplicate_key is not None:
            interval = body.get("duplicate_check_interval") or 1800
            interval = min(max(int(interval), 0), 4 * 3600)
            self.sent[duplicate_key] = (msgid, self.corp.now() + interval)
        limits = self.corp.limits
        for uid in valid:
            over_min = self.corp.count(f"member-m:{uid}", 60.0) > limits.member_per_minute
            over_hour = self.corp.count(f"member-h:{uid}", 3600.0) > limits.member_per_hour
            if over_min or over_hour:
                self.dropped.append({"at": self.corp.now(), "to": uid, "msgid": msgid})
                continue
            extra = {"truncated": True} if truncated else {}
            self.corp.deliver(uid, "app", app.name, msgtype, payload=payload, msgid=msgid,
                              **extra)
        return {
            "invaliduser": "|".join(invalid),
            "invalidparty": "|".join(parties),
            "invalidtag": "|".join(tags),
            "unlicenseduser": "",
            "msgid": msgid,
        }

    @staticmethod
    def _duplicate_key(app_name: str, body: dict[str, Any]) -> str | None:
        if body.get("enable_duplicate_check") != 1:
            return None
        fields = {k: body.get(k) for k in ("touser", "toparty", "totag", "msgtype")}
        fields["payload"] = body.get(str(body.get("msgtype")))
        return app_name + json.dumps(fields, sort_keys=True, ensure_ascii=False)


def _cut(text: str) -> str:
    """What a member sees of a text WeCom cuts at 2048 bytes."""
    return text.encode()[:_TEXT_LIMIT].decode(errors="ignore")
