"""The contact sync: every member's customers read from WeCom into the customer record.

get_follow_user_list names the members with 客户联系; batch/get_by_user then reads their
customers, 100 members and 100 follows a call, so a corp of N follow relations costs
1 + ceil(N / 100) calls (plus one per batch of members past the first page). Where the run
is (the batch of members, WeCom's cursor) is saved after every page: a run that is killed
goes on where it stopped the next time. A full sync runs on the first start, then one a day;
a full run that completes marks the follows it did not see as gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.customers import customer_store as db
from bot.customers import tags
from bot.infra.clock import CST
from bot.infra.logs import get_logger
from bot.infra.store.locks import LockTimeout
from bot.models import ContactSync
from bot.ports import Ports
from bot.protocol import errors as E
from bot.protocol.errors import WeComAPIError

log = get_logger("bot.customers.sync")
BATCH = 100  # members per batch/get_by_user call (userid_list ≤100)
PAGE = 100  # follows per page (limit ≤100)
LOCK = "customers:contact-sync"


def _at(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), UTC) if value else None
    except (TypeError, ValueError, OverflowError):
        return None


def page_items(res: dict[str, Any]) -> list[tuple[dict[str, Any], db.FollowFacts]]:
    """A batch/get_by_user page as (contact, follow) pairs; items naming neither are left out."""
    out = []
    for item in res.get("external_contact_list") or []:
        contact = dict(item.get("external_contact") or {})
        f = dict(item.get("follow_info") or {})
        if not contact.get("external_userid") or not f.get("userid"):
            continue
        out.append((contact, db.FollowFacts(
            userid=str(f["userid"]), remark=str(f.get("remark") or "")[:64],
            description=str(f.get("description") or "")[:160],
            add_time=_at(f.get("createtime")), state=str(f.get("state") or "")[:30],
            add_way=f.get("add_way"), tag_ids=tuple(str(t) for t in f.get("tag_id") or ()),
            mobiles=tuple(str(m) for m in f.get("remark_mobiles") or () if m))))
    return out


async def run(ports: Ports, *, kind: str = "full", budget: float | None = None
              ) -> ContactSync | None:
    """Start a sync (or carry on with the one under way) and work on it for ``budget``
    seconds at most (None: to the end). Returns the run; None when another process has it."""
    try:
        async with ports.store.lock(LOCK, wait=0):
            return await _run(ports, kind, budget)
    except LockTimeout:
        return None


async def _run(ports: Ports, kind: str, budget: float | None) -> ContactSync:
    clock = ports.clock
    started = clock.time()
    sync = await db.running_sync()
    if sync is None:
        members = (await ports.wecom.get_follow_user_list()).get("follow_user") or []
        sync = await db.start_sync(kind, [str(u) for u in members])
        sync.calls = 1
        await db.save_sync(sync, "calls")
        log.info("sync.started", kind=kind, members=len(members))
    staff: list[str] = list(sync.staff)
    while sync.chunk * BATCH < len(staff):
        if budget is not None and clock.time() - started > budget:
            log.info("sync.paused", chunk=sync.chunk, contacts=sync.contacts)
            return sync
        members = staff[sync.chunk * BATCH:(sync.chunk + 1) * BATCH]
        try:
            res = await ports.wecom.batch_get_by_user(members, cursor=sync.cursor or None,
                                                      limit=PAGE)
        except WeComAPIError as exc:
            sync.calls += 1
            if exc.errcode == E.INVALID_PARAM and sync.cursor:
                # WeCom no longer takes the saved cursor: this batch again from its start
                # (every write is an upsert, so reading a page twice changes nothing).
                sync.cursor = ""
                await db.save_sync(sync, "cursor", "calls")
                continue
            sync.status, sync.error = "failed", f"{exc.errcode}"
            sync.finished_at = clock.now()
            await db.save_sync(sync, "status", "error", "finished_at", "calls")
            log.warning("sync.failed", errcode=exc.errcode)
            return sync
        items = page_items(dict(res))
        await db.save_contacts_page(items, clock.now())
        await tags.seen_in_wecom([(c["external_userid"], list(f.tag_ids)) for c, f in items
                                  if f.tag_ids])
        sync.calls += 1
        sync.contacts += len(items)
        sync.cursor = str(res.get("next_cursor") or "")
        if not sync.cursor:
            sync.chunk += 1
        await db.save_sync(sync, "calls", "contacts", "cursor", "chunk")
    # Every run reads every member's customers: a follow it did not see is gone in WeCom.
    gone = await db.sweep_gone_follows(sync.started_at, clock.now())
    if gone:
        log.info("sync.gone", follows=gone)
    sync.status, sync.finished_at = "done", clock.now()
    await db.save_sync(sync, "status", "finished_at")
    log.info("sync.done", kind=sync.kind, contacts=sync.contacts, calls=sync.calls)
    return sync


async def due(ports: Ports) -> str | None:
    """What the periodic check should run now: "resume" a run left under way (a killed
    process), "full" on the first start, "daily" once a day at ``customers.sync_hour``
    (北京时间), or None."""
    cfg = ports.settings.customers
    if await db.running_sync() is not None:
        return "resume"
    now = ports.clock.now()
    last = await db.last_sync("done")
    if last is None:
        ever = await db.last_sync()
        if ever is None:
            return "full" if cfg.sync_on_first_start else None
        # The first full sync failed (e.g. no 客户联系 permission yet): again each hour.
        tried = ever.finished_at or ever.started_at
        return "full" if cfg.sync_on_first_start and now - tried > timedelta(hours=1) \
            else None
    finished = last.finished_at or last.started_at
    local = now.astimezone(UTC) + CST
    if local.hour == cfg.sync_hour and now - finished > timedelta(hours=20):
        return "daily"
    return None


@dataclass(frozen=True)
class SyncRecord:
    id: int
    kind: str
    status: str
    contacts: int
    calls: int
    error: str | None
    started_at: datetime
    finished_at: datetime | None


async def status() -> SyncRecord | None:
    """The last run, as it stands."""
    r = await db.last_sync()
    if r is None:
        return None
    return SyncRecord(r.id, r.kind, r.status, r.contacts, r.calls, r.error, r.started_at,
                      r.finished_at)


async def job(ports: Ports, kind: str = "full") -> None:
    """Job: work on the sync for half a job's time, then hand the rest to a new job (a
    sync of a large corp outlasts any one job's timeout)."""
    sync = await run(ports, kind=kind, budget=ports.settings.job_timeout_seconds * 0.5)
    if sync is not None and sync.status == "running":
        await ports.jobs.enqueue("customers_sync", kind,
                                 job_id=f"customers-sync:{sync.id}:{sync.chunk}:{sync.contacts}")


KEFU_MARK = "customers:kefu-mark"


async def tick(ports: Ports) -> str | None:
    """Every minute: start or resume the sync when it is due, and give every new kf
    customer a customer record."""
    what = await due(ports)
    if what is not None:
        minute = int(ports.clock.time() // 60)
        await ports.jobs.enqueue("customers_sync", "daily" if what == "daily" else "full",
                                 job_id=f"customers-sync:{what}:{minute}")
    mark = int(await ports.store.get(KEFU_MARK) or 0)
    last = await db.import_kefu_customers(mark)
    if last > mark:
        await ports.store.set(KEFU_MARK, str(last))
    return what
