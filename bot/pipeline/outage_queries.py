"""Reading outages and what they cost, for people: the admin API, the doctor, the fault
battery. Plain records with Chinese labels beside the machine values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.expressions import Q

from bot.infra.clock import utcnow
from bot.models import MissedEvent, StorageOutage

KIND_TEXT = {"contact_add": "新客户添加（欢迎语无法补发）", "group_join": "客户群成员入群",
             "group_leave": "客户群成员退群", "group_dismissed": "客户群解散"}
SOURCE_TEXT = {"serve": "回调被拒（存储不可用）", "worker": "工作进程检测到存储中断",
               "startup": "服务未运行（启动时补查）"}


@dataclass(frozen=True)
class MissedRecord:
    id: int
    kind: str
    kind_text: str
    happened_at: datetime | None
    found_at: datetime
    userid: str | None
    external_userid: str | None
    chat_id: str | None
    order_no: str | None
    reason: str
    action: str
    done: bool
    late_callback_at: datetime | None
    outage_id: int | None
    window_start: datetime
    window_end: datetime


@dataclass(frozen=True)
class OutageRecord:
    id: int
    source: str
    source_text: str
    process: str
    started_at: datetime
    ended_at: datetime
    seconds: float
    refused: int
    lost: int | None
    kinds: dict[str, int]
    recorded_at: datetime
    reconciled_at: datetime | None
    found: int
    note: str | None


def _missed(m: MissedEvent) -> MissedRecord:
    return MissedRecord(
        id=m.id, kind=m.kind, kind_text=KIND_TEXT.get(m.kind, m.kind),
        happened_at=m.happened_at, found_at=m.found_at, userid=m.userid,
        external_userid=m.external_userid, chat_id=m.chat_id, order_no=m.order_no,
        reason=m.reason, action=m.action, done=m.done_at is not None,
        late_callback_at=m.late_callback_at, outage_id=m.outage_id,
        window_start=m.window_start, window_end=m.window_end)


def _outage(o: StorageOutage) -> OutageRecord:
    return OutageRecord(
        id=o.id, source=o.source, source_text=SOURCE_TEXT.get(o.source, o.source),
        process=o.process, started_at=o.started_at, ended_at=o.ended_at,
        seconds=round((o.ended_at - o.started_at).total_seconds(), 1), refused=o.refused,
        lost=o.lost, kinds=dict(o.kinds or {}), recorded_at=o.recorded_at,
        reconciled_at=o.reconciled_at, found=o.found, note=o.note)


async def missed_page(*, kind: str | None = None, outage_id: int | None = None,
                      search: str | None = None, limit: int = 100, offset: int = 0
                      ) -> tuple[list[MissedRecord], int]:
    """Missed items, newest first; ``search`` looks in the ids, the order and the reason."""
    filters: dict[str, Any] = {}
    if kind:
        filters["kind"] = kind
    if outage_id is not None:
        filters["outage_id"] = outage_id
    q = MissedEvent.filter(**filters)
    if search:
        q = q.filter(Q(external_userid__icontains=search) | Q(userid__icontains=search)
                     | Q(order_no__icontains=search) | Q(chat_id__icontains=search)
                     | Q(reason__icontains=search))
    total = await q.count()
    return [_missed(m) for m in await q.order_by("-id").offset(offset).limit(limit)], total


async def outages_page(*, open_only: bool = False, limit: int = 100, offset: int = 0
                       ) -> tuple[list[OutageRecord], int]:
    """Recorded outages, newest first (``open_only``: not reconciled yet)."""
    q = StorageOutage.filter(reconciled_at__isnull=True) if open_only else StorageOutage.all()
    total = await q.count()
    return [_outage(o) for o in await q.order_by("-id").offset(offset).limit(limit)], total


@dataclass(frozen=True)
class Summary:
    days: int
    outages: int
    refused: int
    lost: int
    missed: int
    open: int  # not reconciled yet
    stale: int  # of those, recorded long enough ago that they should have been
    last_started_at: datetime | None


async def summary(days: int = 7, stale_after: timedelta = timedelta(minutes=10)) -> Summary:
    """The last ``days``: outages, callbacks refused and lost, missed items found, and the
    windows still waiting for reconciliation."""
    now = utcnow()
    rows = await StorageOutage.filter(recorded_at__gte=now - timedelta(days=days))
    open_rows = await StorageOutage.filter(reconciled_at__isnull=True)
    return Summary(
        days=days, outages=len(rows), refused=sum(r.refused for r in rows),
        lost=sum(r.lost or 0 for r in rows),
        missed=await MissedEvent.filter(found_at__gte=now - timedelta(days=days)).count(),
        open=len(open_rows),
        stale=sum(1 for r in open_rows if now - r.recorded_at > stale_after),
        last_started_at=max((r.started_at for r in rows), default=None))
