"""Pulling 微信客服 messages: one puller per kf account, cursor saved per batch.

``kf_msg_or_event`` carries no content, only a Token for ``kf/sync_msg`` (protocol.md §2.5).
A callback marks the account dirty; whoever holds the account's lock pulls until it is clean,
so a burst of callbacks costs a few pulls, not one each, and none is lost: the holder checks
the mark again after releasing the lock. In production the holder stays a little while once
the account is clean, woken by the next callback's mark (``Store.sets_of``), so a steady
stream of callbacks costs a job now and then rather than one per quiet moment. Each item
goes into the durable inbox keyed by its msgid (the dedupe); the cursor is saved only after
the batch is stored; then the puller handles the stored items itself (per customer in
order, customers concurrently) while it pulls on; an item whose handling fails is retried
as an ordinary inbox job. A one-minute poll (without Token) catches a missed callback.
"""

from __future__ import annotations

import asyncio
import json
import time
import weakref
from datetime import datetime
from typing import Any

from bot.conversations import kefu
from bot.infra.logs import get_logger
from bot.infra.sql import get_row
from bot.infra.store import LockTimeout
from bot.models import KfCursor
from bot.pipeline.inbox import NewEvent, kf_thread
from bot.pipeline.processing import process_fresh
from bot.ports import SetWatch
from bot.protocol import errors as E
from bot.protocol.errors import RateLimitError, TokenError, WeComAPIError
from bot.protocol.events import parse_kf_message
from bot.protocol.events.kf import KfMessage

log = get_logger("bot.kefu.sync")
_NO_TOKEN = "-"  # noqa: S105 - a marker meaning "pull without a Token"


PULL_BUDGET = 10.0  # seconds one job keeps pulling before it hands over to a fresh job
# The pull lock's ttl: how long a killed puller keeps its account from being pulled (a live
# one renews it every third of that). Short, because a puller holds it most of the time
# (it stays for the next mark): a customer's questions meanwhile would come as a backlog,
# and an old question is only answered if the budget leaves the newest one its answer.
PULL_LOCK_TTL = 3.0
_running: set[asyncio.Task[bool]] = set()  # handlers outliving a cancelled puller job


async def request_pull(services: Any, open_kfid: str, token: str | None) -> int:
    """Pull everything new for the account (or leave it to the puller already at work).

    The puller handles what it stored itself, without a job hop: one task chain per
    customer (each customer's messages in order, customers side by side), started as soon
    as a batch is stored, so the next pull overlaps with the handling of the last one.
    """
    store = services.store
    dirty = f"kf:dirty:{open_kfid}"
    await store.set(dirty, token or _NO_TOKEN, ttl=600)
    # Embedded, a job is a put on an in-process queue: staying would save nothing.
    linger = 0.0 if services.settings.embedded else \
        services.settings.conversations.kf_pull_linger_seconds
    handler = _Handler(services)
    stored = 0
    started = time.monotonic()
    try:
        while True:
            try:
                async with store.lock(f"kf:sync:{open_kfid}", ttl=PULL_LOCK_TTL, wait=0):
                    # Watched before the first read, so a callback's mark set after it is
                    # heard: the puller stays with the account a while once it is clean,
                    # and the callbacks of a steady stream find it at work (no job each).
                    marks = store.sets_of(dirty) if linger > 0 else None
                    cursor = _Cursor()  # read by the hold's first pull, kept by the rest
                    while True:
                        # The next holder's handlers may start before ours are done: a
                        # customer's order holds all the same (processing: a row's handler
                        # handles or waits for the earlier rows of its customer first).
                        if time.monotonic() - started > PULL_BUDGET:
                            # Still busy after the budget: a fresh job carries on (this
                            # one must finish within the job timeout); the mark stays.
                            mark = await store.get(dirty)
                            if mark is None:
                                break
                            await services.queue.enqueue("kf_pull", open_kfid, mark)
                            return stored
                        # Read and cleared in one round trip: a mark set after it is pulled
                        # by the next round (or whoever holds the account next).
                        mark = await store.take(dirty)
                        if mark is None:
                            if marks is None or not await _another(marks, linger, started):
                                break
                            continue
                        stored += await _pull(services, open_kfid,
                                              None if mark == _NO_TOKEN else mark, handler,
                                              cursor)
            except LockTimeout:
                # The holder sees our mark before it lets go, unless it died holding it.
                await check_later(services, open_kfid)
                return stored
            if await store.get(dirty) is None:
                return stored
    finally:
        await handler.wait()


