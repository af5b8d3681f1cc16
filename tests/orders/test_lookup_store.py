"""A customer's orders in one statement: by the customer, else by the groups they are in."""

from __future__ import annotations

import asyncio

import pytest
from tortoise.transactions import in_transaction

from bot.infra.clock import utcnow
from bot.models import CustomerGroup, CustomerGroupMember, Order
from bot.orders import lookup_store
from tests.harness.statements import counting_statements


async def _order(no: str, customer: str | None = None, chat: str | None = None) -> Order:
    return await Order.create(order_no=no, customer_external_userid=customer,
                              group_chat_id=chat, specialist="zhangwei",
                              team={"specialist": "zhangwei", "others": []})


async def _member(chat: str, userid: str, *, left: bool = False) -> None:
    group, _ = await CustomerGroup.get_or_create(chat_id=chat)
    await CustomerGroupMember.create(group=group, userid=userid, type=2,
                                     left_at=utcnow() if left else None)


async def test_a_customers_orders_by_themselves_else_by_their_groups(database: str) -> None:
    await _order("A1", customer="wmOwner", chat="wrA")
    await _order("A2", customer="wmOwner")
    await _order("B1", chat="wrB")
    await _order("C1", chat="wrC")
    for chat in ("wrA", "wrB"):
        await _member(chat, "wmRelative")
    await _member("wrC", "wmRelative", left=True)  # left that group: not theirs any more
    await _member("wrB", "wmOwner")  # their own orders come first, and alone

    own = await lookup_store.orders_of_customer("wmOwner")
    assert [o.order_no for o in own] == ["A2", "A1"]
    assert own[0].team == {"specialist": "zhangwei", "others": []}
    assert [o.order_no for o in await lookup_store.orders_of_customer("wmRelative")] == [
        "B1", "A1"]
    assert await lookup_store.orders_of_customer("wmNobody") == []


async def test_customers_asked_for_side_by_side_are_read_by_one_statement(
    database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The customers whose kf replies are composed together (a pull's) ask at once: one
    statement answers them all, each with their own orders as if asked alone."""
    await _order("A1", customer="wmOwner", chat="wrA")
    await _order("A2", customer="wmOwner")
    await _order("B1", chat="wrB")
    for chat in ("wrA", "wrB"):
        await _member(chat, "wmRelative")
    await _member("wrB", "wmOwner")
    who = ["wmOwner", "wmRelative", "wmNobody", "wmOwner"]
    with counting_statements(monkeypatch) as seen:
        got = await asyncio.gather(*(lookup_store.orders_of_customer(w) for w in who))
    assert [[o.order_no for o in orders] for orders in got] == [
        ["A2", "A1"], ["B1", "A1"], [], ["A2", "A1"]]
    assert got[0][0] is not got[3][0]  # each caller's own rows
    assert sum(seen.values()) == 1, seen
    async with in_transaction():  # inside a transaction: its own connection, at once
        assert [o.order_no for o in await lookup_store.orders_of_customer("wmOwner")] == [
            "A2", "A1"]
