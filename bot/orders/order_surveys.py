"""The customer is asked to rate the team once an order reaches a stage marked ``survey``
(验收 by default): a kf menu while their kf window is open and their allowance has room
(a kefu notice like a milestone's, so it shows on the timeline with why it did not go),
and always a link on the progress page to a small rating form (``/p/{token}/rate``).

The survey is written with the milestone, in its transaction; the rating counts for the
order's specialist, designer and installer as they are then. Recording a rating and raising
a low one is the conversations side's (``bot.conversations.surveys``), whichever way it came.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from bot.models import Milestone, Notification, Order, Survey, SurveyPerson
from bot.models.surveys import rating_menu
from bot.orders import progress_links
from bot.orders.orders import team_of
from bot.ports import Ports
from bot.protocol import text_limits as L
from bot.settings import Settings

KIND = "survey"  # the kefu notice's kind
RATE_PATH = "/rate"  # the form, under the progress page's own path
# After the stage's own notice (its job runs at once): the menu comes second.
DELAY_SECONDS = 10.0


def team_roles(order: Order) -> list[tuple[str, str]]:
    """(userid, role) of the order's named roles: whom an order's rating counts for."""
    team = team_of(order)
    return [(uid, role) for role, uid in (("specialist", team.specialist),
                                          ("designer", team.designer),
                                          ("installer", team.installer)) if uid]


async def ask(conn: BaseDBAsyncClient, order: Order, m: Milestone) -> Notification | None:
    """Inside the milestone's transaction: the survey, whom it rates, and the kefu notice
    that will carry its menu (None: no kf identity known, the page link only)."""
    euid = order.customer_external_userid
    survey = await Survey.create(
        kind="order", key=f"milestone:{m.id}", external_userid=euid,
        customer_name=order.customer_name, open_kfid=order.open_kfid,
        order_id=order.id, order_no=order.order_no, stage=m.stage,
        asked_via="kf" if euid else "page", ask_status="pending" if euid else "skipped",
        using_db=conn)
    for userid, role in team_roles(order):
        await SurveyPerson.get_or_create(survey=survey, userid=userid, role=role,
                                         using_db=conn)
    if not euid:
        return None
    return await Notification.create(order=order, milestone=m, kind=KIND, channel="kefu",
                                     recipient=euid, using_db=conn)


async def rate_url(settings: Settings, order: Order, now: datetime) -> str:
    return await progress_links.current_url(settings, order, now) + RATE_PATH


async def survey_of(n: Notification) -> Survey | None:
    return await Survey.get_or_none(key=f"milestone:{n.milestone_id}")  # type: ignore[attr-defined]


async def menu_payload(ports: Ports, n: Notification, order: Order, now: datetime
                       ) -> tuple[str, dict[str, Any]] | str:
    """The rating menu of the notice's survey, or why it should not go any more."""
    survey = await survey_of(n)
    if survey is None:
        return "没有找到这次评价"
    if survey.score is not None:
        return "客户已经在进度页评价过"
    link = await rate_url(ports.settings, order, now)
    tail = f"也可以在这里评价并留言：{link}"
    return "msgmenu", rating_menu(
        survey.id, f"您的订单 {order.order_no} 已完成「{survey.stage}」，请为我们的服务打分：",
        tail if L.size(tail) <= L.KF_MENU_HEAD_TAIL else None)


async def mark(n: Notification, status: str) -> None:
    """The survey's ask as its kefu notice went: sent, or skipped (no kf channel)."""
    await Survey.filter(key=f"milestone:{n.milestone_id}", ask_status="pending").update(  # type: ignore[attr-defined]
        ask_status=status)


async def for_page(order: Order) -> Survey | None:
    """The order's survey the progress page offers: its latest."""
    return await Survey.filter(order_id=order.id, kind="order").order_by("-id").first()


async def for_token(settings: Settings, token: object, now: datetime
                    ) -> tuple[Order, Survey | None] | None:
    """The order a progress link opens and its survey (None: a link that opens nothing)."""
    order = await progress_links.order_of(settings, token, now)
    if order is None:
        return None
    return order, await for_page(order)
