"""How the customers domain's refusals and pages look over HTTP (the contact-way, tag,
media and customer endpoints share them)."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import asdict
from typing import Any, TypeVar

from pydantic import BaseModel, Field

from bot.customers.customer_errors import Conflict, CustomersError, NotFound, Refused
from bot.web.admin.framework import ApiError

T = TypeVar("T")
READ = ("admin", "specialist", "viewer")
WRITE = ("admin",)
TAG_WRITE = ("admin", "specialist")  # specialists tag the customers they serve


class PageQuery(BaseModel):
    page: int = Field(default=1, ge=1, le=100_000)
    page_size: int = Field(default=20, ge=1, le=200)


class PageInfo(BaseModel):
    """A page's position (each list's page model adds its ``items``)."""

    total: int
    page: int
    page_size: int


def api_error(exc: CustomersError) -> ApiError:
    if isinstance(exc, NotFound):
        return ApiError(404, "not_found", exc.message, exc.field)
    if isinstance(exc, Conflict):
        return ApiError(409, "conflict", exc.message, exc.field)
    if isinstance(exc, Refused):
        return ApiError(400, "wecom_refused", exc.message, exc.field)
    return ApiError(400, "invalid", exc.message, exc.field)


async def domain(call: Awaitable[T]) -> T:
    """Await a domain call, its refusals as API errors."""
    try:
        return await call
    except CustomersError as exc:
        raise api_error(exc) from None


def path_id(params: dict[str, str], name: str, what: str) -> int:
    raw = params.get(name, "")
    if not raw.isdigit():
        raise ApiError(404, "not_found", f"没有这个{what}")
    return int(raw)


def as_dict(value: Any) -> dict[str, Any]:
    return asdict(value)
