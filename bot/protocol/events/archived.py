"""A chat-archive record (会话内容存档) as an event: what ``GetChatData`` + ``DecryptData``
give for a text message, fed to the dispatcher like any callback (channel ``archive``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from bot.protocol.events.fields import Event


@dataclass(frozen=True, slots=True, kw_only=True)
class ArchivedMessage(Event):
    """One decrypted archive record (msgtype text): ``roomid`` is set for group chats."""

    event_type: ClassVar[str] = "archive.message"
    msgid: str = ""
    action: str = "send"
    sender: str = ""  # ``from``: userid or external userid
    roomid: str = ""
    msgtime: int = 0
    msgtype: str = ""
    content: str = ""
    tolist: tuple[str, ...] = field(default=())

    @property
    def msg_id(self) -> str | None:
        return self.msgid or None

    @classmethod
    def from_record(cls, rec: Mapping[str, Any]) -> ArchivedMessage:
        text = rec.get("text")
        return cls(raw=dict(rec), msgid=str(rec.get("msgid") or ""),
                   action=str(rec.get("action") or "send"), sender=str(rec.get("from") or ""),
                   roomid=str(rec.get("roomid") or ""), msgtime=_ms(rec.get("msgtime")),
                   msgtype=str(rec.get("msgtype") or ""),
                   content=str(text.get("content") or "") if isinstance(text, Mapping) else "",
                   tolist=tuple(str(t) for t in rec.get("tolist") or ()))


def _ms(value: Any) -> int:
    """msgtime (ms since the epoch); 0 for what does not read as one (a record is data
    from outside: a bad field must not fail its handling)."""
    try:
        return int(value or 0)
    except (TypeError, ValueError, OverflowError):
        return 0
