"""Admin API: 「联系我」 channel codes (渠道活码): list, create, read, change, delete, and the
QR picture to show or download."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from aiohttp import web
from pydantic import BaseModel, Field

from bot.customers import contact_ways
from bot.customers.contact_ways import ContactWayInput, ContactWayRecord
from bot.web.admin.customers_http import (
    READ,
    WRITE,
    PageInfo,
    PageQuery,
    as_dict,
    domain,
    path_id,
)
from bot.web.admin.framework import Api, ApiRequest

api = Api()
TAG = "contact-ways"
WAY_ID = "{way_id:[0-9]{1,9}}"


class ContactWayIn(BaseModel):
    """A channel code. Limits are checked by the domain, with Chinese messages naming the
    field: ≤100 members, state ≤30 characters, ≤9 welcome attachments …"""

    name: str | None = None
    users: list[str] | None = None
    multi: bool | None = None  # several members (type 2); default: more than one user given
    scene: int | None = None  # 2 QR (default), 1 mini-program button
    style: int | None = None
    state: str | None = None  # generated when not given
    skip_verify: bool | None = None
    remark: str | None = None
    welcome_text: str | None = None
    welcome_attachments: list[dict[str, Any]] | None = None
    tags: list[str] | None = None  # corp tag ids given to customers who come through it
    remark_template: str | None = None  # the member's remark of them, e.g. "{name}-展会"


class ContactWayOut(BaseModel):
    id: int
    name: str
    state: str
    config_id: str
    multi: bool
    scene: int
    style: int | None
    users: list[str]
    skip_verify: bool
    remark: str
    qr_code: str
    qr_download: str  # this API's path for the picture
    welcome_text: str
    welcome_attachments: list[dict[str, Any]]
    tags: list[str]
    remark_template: str | None
    added: int = Field(description="customers added through it")
    lost: int = Field(description="of them, who deleted the member since")
    created_by: str
    created_at: datetime
    updated_at: datetime


class ContactWayPage(PageInfo):
    items: list[ContactWayOut]


class ContactWayQuery(PageQuery):
    q: str | None = Field(default=None, max_length=64)  # name, state or remark
    userid: str | None = Field(default=None, max_length=64)


def out(r: ContactWayRecord) -> ContactWayOut:
    qr = f"/api/v1/contact-ways/{r.id}/qr" if r.qr_code else ""
    return ContactWayOut(**as_dict(r), qr_download=qr)


def _input(body: ContactWayIn) -> ContactWayInput:
    return ContactWayInput(**body.model_dump(), given=set(body.model_fields_set))


@api.route("GET", "/contact-ways", roles=READ, query=ContactWayQuery, response=ContactWayPage,
           tag=TAG)
async def list_contact_ways(req: ApiRequest) -> ContactWayPage:
    """Channel codes, newest first, with how many customers each brought and lost."""
    q = req.query
    rows, total = await contact_ways.listing(q=q.q, userid=q.userid, page=q.page,
                                             page_size=q.page_size)
    return ContactWayPage(items=[out(r) for r in rows], total=total, page=q.page,
                          page_size=q.page_size)


@api.route("POST", "/contact-ways", roles=WRITE, body=ContactWayIn, response=ContactWayOut,
           status=201, tag=TAG)
async def create_contact_way(req: ApiRequest) -> ContactWayOut:
    """Make a channel code in WeCom (add_contact_way) and keep it with its welcome, tags and
    remark template; nothing is kept when anything is refused."""
    actor = req.principal.name if req.principal else ""
    return out(await domain(contact_ways.create(req.services.ports, _input(req.body),
                                                actor=actor)))


@api.route("GET", "/contact-ways/" + WAY_ID, roles=READ, response=ContactWayOut, tag=TAG)
async def get_contact_way(req: ApiRequest) -> ContactWayOut:
    """One channel code."""
    return out(await domain(contact_ways.get(path_id(req.params, "way_id", "渠道活码"))))


@api.route("PATCH", "/contact-ways/" + WAY_ID, roles=WRITE, body=ContactWayIn,
           response=ContactWayOut, tag=TAG)
async def update_contact_way(req: ApiRequest) -> ContactWayOut:
    """Change what is given (members, remark, skip_verify in WeCom; welcome, tags, remark
    template, name here); state, single/multi and scene cannot change."""
    way_id = path_id(req.params, "way_id", "渠道活码")
    return out(await domain(contact_ways.update(req.services.ports, way_id,
                                                _input(req.body))))


@api.route("DELETE", "/contact-ways/" + WAY_ID, roles=WRITE, status=204, tag=TAG)
async def delete_contact_way(req: ApiRequest) -> None:
    """Delete it in WeCom and here (its statistics stay under its channel code)."""
    await domain(contact_ways.delete(req.services.ports, path_id(req.params, "way_id",
                                                                 "渠道活码")))


@api.route("GET", "/contact-ways/" + WAY_ID + "/qr", roles=READ, tag=TAG,
           media=("image/png", "image/jpeg", "application/octet-stream"))
async def contact_way_qr(req: ApiRequest) -> web.Response:
    """The QR picture, as a download."""
    data, kind, name = await domain(contact_ways.qr_image(
        req.services.ports, path_id(req.params, "way_id", "渠道活码")))
    # The name percent-encoded (RFC 6266): no header injection through a channel's name.
    return web.Response(body=data, content_type=kind.split(";")[0], headers={
        "Content-Disposition": f"attachment; filename=\"qr.png\"; "
                               f"filename*=UTF-8''{quote(name, safe='')}"})
