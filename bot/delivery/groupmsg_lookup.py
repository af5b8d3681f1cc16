"""Did an unanswered group-task try land? One listing of the corp's 群发 answers every row.

WeCom keeps no key of ours for a 群发 and the client never repeats ``add_msg_template``
(bot.wecom.client.NOT_REPEATABLE), so after a lost answer the row looks for its task by text
and sender among the corp's 群发. Asked row by row this serialises a burst: each row's
listing costs up to 20 pages, and WeCom refuses every listing with 41063 while any 群发 is
being dispatched, so one row re-sending blocks the next row's listing for a while (the
1,000-order bench drained one row every 5 s, 247 s in all).

So a listing is shared: it is taken once (one process at a time, under a store lock) and
kept in the store as the texts' digests with their msgids. A row may use a listing that
began after its own unanswered try was recorded (``updated_at``): had the try landed, WeCom
listed it, because a listing it does not refuse shows every 群发 made before it began. The
snapshot starts at the oldest pending group task of the app, so one listing serves them all;
one cut short by the page cap is not shared.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

from bot.infra.clock import utcnow
from bot.infra.logs import get_logger
from bot.models import OutboxMessage, OutboxStatus
from bot.ports import Store

log = get_logger("bot.delivery.groupmsg_lookup")

MAX_PAGES = 20  # pages of 100: far more 群发 than a corp makes in the rows' lifetime
SLACK_SECONDS = 60  # WeCom's create_time and ours differ by clock skew and latency
SNAPSHOT_TTL = 600.0
# A try whose answer was lost may still be under way at WeCom for a moment after we gave up
# on it: a listing counts for the row only if it began this long after the try was recorded.
SETTLE_SECONDS = 3.0
# get_groupmsg_list_v2 spans at most a month; a pending row older than a day is unusual,
# and starting the listing there bounds its pages.
MAX_SPAN = timedelta(days=1)


def _digest(text: str) -> str:
    # The snapshot keeps digests, not customers' texts.
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _key(app: str, chat_type: str) -> str:
    return f"outbox:groupmsg-listing:{app}:{chat_type}"


async def landed(store: Store, client: Any, row: OutboxMessage) -> dict[str, Any] | None:
    """WeCom's record of the group task an earlier try of ``row`` created though its answer
    was lost (``{"msgid", "recovered": True}``), else None. Raises WeCom's errors (41063
    while a 群发 is being dispatched) for the caller to judge."""
    args = row.args
    if not args.get("text"):
        return None
    chat_type = args.get("chat_type", "single")
    snapshot = await _usable(store, row, chat_type)
    if snapshot is None:
        async with store.lock(_key(row.app, chat_type), wait=60):
            # Another process may have listed while this one waited.
            snapshot = await _usable(store, row, chat_type)
            if snapshot is None:
                snapshot = await _list(store, client, row, chat_type)
    for msgid in snapshot["texts"].get(_digest(args["text"]), []):
        tasks = (await client.get_groupmsg_task(msgid)).get("task_list") or []
        if args.get("sender") in (None, *(t.get("userid") for t in tasks)):
            return {"msgid": msgid, "recovered": True}
    return None


async def _usable(store: Store, row: OutboxMessage, chat_type: str) -> dict[str, Any] | None:
    raw = await store.get(_key(row.app, chat_type))
    if raw is None:
        return None
    snapshot: dict[str, Any] = json.loads(raw)
    began_after_try = snapshot["began"] >= row.updated_at.timestamp() + SETTLE_SECONDS
    covers_row = snapshot["start"] <= int(row.created_at.timestamp()) - SLACK_SECONDS
    return snapshot if began_after_try and covers_row else None


async def _list(store: Store, client: Any, row: OutboxMessage,
                chat_type: str) -> dict[str, Any]:
    oldest = await OutboxMessage.filter(
        app=row.app, api="add_msg_template", status=OutboxStatus.PENDING,
        created_at__gte=utcnow() - MAX_SPAN,
    ).order_by("created_at").first()
    own = int(row.created_at.timestamp()) - SLACK_SECONDS
    since = min(row.created_at, oldest.created_at) if oldest is not None else row.created_at
    snapshot, complete = await _read(client, row, chat_type, int(since.timestamp())
                                     - SLACK_SECONDS)
    if not complete and snapshot["start"] < own:
        # Too many 群发 to list from the oldest row: what this row needs may lie past the
        # last page. It lists from its own start, as a row alone would, and shares nothing.
        snapshot, complete = await _read(client, row, chat_type, own)
    if complete:
        await store.set(_key(row.app, chat_type), json.dumps(snapshot), ttl=SNAPSHOT_TTL)
    return snapshot


async def _read(client: Any, row: OutboxMessage, chat_type: str, start: int
                ) -> tuple[dict[str, Any], bool]:
    """The corp's 群发 from ``start`` as a snapshot, and whether every page was read."""
    began = utcnow().timestamp()
    texts: dict[str, list[str]] = {}
    cursor = None
    pages = 0
    while pages < MAX_PAGES:
        pages += 1
        page = await client.get_groupmsg_list_v2(
            chat_type=chat_type, start_time=start, end_time=int(began) + SLACK_SECONDS,
            filter_type=0, cursor=cursor)
        for rec in page.get("group_msg_list") or []:
            text = (rec.get("text") or {}).get("content")
            if text:
                texts.setdefault(_digest(text), []).append(rec["msgid"])
        cursor = page.get("next_cursor")
        if not cursor:
            break
    log.info("outbox.groupmsg_listed", app=row.app, chat_type=chat_type, pages=pages,
             records=sum(len(v) for v in texts.values()), complete=not cursor)
    return {"began": began, "start": start, "texts": texts}, not cursor