async def _another(marks: SetWatch, linger: float, started: float) -> bool:
    """Whether a callback marked the account within ``linger`` (and the job's budget)."""
    left = PULL_BUDGET - (time.monotonic() - started)
    return left > 0 and await marks.next(min(linger, left))


async def puller_at_work(services: Any, open_kfid: str, token: str | None) -> bool:
    """Where a callback is received: mark the account dirty and tell whether a puller holds
    the account now. If one does, the callback needs no job of its own: the holder sees the
    mark before it lets go, or looks again right after (``request_pull``), so the mark set
    before this look is pulled either way. Under load most callbacks arrive while a pull is
    under way, and each would otherwise cost a job that only finds the lock taken."""
    at_work = bool(await services.store.set_and_held(
        f"kf:dirty:{open_kfid}", token or _NO_TOKEN, 600, f"kf:sync:{open_kfid}"))
    if at_work:
        await check_later(services, open_kfid)
    return at_work


# Accounts whose mark this process left to a puller at work, with the PULL_LOCK_TTL window it
# last asked for a check in: one check job per account and window, not one per callback.
_checks: dict[str, int] = {}


async def check_later(services: Any, open_kfid: str) -> None:
    """A mark left to the puller at work is pulled by it, unless it dies holding the lock:
    then the mark would wait for the next minute's poll. A job a lock's ttl later pulls
    what is still marked (``pull_if_left``)."""
    if services.settings.embedded:  # one process: a puller dies with everything else
        return
    window = int(time.time() // PULL_LOCK_TTL)
    if _checks.get(open_kfid) == window:
        return
    _checks[open_kfid] = window
    await _check(services, open_kfid, defer=PULL_LOCK_TTL + 1,
                 job_id=f"kf:left:{open_kfid}:{window}")


async def _check(services: Any, open_kfid: str, *, defer: float, job_id: str) -> None:
    try:
        await services.queue.enqueue("kf_pull_if_left", open_kfid, defer=defer,
                                     job_id=job_id)
    except Exception as exc:  # the minute's poll is still there
        log.warning("kefu.check_not_queued", error=type(exc).__name__)


async def pull_if_left(services: Any, open_kfid: str) -> int:
    """Job: pull an account still marked and held by nobody (its puller died holding the
    lock, which has lapsed since); nothing when the mark is gone or a puller holds it (it
    sees the mark)."""
    mark = await services.store.get(f"kf:dirty:{open_kfid}")
    if mark is None:
        return 0
    if await services.store.held(f"kf:sync:{open_kfid}"):
        # Held still: by a live puller (staying for the next mark, it takes this one any
        # moment, and the next look finds none) or by a dead one whose lock has not lapsed
        # yet (renewed until it died): looked at again soon, until the mark is gone.
        again = PULL_LOCK_TTL / 2
        # An id per due time: never this job's own, nor one arq still keeps the result of.
        await _check(services, open_kfid, defer=again,
                     job_id=f"kf:left:{open_kfid}:again:{int(time.time() / again) + 1}")
        return 0
    log.info("kefu.mark_left", open_kfid=open_kfid)
    return await request_pull(services, open_kfid, None if mark == _NO_TOKEN else mark)


async def pull_job(services: Any, open_kfid: str, mark: str | None) -> int:
    """Job: pull for an account (a callback re-run by the sweeper: its Token or None), or
    carry on for a puller that ran out of its budget (its mark)."""
    return await request_pull(services, open_kfid, None if mark == _NO_TOKEN else mark)


# The kf rows this process is handling, by thread: a row whose earlier pending rows are all
# among them waits for their handlers instead of looking them up.
_in_flight: dict[str, dict[int, asyncio.Task[bool]]] = {}


class _Handler:
    """Handles stored items: in order per customer, customers concurrently."""

    def __init__(self, services: Any) -> None:
        self.services = services
        self.tails: dict[str, asyncio.Task[bool]] = {}

    def start(self, row_id: int, event: Any, *, earlier: frozenset[int]) -> None:
        """``earlier``: the rows of the item's thread before it that were pending when it
        was stored."""
        who = str(getattr(event, "external_userid", None) or "")
        thread = kf_thread(getattr(event, "open_kfid", None),
                           getattr(event, "external_userid", None))
        here = {r: t for r, t in (_in_flight.get(thread) or {}).items() if r < row_id} \
            if thread else {}
        ahead = list(here.values())
        # First once those are settled, if every earlier pending row is one of them or has
        # settled here since the batch was stored (its handler done while the batch's
        # statement ran: a row never becomes pending again).
        settled = _settled_here()
        first = thread is not None and all(r in here or settled.get(r) == thread
                                           for r in earlier)
        task = asyncio.create_task(process_fresh(
            self.services, row_id, _app_name(self.services), event, first=first,
            after=[*ahead, *([b] if (b := self.tails.get(who)) is not None else [])]))
        _running.add(task)
        task.add_done_callback(_running.discard)
        if thread is not None:
            rows = _in_flight.setdefault(thread, {})
            rows[row_id] = task
            task.add_done_callback(lambda t: _forget(thread, row_id, t))
        self.tails[who] = task

    async def wait(self) -> None:
        # asyncio.wait, not gather: a cancelled puller leaves the handlers running.
        if self.tails:
            await asyncio.wait(list(self.tails.values()))


# The rows this event loop's handlers settled lately (handled, or failed for good), with
# their threads, oldest first. Per loop: a loop serves one database (tests start a fresh one,
# its ids from 1 again, with a loop of their own).
_SETTLED: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, str]] = (
    weakref.WeakKeyDictionary())
