"""The orders lookup's hand-written SQL (``bot.orders.lookup``), on ``bot.infra.sql``.

A customer's orders are read for every kf reply that names ``{order_no}`` or
``{specialist}``: tortoise built two queries anew each time (by the customer, then by the
groups they are in), which cost the worker more than the queries themselves.
"""

from __future__ import annotations

from bot.infra import sql
from bot.models import CustomerGroupMember, Order

_SQL: dict[str, str] = {}


async def orders_of_customer(external_userid: str) -> list[Order]:
    """The customer's orders, newest first; when none names them as its customer, the
    orders of the customer groups they are a member of (one statement)."""
    conn = Order._meta.db
    p = sql.Params(sql.dialect_of(conn))
    mine, member, again = p.add([external_userid] * 3)
    text = _SQL.get(p.dialect)
    if text is None:
        cols = ", ".join(sql.quote(c) for c in Order._meta.fields_db_projection.values())
        orders, members = sql.table(Order), sql.table(CustomerGroupMember)
        text = _SQL[p.dialect] = (
            f"SELECT {cols} FROM {orders} WHERE customer_external_userid = {mine} "  # noqa: S608
            f"UNION ALL SELECT {cols} FROM {orders} WHERE group_chat_id IN ("
            f"SELECT group_id FROM {members} WHERE userid = {member} AND left_at IS NULL) "
            f"AND NOT EXISTS (SELECT 1 FROM {orders} WHERE customer_external_userid = {again}) "
            "ORDER BY id DESC")
    rows = await conn.execute_query_dict(text, p.values)
    return [Order._init_from_db(**row) for row in rows]
