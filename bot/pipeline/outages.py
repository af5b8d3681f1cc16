"""Noticing outages: callbacks refused because storage was out, and time no serve answered.

WeCom gives up on a callback after ~3 s of failed attempts (protocol.md §2.1; the sandbox
retries 3 times, 1 s apart): whatever it sent then never comes again. A process cannot write
down an outage while it lasts, so each keeps its own window in memory (``OutageWatch``) and
records it (``storage_outage``) once storage answers again; reconciliation
(``bot.pipeline.reconcile``) then reads back from WeCom what can be read back.

Who notices:
- ``serve`` counts the callbacks it answered 503 (distinct dedupe keys, bounded) and, a little
  after recovery, how many of them a later retry never stored (``lost``, by event type);
- every process (serve and worker) probes the inbox table every few seconds, so an outage
  with no callback refused, or one whose serve crashed, still has a witness;
- a serve starting reconciles the time since the newest stored callback: while no serve was
  answering (a crash, a deploy, a host down) WeCom gave up exactly as on a 503, and one
  process cannot tell whether another serve answered meanwhile. Several serves starting
  together each record that window; reconciliation takes all open windows at once.
An outage with nothing refused is recorded when at least two probes failed and it lasted
WeCom's retries (``MIN_GAP``), counted from the last probe that still read the inbox: one
slow probe is no outage, and a shorter gap cannot have cost anything.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.infra.clock import utcnow
from bot.infra.logs import get_logger
from bot.models import InboxEvent, StorageOutage
from bot.runtime import Services

log = get_logger("bot.pipeline.outages")
MIN_GAP = 3.0  # seconds: WeCom's retries span ~3 s, so a shorter gap loses nothing
PROBE_IDLE = 5.0  # seconds between probes while storage answers
PROBE_OPEN = 1.0  # ... and while it does not
PROBE_TIMEOUT = 3.0
# After recovery, WeCom's last retries of refused callbacks may still land: which refused
# callbacks were never stored is looked at only this long after.
LOST_AFTER = 10.0
MAX_KEYS = 20_000  # refused callbacks remembered one by one; past it only counted
MAX_KINDS = 40
RECONCILE_JOB = "reconcile_outages"
SOURCES = ("serve", "worker", "startup")


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:96]


@dataclass
class Window:
    started: datetime
    last: datetime
    keys: dict[str, str] = field(default_factory=dict)  # dedupe key → event type
    overflow: int = 0  # refusals past MAX_KEYS
    failures: int = 0  # probes that failed in it

    @property
    def refused(self) -> int:
        return len(self.keys) + self.overflow

    def merge(self, later: Window) -> None:
        self.last = max(self.last, later.last)
        for k, v in later.keys.items():
            if len(self.keys) < MAX_KEYS:
                self.keys.setdefault(k, v)
            else:
                self.overflow += 1
        self.overflow += later.overflow
        self.failures += later.failures


class OutageWatch:
    """One process's view of its storage: the outage under way, if any."""

    def __init__(self, source: str) -> None:
        if source not in SOURCES:
            raise ValueError(f"unknown source {source!r}")
        self.source = source
        self.process = process_name()
        self.window: Window | None = None
        self.last_ok: datetime | None = None  # the last probe that read the inbox
        # Recorded windows whose lost callbacks are to be counted: (row id, window, when).
        self.to_count: list[tuple[int, Window, float]] = []
        self.started_checked = False  # a serve's start-up window was looked at

    @property
    def open(self) -> bool:
        return self.window is not None

    def refused(self, key: str, event_type: str) -> None:
        """``serve`` answered a callback 503: it could not be stored."""
        now = utcnow()
        w = self.window
        if w is None:
            w = self.window = Window(started=now, last=now)
            log.warning("outage.started", source=self.source, by="refused_callback")
        w.last = now
        if key in w.keys:
            return  # WeCom's retry of one refused already
        if len(w.keys) < MAX_KEYS:
            w.keys[key] = event_type[:96]
        else:
            w.overflow += 1

    def storage_failed(self) -> None:
        """The probe could not read the inbox: the outage began after the last probe that
        could (when it began is known no better)."""
        now = utcnow()
        if self.window is None:
            self.window = Window(started=self.last_ok or now, last=now)
            log.warning("outage.started", source=self.source, by="probe")
        self.window.failures += 1
        self.window.last = now

    def storage_ok(self) -> None:
        self.last_ok = utcnow()

    async def recovered(self, services: Services) -> StorageOutage | None:
        """Storage answers again: record the window (None when too short to matter) and
        have it reconciled. On a failure the window stays open, to be recorded next time."""
        w = self.window
        if w is None:
            return None
        self.window = None
        now = utcnow()
        if not w.refused and (w.failures < 2 or (now - w.started).total_seconds() < MIN_GAP):
            # One slow probe, or too short for WeCom to give up on anything.
            log.info("outage.too_short", source=self.source, failures=w.failures,
                     seconds=round((now - w.started).total_seconds(), 1))
            return None
        try:
            row = await StorageOutage.create(
                source=self.source, process=self.process, started_at=w.started, ended_at=now,
                refused=w.refused, kinds=dict(Counter(w.keys.values()).most_common(MAX_KINDS)))
        except Exception as exc:
            log.warning("outage.not_recorded", error=type(exc).__name__)
            if self.window is not None:
                w.merge(self.window)
            self.window = w
            return None
        services.metrics.storage_outage(self.source)
        log.warning("outage.recorded", outage_id=row.id, source=self.source,
                    seconds=round((now - w.started).total_seconds(), 1), refused=w.refused)
        if w.refused:
            self.to_count.append((row.id, w, time.monotonic() + LOST_AFTER))
        await request_reconciliation(services, row.id)
        return row

    async def count_lost(self) -> None:
        """For windows recorded ``LOST_AFTER`` ago: which refused callbacks no later retry
        stored (WeCom gave up on them), by kind. Refusals past ``MAX_KEYS`` were not kept one
        by one: they are counted as ``unknown``."""
        now = time.monotonic()
        due = [c for c in self.to_count if c[2] <= now]
        for item in due:
            row_id, w, _ = item
            try:
                stored: set[str] = set()
                keys = list(w.keys)
                for i in range(0, len(keys), 500):
                    stored.update(str(k) for k in await InboxEvent.filter(
                        dedupe_key__in=keys[i:i + 500]).values_list("dedupe_key", flat=True))
                lost = Counter(t for k, t in w.keys.items() if k not in stored)
                kinds = dict(lost.most_common(MAX_KINDS))
                if w.overflow:
                    kinds["unknown"] = w.overflow
                await StorageOutage.filter(id=row_id).update(lost=sum(lost.values()),
                                                             kinds=kinds)
            except Exception as exc:  # storage out again: the next round tries again
                log.warning("outage.lost_not_counted", outage_id=row_id,
                            error=type(exc).__name__)
                return
            self.to_count.remove(item)
            log.info("outage.lost_counted", outage_id=row_id, lost=sum(lost.values()),
                     unknown=w.overflow)


