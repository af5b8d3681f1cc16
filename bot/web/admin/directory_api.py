"""Directory API: the members the app sees, for the console's team pickers."""

from __future__ import annotations

import aiohttp
from pydantic import BaseModel

from bot.protocol.errors import WeComError
from bot.web.admin.framework import Api, ApiError, ApiRequest
from bot.web.admin.paging import ListQuery, Paged

api = Api()
READ = ("admin", "specialist", "viewer")


class MemberOut(BaseModel):
    userid: str
    name: str


@api.route("GET", "/directory/members", roles=READ, query=ListQuery, response=[MemberOut],
           tag="directory")
async def directory_members(req: ApiRequest) -> Paged:
    """Members in the app's visible range, by name (cached ten minutes); ``q`` searches name
    and userid."""
    q: ListQuery = req.query
    try:
        members = await req.services.ports.directory.members()
    except (WeComError, aiohttp.ClientError, TimeoutError) as exc:
        raise ApiError(502, "wecom_error", f"读取企业微信通讯录失败：{exc}") from None
    text = (q.search or "").lower()
    found = [MemberOut(userid=u, name=n) for u, n in members
             if not text or text in u.lower() or text in n.lower()]
    offset, limit = q.window(500)
    return Paged(found[offset:offset + limit], len(found))
