"""What a customer sees of an order's progress: the answer in kefu and the progress page.

Both show the current stage, the next one with its expected date (``bot.orders.eta``), and
the page's signed link (``bot.orders.progress_links``). The page shows every stage with its
dates and the team by name and role; never a milestone's note (the team's own words), and
the customer's name masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.infra.clock import cst_date
from bot.models import CustomerGroupMember, Milestone, Order
from bot.orders import eta, order_surveys, pipelines, progress_links
from bot.orders.orders import explicit_dates, plan_of, team_of
from bot.ports import Ports
from bot.settings import Settings

ROLES = (("specialist", "服务专员"), ("designer", "设计师"), ("installer", "安装师傅"))
OTHER_ROLE = "团队成员"


def mask_name(name: str | None) -> str:
    """陈** for 陈女士: the first character, a star for each of the rest."""
    name = (name or "").strip()
    if not name:
        return "客户"
    return name[0] + "*" * max(1, len(name) - 1)


async def reached_dates(order: Order) -> dict[str, date]:
    """When each stage was last reached (its latest milestone), China time."""
    out: dict[str, date] = {}
    for m in await Milestone.filter(order_id=order.id).order_by("occurred_at", "id"):
        out[m.stage] = cst_date(m.occurred_at)
    return out


def customer_text(order_no: str, plan: eta.Plan, link: str, today: date) -> str:
    """The kefu answer to "到哪了": one text, well within WeCom's 2,048 bytes."""
    lines: list[str] = []
    cur, nxt = plan.current, plan.next
    if cur is None:
        first = nxt.name if nxt else "—"
        lines.append(f"您的订单 {order_no} 还没有开始，第一步是「{first}」"
                     + (f"，预计 {eta.day_text(nxt.expected_on, today)}。"
                        if nxt and nxt.expected_on else "。"))
    elif nxt is None:
        lines.append(f"您的订单 {order_no} 已到最后一步「{cur.name}」"
                     f"（{eta.day_text(cur.reached_on, today)}）。")
    else:
        lines.append(f"您的订单 {order_no} 当前在「{cur.name}」阶段"
                     + (f"（{eta.day_text(cur.reached_on, today)}起）。" if cur.reached_on
                        else "。"))
        lines.append(f"下一步：{nxt.name}，预计 {eta.day_text(nxt.expected_on, today)}。")
        if plan.late:
            lines.append("当前阶段比原计划晚了一些，我们正在加紧处理，日期已按最新情况更新。")
    lines.append(f"完整进度请看：{link}")
    return "\n".join(lines)


def staff_text(order: Order, stages: pipelines.Stages, plan: eta.Plan, today: date,
               link: str | None) -> str:
    """What ``进度 <订单号>`` answers staff: the same dates the customer is told."""
    cur, nxt = plan.current, plan.next
    lines = [f"订单 {order.order_no}（{' → '.join(stages.names)}）",
             f"当前阶段：{order.stage or '未开始'}"
             + (f"（自 {eta.day_text(cur.reached_on, today)}）" if cur and cur.reached_on
                else "")]
    if nxt is None:
        lines.append("下一步：已完成")
    else:
        lines.append(f"下一步：{nxt.name}，预计 {eta.day_text(nxt.expected_on, today)}")
    if plan.late and plan.due is not None:
        lines.append(f"⚠ 当前阶段已超期（原计划 {eta.day_text(plan.due, today)}）")
    lines.append(f"客户群：{'已绑定' if order.group_chat_id else '未绑定'}")
    if link:
        lines.append(f"客户进度页：{link}")
    return "\n".join(lines)


# -- notices (templates) -----------------------------------------------------------------------

LINK_LINE = "订单进度随时查看：{progress_url}"  # added to a customer's notice that has no link


def as_of_milestone(order: Order, stages: pipelines.Stages, stage: str, reached_at: datetime,
                    now: datetime) -> eta.Plan:
    """The plan as a milestone left it: the order in ``stage`` since ``reached_at``."""
    return eta.project(stages, current=stage if stage in stages.names else None,
                       since=cst_date(reached_at), today=cst_date(now),
                       explicit=explicit_dates(order))


