"""``action: order_progress``: a kefu customer asks how far along their order is.

One order: its stage, the next stage with its expected date and the link to its progress
page (the orders domain words it). Several open orders: a kf menu to pick one; the pick
comes back as a menu click (``PICK_PREFIX`` + the order's id) and gets that order's answer,
if it is the customer's. No order: the rule's own replies when it has some, else nothing
(the caller then runs the fallback, which offers a person). Every answer is a reply to the
customer's message, so it counts against WeCom's 5-in-48-hours like any other.
"""

from __future__ import annotations

from bot.conversations import compose
from bot.ports import OrderChoice, Ports
from bot.protocol import text_limits as L
from keywords import Menu, MenuItem, Message, Rule, Text

PICK_PREFIX = "order-progress-"  # a menu click id: PICK_PREFIX + the order's id
MENU_HEAD = "您有多个订单，请选择要查询的订单："
MENU_TAIL_MORE = "只列出了最近的 {n} 个订单，其他订单请回复“转人工”由专员为您查询。"


def picked_order(menu_id: str | None) -> int | None:
    """The order id a progress-menu click names, else None."""
    if not menu_id or not menu_id.startswith(PICK_PREFIX):
        return None
    tail = menu_id[len(PICK_PREFIX):]
    return int(tail) if tail.isdigit() and len(tail) <= 10 else None


def _label(c: OrderChoice) -> str:
    label = f"{c.order_no}（{c.stage or '未开始'}）"
    return label if L.size(label) <= L.KF_MENU_CLICK else c.order_no


def menu(choices: list[OrderChoice]) -> Menu:
    shown = choices[:L.KF_MENU_ITEMS]
    return Menu(
        items=tuple(MenuItem(type="click", id=f"{PICK_PREFIX}{c.order_id}", content=_label(c))
                    for c in shown),
        head=MENU_HEAD,
        tail=MENU_TAIL_MORE.format(n=len(shown)) if len(choices) > len(shown) else None)


async def answer(ports: Ports, external_userid: str, rule: Rule | None,
                 picked: int | None = None) -> list[Message]:
    """The messages that answer a progress question (``picked``: the order the customer
    chose from the menu); [] when there is no order to tell of and the rule has no replies."""
    choices = await ports.orders.orders_of_customer(external_userid)
    # A pick that is not one of their orders (any more) gets the orders they have now, as
    # if they had asked.
    choices = [c for c in choices if c.order_id == picked] or choices
    if len(choices) > 1:
        return [menu(choices)]
    if choices:
        text = await ports.orders.progress_reply(external_userid, choices[0].order_id)
        if text is not None:
            return [Text(text)]
    return compose.pick(rule) if rule is not None else []