async def request_reconciliation(services: Services, outage_id: int,
                                 delay: float | None = None) -> None:
    """Queue the reconciliation of the open windows; a lost job is queued again by the
    minutely tick (``tick``)."""
    defer = services.settings.reconcile_delay_seconds if delay is None else delay
    try:
        await services.queue.enqueue(RECONCILE_JOB, job_id=f"reconcile:{outage_id}",
                                     defer=defer)
    except Exception as exc:
        log.warning("outage.reconcile_not_queued", outage_id=outage_id,
                    error=type(exc).__name__)


async def probe() -> None:
    """Read the inbox table, which is what storing a callback needs (an index lookup)."""
    await InboxEvent.all().order_by("-id").limit(1).values_list("id", flat=True)


async def newest_callback(before: datetime) -> datetime | None:
    """When the newest callback stored before ``before`` arrived (None: none)."""
    rows = await (InboxEvent.filter(received_at__lt=before).order_by("-received_at").limit(1)
                  .values_list("received_at", flat=True))
    return rows[0] if rows and isinstance(rows[0], datetime) else None


async def startup_window(services: Services, started: datetime) -> StorageOutage | None:
    """A serve just started: the time since the newest stored callback had no serve of
    ours to answer (or one that crashed in an outage), so it is reconciled like an outage."""
    settings = services.settings
    newest = await newest_callback(started)
    if newest is None:
        return None  # a first start: nothing was ever missed
    earliest = started - timedelta(hours=settings.reconcile_max_hours)
    begin = max(newest, earliest)
    if (started - begin).total_seconds() < MIN_GAP:
        return None
    row = await StorageOutage.create(source="startup", process=process_name(),
                                     started_at=begin, ended_at=started)
    services.metrics.storage_outage("startup")
    log.info("outage.startup_window", outage_id=row.id,
             seconds=round((started - begin).total_seconds()))
    await request_reconciliation(services, row.id)
    return row


async def watch_forever(services: Services, watch: OutageWatch, *, started: datetime,
                        check_startup: bool) -> None:
    """Probe the inbox every few seconds: open a window when it fails, record it once it
    answers again; a serve's start-up window on the first answer."""
    while True:
        try:
            async with asyncio.timeout(PROBE_TIMEOUT):
                await probe()
        except Exception as exc:
            if not watch.open:
                log.warning("outage.probe_failed", error=type(exc).__name__)
            watch.storage_failed()
        else:
            try:
                watch.storage_ok()
                if check_startup and not watch.started_checked:
                    await startup_window(services, started)
                    watch.started_checked = True
                if watch.open:
                    await watch.recovered(services)
                await watch.count_lost()
            except Exception as exc:  # recorded on the next round
                log.warning("outage.record_failed", error=type(exc).__name__)
        await asyncio.sleep(PROBE_OPEN if watch.open else PROBE_IDLE)