SETTLED_KEPT = 10_000


def _settled_here() -> dict[int, str]:
    loop = asyncio.get_running_loop()
    settled = _SETTLED.get(loop)
    if settled is None:
        settled = _SETTLED[loop] = {}
    return settled


def _forget(thread: str, row_id: int, task: asyncio.Task[bool]) -> None:
    if not task.cancelled() and task.exception() is None and task.result():
        settled = _settled_here()
        settled[row_id] = thread
        if len(settled) > SETTLED_KEPT:
            del settled[next(iter(settled))]
    rows = _in_flight.get(thread)
    if rows is not None:
        rows.pop(row_id, None)
        if not rows:
            del _in_flight[thread]


class _Cursor:
    """An account's saved sync_msg cursor, as one hold of its pull lock knows it: read from
    the database by the hold's first pull, then kept as the hold's pulls save it, since
    nobody else pulls the account meanwhile (under a steady stream a puller holds the lock
    for many pulls, each one statement fewer). Should the lock be lost after all and
    another puller move the cursor on, an older one only pulls items again, which the
    inbox's dedupe key refuses."""

    __slots__ = ("read", "value")

    def __init__(self) -> None:
        self.read = False
        self.value: str | None = None  # None: the account was never pulled (no cursor row)


async def _pull(services: Any, open_kfid: str, token: str | None, handler: _Handler,
                known: _Cursor) -> int:
    client = services.ports.wecom
    if not known.read:
        row = await get_row(KfCursor, open_kfid=open_kfid)
        known.read, known.value = True, row.cursor if row else None
    cursor = known.value
    # First pull of an account: don't answer days-old messages.
    backlog = services.settings.conversations.kf_backlog_seconds
    oldest = None if cursor else services.ports.clock.now().timestamp() - backlog
    stored = 0
    while True:
        try:
            res = await client.kf_sync_msg(open_kfid=open_kfid, cursor=cursor, token=token)
        except WeComAPIError as exc:
            if exc.errcode in _NO_SUCH_ACCOUNT:
                # Not an account WeCom knows (a callback naming one that is gone, or not
                # a real callback): pulling again cannot help.
                log.warning("kefu.unknown_account", errcode=exc.errcode)
                return stored
            if token is None or not _token_refused(exc):
                raise
            # The callback's Token lives 10 minutes: a callback handled later (after a restart
            # or an outage) pulls without it at once rather than waiting for the poll.
            log.info("kefu.token_refused", open_kfid=open_kfid, errcode=exc.errcode)
            token = None
            continue
        items = [i for i in res.get("msg_list") or [] if isinstance(i, dict)]
        fresh = [i for i in items if oldest is None or int(i.get("send_time") or 0) >= oldest]
        cursor = res.get("next_cursor") or cursor
        # The cursor is saved with the batch it follows (never before it is stored).
        moved = cursor if cursor and cursor != known.value else None
        rows = await _store(services, fresh, (open_kfid, moved) if moved else None)
        if moved:
            known.value = moved
        # Handled once stored and the cursor saved (a handler failure retries as a job).
        for row_id, event, earlier in rows:
            handler.start(row_id, event, earlier=earlier)
        stored += len(rows)
        if len(items) > len(fresh):
            log.info("kefu.backlog_skipped", open_kfid=open_kfid, count=len(items) - len(fresh))
        if not res.get("has_more"):  # a page may be empty with has_more = 1
            return stored


