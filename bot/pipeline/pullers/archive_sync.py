"""Pulling the chat archive (会话内容存档) into the inbox: one more ingestion source.

Reading customer-group messages needs Tencent's native SDK (protocol.md §6.4), which this
service does not ship; what it ships is the seam, the ``ArchiveSource`` port (``fetch(seq,
limit)`` returning decrypted records and the next seq). A periodic job pulls from it into the
durable inbox (deduplicated by msgid); the records go through the dispatcher as
``ArchivedMessage`` events.
"""

from __future__ import annotations

import json
from typing import Any

from bot.pipeline.inbox import NewEvent
from bot.pipeline.processing import enqueue_inbox
from bot.protocol.events.archived import ArchivedMessage
from bot.runtime import Services

SEQ_KEY = "archive:seq"


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


async def poll(services: Services, limit: int = 1000) -> int:
    """Pull new archive records into the inbox, one puller at a time, seq saved per batch."""
    source = services.ports.archive
    if source is None:
        return 0
    stored = 0
    async with services.store.lock("archive:poll", wait=0):
        while True:
            seq = int(await services.store.get(SEQ_KEY) or 0)
            records, next_seq = await source.fetch(seq, limit)
            for rec in records:
                if not rec.get("msgid"):
                    continue
                row = await services.inbox.store(NewEvent(
                    app=services.ports.main_app.name, dedupe_key=f"archive:{rec['msgid']}",
                    fmt="archive", event_type=ArchivedMessage.event_type, time_boxed=False,
                    plaintext=json.dumps(rec, ensure_ascii=False)))
                if row is not None:
                    await enqueue_inbox(services, row, time_boxed=False)
                    stored += 1
            await services.store.set(SEQ_KEY, str(next_seq))
            if len(records) < limit:
                return stored
