"""Pulling 微信客服 messages: one puller per kf account, cursor saved per batch.

``kf_msg_or_event`` carries no content, only a Token for ``kf/sync_msg`` (protocol.md §2.5).
A callback marks the account dirty; whoever holds the account's lock pulls until it is clean,
so a burst of callbacks costs a few pulls, not one each, and none is lost: the holder checks
the mark again after releasing the lock. Each item goes into the durable inbox keyed by its
msgid (the dedupe) and is handled by its own job; the cursor is saved only after the batch
is stored. A one-minute poll (without Token) catches a missed callback.
"""

from __future__ import annotations

import json
from typing import Any

from bot.conversations.common import config, now
from bot.events import parse_kf_message
from bot.inbox import NewEvent
from bot.logs import get_logger
from bot.models import KfCursor
from bot.store import LockTimeout

log = get_logger("bot.kefu.sync")
_NO_TOKEN = "-"  # noqa: S105 - a marker meaning "pull without a Token"


async def request_pull(services: Any, open_kfid: str, token: str | None) -> int:
    """Pull everything new for the account (or leave it to the puller already at work)."""
    store = services.store
    await store.set(f"kf:dirty:{open_kfid}", token or _NO_TOKEN, ttl=600)
    stored = 0
    while True:
        try:
            async with store.lock(f"kf:sync:{open_kfid}", ttl=120, wait=0):
                while (mark := await store.get(f"kf:dirty:{open_kfid}")) is not None:
                    await store.delete(f"kf:dirty:{open_kfid}")
                    stored += await _pull(services, open_kfid, None if mark == _NO_TOKEN else mark)
        except LockTimeout:
            return stored  # the holder sees our mark before it lets go
        if await store.get(f"kf:dirty:{open_kfid}") is None:
            return stored


async def _pull(services: Any, open_kfid: str, token: str | None) -> int:
    from bot.conversations.outbound import main_app
    from bot.worker import enqueue_inbox

    client = main_app(services)
    row = await KfCursor.get_or_none(open_kfid=open_kfid)
    cursor = row.cursor if row else None
    # First pull of an account: don't answer days-old messages.
    oldest = None if row else now(services).timestamp() - config(services).kf_backlog_seconds
    stored = 0
    while True:
        res = await client.kf_sync_msg(open_kfid=open_kfid, cursor=cursor, token=token)
        items = [i for i in res.get("msg_list") or [] if isinstance(i, dict)]
        fresh = [i for i in items if oldest is None or int(i.get("send_time") or 0) >= oldest]
        ids = await _store(services, fresh)
        for row_id, time_boxed in ids:
            await enqueue_inbox(services, row_id, time_boxed=time_boxed)
        stored += len(ids)
        cursor = res.get("next_cursor") or cursor
        if cursor:
            await KfCursor.update_or_create(defaults={"cursor": cursor}, open_kfid=open_kfid)
        if len(items) > len(fresh):
            log.info("kefu.backlog_skipped", open_kfid=open_kfid, count=len(items) - len(fresh))
        if not res.get("has_more"):  # a page may be empty with has_more = 1
            return stored


async def _store(services: Any, items: list[dict[str, Any]]) -> list[tuple[int, bool]]:
    import asyncio

    events = [parse_kf_message(i) for i in items]
    keyed = [(e, i) for e, i in zip(events, items, strict=True) if e.msgid]
    rows = await asyncio.gather(*(
        services.inbox.store(NewEvent(
            app=_app_name(services), dedupe_key=f"kf:{e.msgid}", fmt="kf",
            event_type=e.event_type, time_boxed=e.time_boxed,
            plaintext=json.dumps(i, ensure_ascii=False),
        ))
        for e, i in keyed
    ))
    return [(rid, e.time_boxed) for rid, (e, _) in zip(rows, keyed, strict=True) if rid]


def _app_name(services: Any) -> str:
    return str(next(a.name for a in services.settings.wecom.apps if a.kind == "app"))


async def poll_all(services: Any) -> int:
    """The one-minute safety net: pull every account we have pulled before, without Token."""
    total = 0
    for row in await KfCursor.all():
        try:
            total += await request_pull(services, row.open_kfid, None)
        except Exception as exc:
            log.warning("kefu.poll_failed", open_kfid=row.open_kfid, error=type(exc).__name__)
    return total