def notice_values(order: Order, stages: pipelines.Stages, *, stage: str, note: str | None,
                  reached_at: datetime, now: datetime, specialist: str = "",
                  progress_url: str = "") -> dict[str, str]:
    """A milestone notice template's variables (``pipelines.TEMPLATE_VARS``)."""
    nxt = stages.after(stage) if stage in stages.names else None
    plan = as_of_milestone(order, stages, stage, reached_at, now)
    expected = plan.next.expected_on if plan.next is not None else None
    return {"order_no": order.order_no, "stage": stage, "note": f"{note}。" if note else "",
            "next_stage": nxt.name if nxt else "完成",
            "next_date": eta.day_text(expected, cst_date(now)) if nxt else "—",
            "customer": order.customer_name or "", "specialist": specialist,
            "progress_url": progress_url}


def with_link(template: str, text: str, progress_url: str) -> str:
    """A customer's notice with the progress page's link: where the template puts
    ``{progress_url}``, else on a line of its own at the end."""
    if not progress_url or pipelines.uses(template, "progress_url"):
        return text
    return f"{text}\n{LINK_LINE.format(progress_url=progress_url)}"


# -- the customer's orders (kefu) -------------------------------------------------------------


async def customer_orders(external_userid: str) -> list[Order]:
    """The customer's orders (theirs, or bound to a group they are in now), newest first."""
    chats = await CustomerGroupMember.filter(
        userid=external_userid, left_at__isnull=True).values_list("group_id", flat=True)
    by_group = await Order.filter(group_chat_id__in=list(chats)) if chats else []
    own = await Order.filter(customer_external_userid=external_userid)
    found = {o.id: o for o in [*own, *by_group]}
    return sorted(found.values(), key=lambda o: o.id, reverse=True)


async def open_orders(external_userid: str) -> list[Order]:
    """The orders a customer may ask about: the open ones (not in their last stage), newest
    first; when none is open, the newest finished one."""
    orders = await customer_orders(external_userid)
    cache: dict[str, pipelines.Stages] = {}
    live = []
    for o in orders:
        if o.order_type not in cache:
            cache[o.order_type] = await pipelines.load(o.order_type)
        names = cache[o.order_type].names
        if not names or o.stage != names[-1]:
            live.append(o)
    return live or orders[:1]


async def reply_for(settings: Settings, external_userid: str, order_id: int,
                    now: datetime) -> str | None:
    """The progress answer about one of the customer's orders; None when it is not theirs."""
    order = next((o for o in await customer_orders(external_userid) if o.id == order_id), None)
    if order is None:
        return None
    stages = await pipelines.load(order.order_type)
    link = await progress_links.current_url(settings, order, now)
    return customer_text(order.order_no, plan_of(order, stages, now), link, cst_date(now))


# -- the page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamMember:
    role: str
    name: str


@dataclass(frozen=True)
class RatingView:
    """The order's satisfaction survey as the page offers it."""

    score: int | None  # None: not rated yet (the page links to the form)


@dataclass(frozen=True)
class PageView:
    order_no: str
    customer: str  # masked
    plan: eta.Plan
    today: date
    team: tuple[TeamMember, ...]
    rating: RatingView | None = None  # None: no survey asked (yet)


async def page(ports: Ports, token: object) -> PageView | None:
    """What the progress page shows for a token; None for a token that opens nothing."""
    now = ports.clock.now()
    order = await progress_links.order_of(ports.settings, token, now)
    if order is None:
        return None
    stages = await pipelines.load(order.order_type)
    plan = plan_of(order, stages, now, reached=await reached_dates(order))
    team = team_of(order)
    people: list[TeamMember] = []
    for field, role in ROLES:
        uid = getattr(team, field)
        if uid:
            people.append(TeamMember(role, await ports.directory.staff_name(uid)))
    for uid in team.others:
        if uid not in (team.specialist, team.designer, team.installer):
            people.append(TeamMember(OTHER_ROLE, await ports.directory.staff_name(uid)))
    # Asked only once a survey stage was reached: before that, no query for it.
    reached = stages.names[:stages.index(order.stage) + 1] \
        if order.stage in stages.names else []
    survey = await order_surveys.for_page(order) \
        if any(stages.get(n).survey for n in reached) else None
    return PageView(order.order_no, mask_name(order.customer_name), plan, cst_date(now),
                    tuple(people), RatingView(survey.score) if survey is not None else None)


# -- the API ----------------------------------------------------------------------------------


async def link_of(settings: Settings, order: Order, now: datetime) -> str:
    """The order's progress page link as given out now."""
    return await progress_links.current_url(settings, order, now)


async def revoke(order: Order) -> None:
    """Void the order's links; the next one asked for is new."""
    await progress_links.revoke(order)
