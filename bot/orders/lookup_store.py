"""The orders lookup's hand-written SQL (``bot.orders.lookup``), on ``bot.infra.sql``.

A customer's orders are read for every kf reply that names ``{order_no}`` or
``{specialist}``: tortoise built two queries anew each time (by the customer, then by the
groups they are in), which cost the worker more than the queries themselves. The
customers whose replies are composed side by side (a pull's) are read by one statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tortoise import BaseDBAsyncClient

from bot.infra import sql
from bot.infra.db import base_connection, in_a_transaction
from bot.infra.group_commit import loop_batcher
from bot.models import CustomerGroupMember, Order


async def orders_of_customer(external_userid: str) -> list[Order]:
    """The customer's orders, newest first; when none names them as its customer, the
    orders of the customer groups they are a member of. Read with those of the other
    customers asked for meanwhile, in one statement."""
    if in_a_transaction():  # it reads what its own transaction wrote
        return (await orders_of_customers([external_userid], Order._meta.db))[0]
    return await loop_batcher("orders.of_customer", _outside).submit(external_userid)


async def _outside(customers: Sequence[str]) -> list[list[Order]]:
    return await orders_of_customers(customers, base_connection())


async def orders_of_customers(customers: Sequence[str], conn: BaseDBAsyncClient
                              ) -> list[list[Order]]:
    """``orders_of_customer`` for each of ``customers``, by one statement."""
    p = sql.Params(sql.dialect_of(conn))
    unique = list(dict.fromkeys(customers))
    cols = ", ".join(f"o.{sql.quote(c)}" for c in Order._meta.fields_db_projection.values())
    orders, members = sql.table(Order), sql.table(CustomerGroupMember)
    mine = sql.any_of(p, Order, "customer_external_userid", unique,
                      column="o.customer_external_userid")
    member = sql.any_of(p, CustomerGroupMember, "userid", unique, column="m.userid")
    # (group, userid) is unique among the members: the join names each order once.
    rows = await conn.execute_query_dict(
        f"SELECT o.customer_external_userid AS who_, {cols} FROM {orders} o "  # noqa: S608
        f"WHERE {mine} UNION ALL "
        f"SELECT m.userid AS who_, {cols} FROM {orders} o JOIN {members} m "
        f"ON o.group_chat_id = m.group_id WHERE {member} AND m.left_at IS NULL "
        f"AND NOT EXISTS (SELECT 1 FROM {orders} x "
        f"WHERE x.customer_external_userid = m.userid) ORDER BY id DESC", p.values)
    found: dict[str, list[dict[str, Any]]] = {c: [] for c in unique}
    for row in rows:
        found[row.pop("who_")].append(row)
    return [[Order._init_from_db(**row) for row in found[c]] for c in customers]
