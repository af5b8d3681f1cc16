"""Outages and what WeCom gave up on during them (read-only): each recorded outage window,
and every missed item reconciliation found, with why and what was done."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from bot.pipeline import outage_queries
from bot.web.admin.framework import Api, ApiRequest
from bot.web.admin.names import staff_names
from bot.web.admin.paging import ListQuery, Paged

api = Api()
READ = ("admin", "specialist", "viewer")
Kind = Literal["contact_add", "group_join", "group_leave", "group_dismissed"]


class MissedQuery(ListQuery):
    kind: Kind | None = None
    outage_id: int | None = Field(default=None, ge=1, le=2**62)
    limit: int = Field(default=100, ge=1, le=500)


class MissedEventOut(BaseModel):
    id: int
    kind: Kind
    kind_text: str = Field(description="what was missed, in Chinese")
    happened_at: datetime | None = Field(description="when it happened in WeCom, if known")
    found_at: datetime
    userid: str | None
    staff_name: str | None = None
    external_userid: str | None
    chat_id: str | None
    order_no: str | None
    reason: str = Field(description="why it was missed (Chinese)")
    action: str = Field(description="what was done about it (Chinese)")
    done: bool
    late_callback_at: datetime | None = Field(
        description="its callback arrived after all (nothing was done twice)")
    outage_id: int | None
    window_start: datetime
    window_end: datetime


class OutageQuery(ListQuery):
    open: bool = Field(default=False, description="only those not reconciled yet")
    limit: int = Field(default=100, ge=1, le=500)


class OutageOut(BaseModel):
    id: int
    source: Literal["serve", "worker", "startup"]
    source_text: str
    process: str
    started_at: datetime
    ended_at: datetime
    seconds: float
    refused: int = Field(description="distinct callbacks answered 503")
    lost: int | None = Field(description="of those, never stored by a later retry")
    kinds: dict[str, int] = Field(description="the lost callbacks, by event type")
    recorded_at: datetime
    reconciled_at: datetime | None
    found: int
    note: str | None


@api.route("GET", "/missed-events", roles=READ, query=MissedQuery,
           response=[MissedEventOut], tag="outages")
async def list_missed(req: ApiRequest) -> Paged:
    """What WeCom gave up on during an outage and reconciliation found afterwards, newest
    first: new contacts (their welcome could not be sent; the member was told), and group
    joins, leaves and dismissals; ``q`` searches ids, order and reason."""
    q: MissedQuery = req.query
    offset, limit = q.window(q.limit)
    rows, total = await outage_queries.missed_page(kind=q.kind, outage_id=q.outage_id,
                                                   search=q.search, limit=limit,
                                                   offset=offset)
    out = [MissedEventOut.model_validate(asdict(r)) for r in rows]
    names = await staff_names(req.services, [m.userid for m in out if m.userid])
    for m in out:
        m.staff_name = names.get(m.userid or "")
    return Paged(out, total)


@api.route("GET", "/outages", roles=READ, query=OutageQuery, response=[OutageOut],
           tag="outages")
async def list_outages(req: ApiRequest) -> Paged:
    """Recorded outages, newest first: when callbacks could not be stored (or no serve
    answered), who saw it, how many callbacks were refused and lost, and what
    reconciliation found."""
    q: OutageQuery = req.query
    offset, limit = q.window(q.limit)
    rows, total = await outage_queries.outages_page(open_only=q.open, limit=limit,
                                                    offset=offset)
    return Paged([OutageOut.model_validate(asdict(r)) for r in rows], total)
