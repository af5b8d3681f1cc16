"""A customer's tags as the admin API gives and shows them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.customers import customer_store as db
from bot.customers import tags
from bot.customers.customer_errors import Invalid, NotFound
from bot.models import Customer
from bot.ports import Ports


@dataclass(frozen=True)
class CustomerTagRecord:
    tag_id: str
    name: str
    group_name: str
    cause: str
    marked: bool
    at: datetime


async def of(row: Customer) -> list[CustomerTagRecord]:
    have = await db.tags_with_cause(row)
    known = await db.tags_by_id(t.tag_id for t in have)
    return [CustomerTagRecord(t.tag_id, known[t.tag_id].name if t.tag_id in known else t.tag_id,
                              known[t.tag_id].group_name if t.tag_id in known else "",
                              t.cause, t.marked, t.at) for t in have]


async def change(ports: Ports, customer_id: int, *, add: Sequence[str], remove: Sequence[str],
                 cause: str) -> list[CustomerTagRecord]:
    """Every ref is checked before anything changes."""
    row = await db.customer(customer_id)
    if row is None:
        raise NotFound("没有这个客户")
    to_add, unknown = await tags.resolve(add)
    if unknown:
        raise Invalid(f"没有标签「{unknown[0]}」（或有重名：用“组名/标签名”指明）", "add")
    to_remove, unknown = await tags.resolve(remove)
    if unknown:
        raise Invalid(f"没有标签「{unknown[0]}」", "remove")
    if to_add:
        await tags.apply(ports, row, to_add, cause=cause)
    if to_remove:
        await tags.remove(ports, row, [t.tag_id for t in to_remove], cause=cause)
    return await of(row)
