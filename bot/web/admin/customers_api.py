"""Admin API: the customer record (客户) — the list, searchable by name, remark, phone and
order number and filtered by tag, member, channel and orders; one customer with their
follows, kf conversations, groups, orders, tags and a merged timeline; the contact sync.
Phone numbers are masked for viewers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from bot.customers import contact_sync, records
from bot.ports import Directory
from bot.web.admin.customers_http import READ, WRITE, PageInfo, PageQuery, as_dict, domain, path_id
from bot.web.admin.framework import Api, ApiRequest
from bot.web.admin.names import CauseNames

api = Api()
TAG = "customers"


class CustomerQuery(PageQuery):
    q: str | None = Field(default=None, max_length=64)  # name, remark, phone, order number
    tag: str | None = Field(default=None, max_length=64)  # a tag id
    staff: str | None = Field(default=None, max_length=64)  # a member who has them
    channel: str | None = Field(default=None, max_length=30)  # the state they came through
    has_order: bool | None = None


class CustomerSummaryOut(BaseModel):
    id: int
    external_userid: str
    name: str
    phone: str | None
    is_contact: bool
    via_kefu: bool
    staff: list[str]
    tags: list[str]
    updated_at: datetime


class CustomerPage(PageInfo):
    items: list[CustomerSummaryOut]


class FollowOut(BaseModel):
    userid: str
    staff_name: str
    remark: str
    add_time: datetime | None
    state: str
    channel: str
    status: str
    status_text: str


class TagOut(BaseModel):
    tag_id: str
    name: str
    group_name: str
    cause: str
    cause_text: str = ""  # the cause as people read it: 渠道活码「展厅」…
    marked: bool
    at: datetime


class TimelineOut(BaseModel):
    at: datetime
    kind: str
    text: str
    detail: dict[str, Any]


class CustomerOut(BaseModel):
    id: int
    external_userid: str
    name: str
    type: int
    corp_name: str
    gender: int
    avatar: str
    phone: str | None
    is_contact: bool
    via_kefu: bool
    first_seen_at: datetime
    follows: list[FollowOut]
    kefu: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    orders: list[dict[str, Any]]
    tags: list[TagOut]
    escalations: list[dict[str, Any]]
    timeline: list[TimelineOut]


class SyncOut(BaseModel):
    id: int | None = None
    kind: str | None = None
    status: str = "never"  # never | running | done | failed
    contacts: int = 0
    calls: int = 0
    error: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None


class _DirectoryNames:
    """Members by their directory name, read from WeCom when not known yet (cached a day):
    the console's answers name people; only passive handlers must not ask."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory

    async def known_name(self, userid: str | None) -> str:
        return await self.directory.staff_name(userid) if userid else ""


def _masked(req: ApiRequest) -> bool:
    return req.principal is None or req.principal.role == "viewer"


def _sync_out(run: contact_sync.SyncRecord | None) -> SyncOut:
    return SyncOut(**as_dict(run)) if run is not None else SyncOut()


@api.route("GET", "/customers", roles=READ, query=CustomerQuery, response=CustomerPage,
           tag=TAG)
async def list_customers(req: ApiRequest) -> CustomerPage:
    """Customers, most recently changed first."""
    q = req.query
    rows, total = await records.search(q=q.q, tag=q.tag, staff=q.staff, channel=q.channel,
                                       has_order=q.has_order, page=q.page,
                                       page_size=q.page_size, mask=_masked(req))
    return CustomerPage(items=[CustomerSummaryOut(**as_dict(r)) for r in rows], total=total,
                        page=q.page, page_size=q.page_size)


@api.route("GET", "/customers/sync", roles=READ, response=SyncOut, tag=TAG)
async def sync_status(req: ApiRequest) -> SyncOut:
    """The last contact sync: how far, how many contacts, how many WeCom calls."""
    return _sync_out(await contact_sync.status())


@api.route("POST", "/customers/sync", roles=WRITE, response=SyncOut, status=202, tag=TAG)
async def start_sync(req: ApiRequest) -> SyncOut:
    """Start a full contact sync now (or carry on with the one under way), as a job."""
    await req.services.ports.jobs.enqueue("customers_sync", "full",
                                          job_id=f"customers-sync:api:{id(req)}")
    return _sync_out(await contact_sync.status())


@api.route("GET", "/customers/{customer_id:[0-9]{1,9}}", roles=READ, response=CustomerOut,
           tag=TAG)
async def get_customer(req: ApiRequest) -> CustomerOut:
    """One customer, with everything we know and the timeline, oldest first."""
    rec = await domain(records.get(path_id(req.params, "customer_id", "客户"),
                                   _DirectoryNames(req.services.ports.directory),
                                   mask=_masked(req)))
    out = CustomerOut.model_validate(as_dict(rec))
    causes = CauseNames(req.services)
    for t in out.tags:
        t.cause_text = await causes.text(t.cause)
    for e in out.timeline:
        if e.kind == "tag" and isinstance(e.detail.get("cause"), str):
            e.detail["cause_text"] = await causes.text(e.detail["cause"])
    return out