def _customer_messages(events: list[Any]) -> list[tuple[str, str, str, datetime]]:
    """The customer messages (not events) of a batch as (dedupe key, open_kfid,
    external_userid, sent at): those stored just now are messages the conversation has not
    seen before, and move its budget on (``kefu_store.customer_wrote``)."""
    out = []
    for e in events:
        if not isinstance(e, KfMessage) or e.origin != 3 or e.msgtype == "event":
            continue
        at = kefu.sent_at(e.send_time)
        if e.open_kfid and e.external_userid and at is not None:
            out.append((f"kf:{e.msgid}", e.open_kfid, e.external_userid, at))
    return out


_NO_SUCH_ACCOUNT = frozenset({E.KF_INVALID_OPEN_KFID, E.KF_OPEN_KFID_NOT_FOUND})


# Refusals that are not about the Token: pulling without it would fail the same way.
_NOT_THE_TOKEN = frozenset({E.KF_INVALID_OPEN_KFID, E.KF_OPEN_KFID_NOT_FOUND, E.KF_API_DISABLED,
                            E.NO_PERMISSION, E.UNTRUSTED_IP, E.SYSTEM_BUSY})


def _token_refused(exc: WeComAPIError) -> bool:
    """Whether a pull with the callback's Token may have been refused for the Token. WeCom
    publishes no code for a stale Token (95007 "不合法的msgtoken" is the likeliest; 40058 is
    its catch-all for bad parameters), so any lasting refusal other than the account's or
    the app's own is read as one, and the pull is tried once more without it."""
    if isinstance(exc, TokenError | RateLimitError):  # the access_token, or a limit: no
        return False
    return exc.errcode not in _NOT_THE_TOKEN


async def _store(services: Any, items: list[dict[str, Any]],
                 cursor: tuple[str, str] | None) -> list[tuple[int, Any, frozenset[int]]]:
    """The batch's new rows: (row id, event, the earlier rows of its thread still pending),
    in the batch's order; stored in one go with the customers' budgets moved on
    and the account's cursor after the batch (if it moved)."""
    events = [parse_kf_message(i) for i in items]
    keyed = [(e, i) for e, i in zip(events, items, strict=True) if e.msgid]
    new = [NewEvent(
        app=_app_name(services), dedupe_key=f"kf:{e.msgid}", fmt="kf",
        event_type=e.event_type, time_boxed=e.time_boxed,
        plaintext=json.dumps(i, ensure_ascii=False),
        thread=kf_thread(getattr(e, "open_kfid", None), getattr(e, "external_userid", None)),
    ) for e, i in keyed]
    ids, earlier = await services.inbox.store_pulled(
        new, _customer_messages([e for e, _ in keyed]), cursor)
    return [(rid, e, earlier.get(n.dedupe_key, frozenset()))
            for rid, (e, _), n in zip(ids, keyed, new, strict=True) if rid]


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
