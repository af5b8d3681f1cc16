"""Chat archive (会话内容存档): archived messages as one more event source.

Reading customer-group messages needs Tencent's native SDK (protocol.md §6.4), which this
service does not ship. What it does ship is the seam: an ``ArchiveSource`` (``fetch(seq,
limit)`` returning decrypted records and the next seq, as ``GetChatData`` + ``DecryptData``
give them) installed in ``services.extras["archive_source"]``. A periodic job pulls from it
into the durable inbox (deduplicated by msgid), and ``ArchivedMessage`` events go through the
dispatcher with channel ``archive``: a hit of an escalate rule raises an escalation. There is
never an auto-reply: WeCom has no API to post into a customer group.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from bot.conversations import escalation
from bot.conversations.common import now
from bot.conversations.rule_counters import count_rule
from bot.conversations.rulebook import rulebook
from bot.infra.logs import get_logger
from bot.pipeline.inbox import NewEvent
from bot.protocol.events import Event

log = get_logger("bot.archive")
SEQ_KEY = "archive:seq"


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
                   roomid=str(rec.get("roomid") or ""), msgtime=int(rec.get("msgtime") or 0),
                   msgtype=str(rec.get("msgtype") or ""),
                   content=str(text.get("content") or "") if isinstance(text, Mapping) else "",
                   tolist=tuple(str(t) for t in rec.get("tolist") or ()))


class ArchiveSource(Protocol):
    async def fetch(self, seq: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        """Decrypted records after ``seq`` (at most ``limit``) and the seq to continue from."""
        ...


class MemoryArchiveSource:
    """An in-process source (the playground and tests feed it; a real deployment installs
    one backed by the native SDK)."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []

    def add(self, record: dict[str, Any]) -> None:
        self.records.append(record)

    async def fetch(self, seq: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        page = self.records[seq: seq + limit]
        return page, seq + len(page)


async def poll(services: Any, limit: int = 1000) -> int:
    """Pull new archive records into the inbox, one puller at a time, seq saved per batch."""
    from bot.pipeline.worker import enqueue_inbox

    source: ArchiveSource | None = services.extras.get("archive_source")
    if source is None:
        return 0
    stored = 0
    async with services.store.lock("archive:poll", ttl=120, wait=0):
        while True:
            seq = int(await services.store.get(SEQ_KEY) or 0)
            records, next_seq = await source.fetch(seq, limit)
            for rec in records:
                if not rec.get("msgid"):
                    continue
                row = await services.inbox.store(NewEvent(
                    app=_app_name(services), dedupe_key=f"archive:{rec['msgid']}",
                    fmt="archive", event_type=ArchivedMessage.event_type, time_boxed=False,
                    plaintext=json.dumps(rec, ensure_ascii=False)))
                if row is not None:
                    await enqueue_inbox(services, row, time_boxed=False)
                    stored += 1
            await services.store.set(SEQ_KEY, str(next_seq))
            if len(records) < limit:
                return stored


def _app_name(services: Any) -> str:
    return str(next(a.name for a in services.settings.wecom.apps if a.kind == "app"))


async def on_message(services: Any, ev: ArchivedMessage) -> None:
    if ev.action != "send" or ev.msgtype != "text" or not ev.content:
        return
    at = now(services)
    m = rulebook(services).matcher.match(ev.content, channel="archive", at=at,
                                         scope={"chat_id": ev.roomid, "userid": ev.sender})
    if m is None or m.rule.action != "escalate":
        return  # no auto-reply into a customer group: WeCom does not allow one
    await count_rule(m.rule.id, "archive", at, hits=1)
    where = ev.roomid or ev.sender
    customer = ev.sender if ev.sender.startswith(("wm", "wo")) else None
    await escalation.escalate_other(services, channel="archive",
                                    conversation=f"archive:{where}", reason="archive",
                                    rule_id=m.rule.id, chat_id=ev.roomid or None,
                                    external_userid=customer)
    log.info("archive.escalated", rule=m.rule.id)
