"""Bearer-token authentication for the admin API, and the token endpoints themselves."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from aiohttp import web
from pydantic import BaseModel, Field

from bot.api_access import (
    TokenNameTaken,
    TokenRecord,
    create_token,
    list_tokens,
    revoke_token,
    verify_token,
)
from bot.web.admin.framework import Api, ApiError, ApiRequest, Principal
from bot.web.admin.names import staff_names
from bot.web.admin.paging import ListQuery, Paged, page_of

api = Api()


async def bearer(request: web.Request, raw: bytes) -> Principal | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    row = await verify_token(token.strip())
    if row is None:
        raise ApiError(401, "unauthorized", "访问令牌无效或已吊销")
    return Principal(name=row.name, role=row.role, kind="token")


class TokenIn(BaseModel):
    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")
    role: Literal["admin", "specialist", "viewer"]


class TokenOut(BaseModel):
    name: str
    role: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


class NewToken(TokenOut):
    token: str = Field(description="shown once; only its hash is stored")


class Me(BaseModel):
    name: str
    role: str
    display_name: str | None = None  # the directory's name, when the name is a userid


def _out(row: TokenRecord) -> dict[str, object]:
    return {"name": row.name, "role": row.role, "created_at": row.created_at,
            "last_used_at": row.last_used_at, "revoked": row.revoked}


@api.route("GET", "/me", roles=("admin", "specialist", "viewer"), response=Me, tag="auth")
async def whoami(req: ApiRequest) -> Me:
    """The caller's name and role (the console's sign-in check)."""
    assert req.principal is not None
    p = req.principal
    names = await staff_names(req.services, [p.name]) if p.kind != "erp" else {}
    return Me(name=p.name, role=p.role, display_name=names.get(p.name))


class TokenQuery(ListQuery):
    role: Literal["admin", "specialist", "viewer"] | None = None
    revoked: bool | None = None


@api.route("GET", "/tokens", query=TokenQuery, response=[TokenOut], tag="auth")
async def tokens_list(req: ApiRequest) -> Paged:
    """Every token, revoked ones included (never the token itself); ``q`` searches names."""
    q: TokenQuery = req.query
    rows = [TokenOut.model_validate(_out(r)) for r in await list_tokens()
            if (q.role is None or r.role == q.role)
            and (q.revoked is None or r.revoked == q.revoked)
            and (q.search is None or q.search.lower() in r.name.lower())]
    return page_of(rows, q, len(rows) or 1)


@api.route("POST", "/tokens", body=TokenIn, response=NewToken, status=201, tag="auth")
async def tokens_create(req: ApiRequest) -> NewToken:
    """Create a token; the response is the only time its value is shown."""
    try:
        token = await create_token(req.body.name, req.body.role)
    except TokenNameTaken:
        raise ApiError(409, "conflict", f"已有名为「{req.body.name}」的令牌",
                       "name") from None
    row = next(r for r in await list_tokens() if r.name == req.body.name)
    return NewToken.model_validate({**_out(row), "token": token})


@api.route("DELETE", "/tokens/{name}", status=204, tag="auth")
async def tokens_revoke(req: ApiRequest) -> None:
    """Revoke a token; it stops working at once."""
    if not await revoke_token(req.params["name"]):
        raise ApiError(404, "not_found", "没有这个名字的有效令牌")
