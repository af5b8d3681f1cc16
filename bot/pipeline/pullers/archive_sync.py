"""Pulling the chat archive (会话内容存档) into the inbox: one more ingestion source.

Reading customer-group messages needs Tencent's native SDK (protocol.md §6.4), which this
service does not ship; what it ships is the seam, the ``ArchiveSource`` port (``fetch(seq,
limit)`` returning decrypted records and the next seq). A periodic job pulls from it into the
durable inbox (deduplicated by msgid); the records go through the dispatcher as
``ArchivedMessage`` events. The next seq is saved in the database after each stored batch
(``ArchiveCursor``).
"""

from __future__ import annotations

import json
from typing import Any

from bot.infra.logs import get_logger
from bot.models import ArchiveCursor
from bot.pipeline.inbox import NewEvent
from bot.pipeline.processing import enqueue_inbox
from bot.protocol.events.archived import ArchivedMessage
from bot.runtime import Services

SOURCE = "archive"  # the cursor's row
# Where releases before the cursor's row kept the seq (in the store): read once, when the
# row does not exist yet, so an upgrade goes on from there rather than from 0.
SEQ_KEY = "archive:seq"
# WeCom's clock and ours may differ a little: a record this close to the limit still counts.
CLOCK_SLACK = 3600.0
log = get_logger("bot.archive.sync")


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
    stored = skipped = 0
    # A record sent before the inbox's keys reach back (``inbox_keep_days``) cannot be told
    # from one handled already: a first pull starts from seq 0, and how far back WeCom hands
    # records out is not confirmed (protocol.md §6.4). Such a record is not acted on, as a
    # kf account's backlog is not on its first pull.
    keep = services.settings.inbox_keep_days * 86400 - CLOCK_SLACK
    oldest_ms = (services.ports.clock.now().timestamp() - keep) * 1000
    async with services.store.lock("archive:poll", wait=0):
        saved = await ArchiveCursor.get_or_none(source=SOURCE)
        seq = saved.seq if saved is not None else int(await services.store.get(SEQ_KEY) or 0)
        while True:
            records, next_seq = await source.fetch(seq, limit)
            for rec in records:
                if not rec.get("msgid"):
                    continue
                if 0 < ArchivedMessage.from_record(rec).msgtime < oldest_ms:
                    skipped += 1
                    continue
                row = await services.inbox.store(NewEvent(
                    app=services.ports.main_app.name, dedupe_key=f"archive:{rec['msgid']}",
                    fmt="archive", event_type=ArchivedMessage.event_type, time_boxed=False,
                    plaintext=json.dumps(rec, ensure_ascii=False)))
                if row is not None:
                    await enqueue_inbox(services, row, time_boxed=False)
                    stored += 1
            if next_seq != seq:
                await ArchiveCursor.update_or_create(defaults={"seq": next_seq},
                                                     source=SOURCE)
                seq = next_seq
            if len(records) < limit:
                break
    if skipped:
        log.info("archive.backlog_skipped", count=skipped)
    return stored
