"""Admin API: corp tags (客户标签), kept equal to WeCom's, and tags given to a customer
(marked in WeCom for every member who has them, each application recorded with its cause)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from bot.customers import customer_tags, tags
from bot.web.admin.customers_http import READ, TAG_WRITE, WRITE, as_dict, domain, path_id
from bot.web.admin.framework import Api, ApiError, ApiRequest
from bot.web.admin.names import CauseNames

api = Api()
TAG = "tags"
ITEM = "{item_id:[A-Za-z0-9_-]{1,64}}"


class TagOut(BaseModel):
    tag_id: str
    name: str
    group_id: str
    group_name: str
    order: int


class TagGroupOut(BaseModel):
    group_id: str
    group_name: str
    tags: list[TagOut]


class TagQuery(BaseModel):
    q: str | None = Field(default=None, max_length=30)  # in a tag's or a group's name
    group_id: str | None = Field(default=None, max_length=64)


class TagsIn(BaseModel):
    """New tags: into the group ``group_id``, or a new group named ``group_name``."""

    names: list[str] = Field(default_factory=list, max_length=100)
    group_id: str | None = None
    group_name: str | None = None


class TagEditIn(BaseModel):
    name: str | None = None
    order: int | None = Field(default=None, ge=0, le=2**32 - 1)


class SyncOut(BaseModel):
    tags: int
    removed: int


class CustomerTagsIn(BaseModel):
    """Tags by id, by name, or as "组名/标签名"."""

    add: list[str] = Field(default_factory=list, max_length=100)
    remove: list[str] = Field(default_factory=list, max_length=100)


class CustomerTagOut(BaseModel):
    tag_id: str
    name: str
    group_name: str
    cause: str  # channel:<state>, rule:<id>, api:<who>, wecom (set in WeCom's client)
    cause_text: str = ""  # the cause as people read it: 渠道活码「展厅」…
    marked: bool  # marked in WeCom (else kept here only: no member has the customer)
    at: datetime


@api.route("GET", "/tags", roles=READ, query=TagQuery, response=[TagGroupOut], tag=TAG)
async def list_tags(req: ApiRequest) -> list[TagGroupOut]:
    """The corp's tags by group, as last read from WeCom."""
    q, group = req.query.q, req.query.group_id
    groups: dict[str, TagGroupOut] = {}
    for t in await tags.listing():
        if group and t.group_id != group:
            continue
        if q and q not in t.name and q not in t.group_name:
            continue
        g = groups.setdefault(t.group_id, TagGroupOut(group_id=t.group_id,
                                                      group_name=t.group_name, tags=[]))
        g.tags.append(TagOut(**as_dict(t)))
    return list(groups.values())


@api.route("POST", "/tags", roles=WRITE, body=TagsIn, response=[TagOut], status=201, tag=TAG)
async def create_tags(req: ApiRequest) -> list[TagOut]:
    """Make tags in WeCom (add_corp_tag) and here."""
    b = req.body
    made = await domain(tags.create(req.services.ports, names=b.names, group_id=b.group_id,
                                    group_name=b.group_name))
    return [TagOut(**as_dict(t)) for t in made]


@api.route("POST", "/tags/sync", roles=WRITE, response=SyncOut, tag=TAG)
async def sync_tags(req: ApiRequest) -> SyncOut:
    """Read the tag list from WeCom now (it is also read on every change_external_tag)."""
    kept, removed = await domain(tags.sync(req.services.ports))
    return SyncOut(tags=kept, removed=removed)


@api.route("PATCH", "/tags/" + ITEM, roles=WRITE, body=TagEditIn, status=204, tag=TAG)
async def edit_tag(req: ApiRequest) -> None:
    """Rename or reorder a tag or a tag group (by its id) in WeCom and here."""
    b = req.body
    await domain(tags.edit(req.services.ports, req.params["item_id"], name=b.name,
                           order=b.order))


@api.route("DELETE", "/tags/" + ITEM, roles=WRITE, status=204, tag=TAG)
async def delete_tag(req: ApiRequest) -> None:
    """Delete a tag, or a whole group (by its id), in WeCom and here."""
    item = req.params["item_id"]
    listed = await tags.listing()
    if any(t.group_id == item for t in listed):
        await domain(tags.delete(req.services.ports, group_ids=[item]))
    elif any(t.tag_id == item for t in listed):
        await domain(tags.delete(req.services.ports, tag_ids=[item]))
    else:
        raise ApiError(404, "not_found", "没有这个标签或标签组")


@api.route("POST", "/customers/{customer_id:[0-9]{1,9}}/tags", roles=TAG_WRITE,
           body=CustomerTagsIn, response=[CustomerTagOut], tag=TAG)
async def tag_customer(req: ApiRequest) -> list[CustomerTagOut]:
    """Give or take tags (marked in WeCom for each member who has the customer; a
    customer only seen in kefu keeps them here). Answers the customer's tags now."""
    if not req.body.add and not req.body.remove:
        raise ApiError(400, "invalid", "请指定要添加或移除的标签", "add")
    who = req.principal.name if req.principal else "api"
    now = await domain(customer_tags.change(
        req.services.ports, path_id(req.params, "customer_id", "客户"), add=req.body.add,
        remove=req.body.remove, cause=f"api:{who}"))
    causes = CauseNames(req.services)
    return [CustomerTagOut(**as_dict(t), cause_text=await causes.text(t.cause)) for t in now]
