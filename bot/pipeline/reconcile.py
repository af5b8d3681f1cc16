"""Reconciliation after an outage: read back from WeCom what it gave up on, and do what the
lost callbacks would have done where that still can be done (``bot.pipeline.outages``
records the windows).

- New contacts: every member's follows (get_follow_user_list, then batch/get_by_user with
  its cursor, as the contact sync reads them) added within the windows (± a minute) that no
  add was recorded for → ``bot.conversations.contact_recovery`` (the customer record and
  channel tags; the welcome recorded as lost and the member told to greet in person).
- The customer groups of orders: each read again (groupchat/get) → joins, leaves and a
  dismissal applied and put on the order's timeline (``bot.orders.group_recovery``).
- kf messages need nothing here: the minutely kf poll pulls what a lost callback announced.
  What cannot be read back (a member's message to the app, a tag edited in the client) is
  counted on the outage's row (``kinds``: the lost callbacks by type).

Every open window is reconciled together, by one run at a time (``RUN_KEY``). A run works
for at most half a job's time, then hands where it stands to a new job (a large corp's
follows take many pages); a run whose chain broke is started again by the minutely tick.
It waits first, a little, while contact or group callbacks stored up to the windows' end
are still pending (they are no loss: their handler will do the work).
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.conversations import contact_recovery
from bot.customers import recovery
from bot.infra.clock import utcnow
from bot.infra.logs import get_logger
from bot.models import InboxEvent, InboxStatus, MissedEvent, StorageOutage
from bot.orders import group_recovery
from bot.pipeline.outages import RECONCILE_JOB
from bot.protocol.errors import WeComAPIError, WeComError
from bot.runtime import Services

log = get_logger("bot.pipeline.reconcile")
RUN_KEY = "outages:reconcile:run"
SLACK = recovery.SLACK
WAIT_STEP, WAIT_MAX = 5.0, 24  # seconds between looks at pending callbacks, and how many
GROUPS_PER_STEP = 50
# Why a missed item was missed, by who saw the outage (for people: the console, the API).
REASONS = {
    "serve": "存储不可用：回调被拒绝（HTTP 503），企业微信重试约 3 秒后放弃，不会再发",
    "worker": "存储中断：期间的回调无法保存，企业微信重试约 3 秒后放弃，不会再发",
    "startup": "服务未运行（停止、崩溃或重启）：期间的回调无人接收，企业微信不会再发",
}
_PREFER = {"serve": 0, "worker": 1, "startup": 2}
# Callbacks whose handler does what reconciliation would: wait for them while pending.
_WAIT_FOR = ("change_external_contact.add_external_contact",
             "change_external_contact.add_half_external_contact",
             "change_external_chat.create", "change_external_chat.update",
             "change_external_chat.dismiss")
KIND_TEXT = {"contact_add": "新客户", "group_join": "入群", "group_leave": "退群",
             "group_dismissed": "客户群解散"}


def _iso(at: datetime) -> str:
    return at.isoformat()


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


class Windows:
    """The outage windows a run reconciles: which one a missed item belongs to, and why."""

    def __init__(self, rows: Sequence[StorageOutage]) -> None:
        self.rows = sorted(rows, key=lambda r: (_PREFER.get(r.source, 9), r.id))

    @property
    def since(self) -> datetime:
        return min(r.started_at for r in self.rows) - SLACK

    @property
    def until(self) -> datetime:
        return max(r.ended_at for r in self.rows) + SLACK

    def of(self, at: datetime | None) -> StorageOutage:
        if at is not None:
            for r in self.rows:
                if r.started_at - SLACK <= at <= r.ended_at + SLACK:
                    return r
        return self.rows[0]

    def args(self, at: datetime | None) -> dict[str, Any]:
        r = self.of(at)
        return {"outage_id": r.id, "window": (r.started_at, r.ended_at),
                "reason": REASONS.get(r.source, REASONS["serve"])}


async def open_windows() -> list[StorageOutage]:
    return await StorageOutage.filter(reconciled_at__isnull=True).order_by("id")


def _needs_reading(row: StorageOutage) -> bool:
    # A serve whose refused callbacks were all stored by WeCom's retries lost nothing; every
    # other window may have (a worker cannot tell, a start-up window had nobody answering).
    return not (row.source == "serve" and row.lost == 0)


async def _callbacks_pending(rows: Sequence[StorageOutage]) -> bool:
    """Contact or group callbacks stored up to a little after the windows (the retries
    that landed once storage was back) are still to be handled."""
    until = max(r.ended_at for r in rows) + SLACK
    return await InboxEvent.filter(status=InboxStatus.PENDING, received_at__lte=until,
                                   event_type__in=list(_WAIT_FOR)).exists()


async def reconcile_outages(services: Services, progress: dict[str, Any] | None = None
                            ) -> int:
    """Job: reconcile the open windows (or go on with a run); the missed items found so far."""
    store, queue = services.store, services.queue
    progress = dict(progress or {})
    if "run" not in progress:
        rows = await open_windows()
        if not rows:
            return 0
        waited = int(progress.get("waited", 0))
        if waited < WAIT_MAX and await _callbacks_pending(rows):
            await queue.enqueue(RECONCILE_JOB, {"waited": waited + 1}, defer=WAIT_STEP,
                                job_id=f"reconcile:wait:{rows[-1].id}:{waited + 1}")
            return 0
        token = secrets.token_hex(6)
        if not await store.set_if_absent(RUN_KEY, token, ttl=_run_ttl(services)):
            return 0  # a run is under way; what it does not take, the tick queues after it
        reading = [r for r in rows if _needs_reading(r)]
        progress = {"run": token, "step": 0, "ids": [r.id for r in rows],
                    "reading": [r.id for r in reading], "staff": None, "chunk": 0,
                    "cursor": "", "contacts_done": not reading, "after_order": 0,
                    "groups_done": not reading, "found": {}, "errors": []}
        log.info("reconcile.started", outages=len(rows), reading=len(reading))
    elif await store.get(RUN_KEY) != progress["run"]:
        return 0  # superseded: the run's time ran out and another one started
    await store.set(RUN_KEY, progress["run"], ttl=_run_ttl(services))
    rows = await StorageOutage.filter(id__in=progress["ids"]).order_by("id")
    reading = [r for r in rows if r.id in set(progress["reading"])]
    windows = Windows(reading) if reading else None
    budget = services.settings.job_timeout_seconds * 0.5
    started = services.ports.clock.time()

    def out_of_time() -> bool:
        return services.ports.clock.time() - started > budget

    found: Counter[str] = Counter(progress["found"])
    if windows is not None and not progress["contacts_done"]:
        await _contacts(services, windows, progress, found, out_of_time)
    if windows is not None and progress["contacts_done"] and not progress["groups_done"]:
        await _groups(services, windows, progress, found, out_of_time)
    progress["found"] = dict(found)
    if not (progress["contacts_done"] and progress["groups_done"]):
        progress["step"] += 1
        await queue.enqueue(RECONCILE_JOB, progress,
                            job_id=f"reconcile:{progress['run']}:{progress['step']}")
        return sum(found.values())
    await _finish(rows, progress)
    await store.delete(RUN_KEY)
    log.info("reconcile.done", outages=len(rows), found=dict(found),
             errors=progress["errors"])
    return sum(found.values())


def _run_ttl(services: Services) -> float:
    # Long enough for one step and the queue's hop to the next; a broken chain frees it.
    return services.settings.job_timeout_seconds * 3 + 30


def _error(exc: WeComError) -> str:
    return f"企业微信错误 {exc.errcode}" if isinstance(exc, WeComAPIError) else "无法连接企业微信"


async def _contacts(services: Services, windows: Windows, progress: dict[str, Any],
                    found: Counter[str], out_of_time: Any) -> None:
    ports = services.ports
    since, until = windows.since, windows.until
    try:
        if progress["staff"] is None:
            progress["staff"] = await recovery.follow_users(ports)
        chunks = recovery.batches(progress["staff"])
        while progress["chunk"] < len(chunks):
            if out_of_time():
                return
            missed, cursor = await recovery.unrecorded_page(
                ports, chunks[progress["chunk"]], progress["cursor"], since, until)
            for n in missed:
                row = await contact_recovery.recover_add(
                    ports, userid=n.userid, external_userid=n.external_userid, name=n.name,
                    state=n.state, added_at=n.added_at, **windows.args(n.added_at))
                if row is not None:
                    found[row.kind] += 1
                    services.metrics.missed_event(row.kind)
            progress["cursor"] = cursor
            if not cursor:
                progress["chunk"] += 1
    except WeComAPIError as exc:
        # No 客户联系 permission, say: groups are still read; the outage's note says why
        # its contacts were not.
        log.warning("reconcile.contacts_failed", errcode=exc.errcode)
        progress["errors"].append(f"新客户未能补录（读取客户列表时{_error(exc)}）")
    progress["contacts_done"] = True


async def _groups(services: Services, windows: Windows, progress: dict[str, Any],
                  found: Counter[str], out_of_time: Any) -> None:
    ports = services.ports
    while not out_of_time():
        orders = await group_recovery.bound_orders(progress["after_order"], GROUPS_PER_STEP)
        if not orders:
            progress["groups_done"] = True
            return
        for order in orders:
            if out_of_time():
                return
            try:
                rows = await group_recovery.recover_group(ports, order,
                                                          **windows.args(None))
            except WeComError as exc:
                if not isinstance(exc, WeComAPIError):
                    raise  # WeCom out of reach: the job's retry reads this group again
                log.warning("reconcile.group_failed", order_id=order.id, errcode=exc.errcode)
                progress["errors"].append(f"订单 {order.order_no} 的客户群未能读取"
                                          f"（{_error(exc)}）")
                rows = []
            for row in rows:
                found[row.kind] += 1
                services.metrics.missed_event(row.kind)
            progress["after_order"] = order.id


async def _finish(rows: Sequence[StorageOutage], progress: dict[str, Any]) -> None:
    now = utcnow()
    reading = set(progress["reading"])
    kinds: dict[int, Counter[str]] = {r.id: Counter() for r in rows}
    for m in await MissedEvent.filter(outage_id__in=list(kinds)).values("outage_id", "kind"):
        kinds[m["outage_id"]][m["kind"]] += 1
    errors = "；".join(progress["errors"])
    for r in rows:
        if r.id not in reading:
            note = "没有丢失：被拒绝的回调都在企业微信重试时存下了"
        else:
            note = ("补录 " + "，".join(f"{KIND_TEXT.get(k, k)} {n}"
                                      for k, n in kinds[r.id].items())
                    if kinds[r.id] else "没有发现遗漏")
            if errors:
                note = f"{note}；{errors}"
        await StorageOutage.filter(id=r.id).update(reconciled_at=now,
                                                   found=sum(kinds[r.id].values()),
                                                   note=note[:300])


async def tick(services: Services) -> bool:
    """Every minute: queue a run for windows still open a while after they were recorded
    (a job lost with Redis, a run cut short). True when one was queued."""
    delay = timedelta(seconds=services.settings.reconcile_delay_seconds + 60)
    due = await StorageOutage.filter(reconciled_at__isnull=True,
                                     recorded_at__lte=utcnow() - delay).exists()
    if not due or await services.store.get(RUN_KEY):
        return False
    minute = int(services.ports.clock.time() // 60)
    await services.queue.enqueue(RECONCILE_JOB, job_id=f"reconcile:tick:{minute}")
    return True
