"""Staff commands and the staff FAQ (app chat and the AI bot): all local (``LocalPorts``), so
they can answer passively inside the callback; what a command needs of WeCom (a claimed kefu
session handed over) runs as a job."""

from __future__ import annotations

from bot.conversations import compose, escalation
from bot.conversations.rule_counters import count_rule
from bot.models import EscalationStatus
from bot.ports import LocalPorts
from bot.protocol import text_limits as L
from bot.routing import AnswerActively

STATUS_NAMES = {EscalationStatus.OPEN: "待认领", EscalationStatus.CLAIMED: "处理中",
                EscalationStatus.RESOLVED: "已解决"}


def _number(arg: str) -> int | None:
    arg = arg.strip().lstrip("#＃")
    return int(arg) if arg.isdigit() and len(arg) < 18 else None


NOT_STAFF = "只有本企业成员可以处理转人工。"


async def claim_command(ports: LocalPorts, userid: str, arg: str) -> str:
    if not userid:
        return NOT_STAFF
    esc_id = _number(arg)
    if esc_id is None:
        return "用法：认领 <编号>，例如：认领 12"
    try:
        esc = await escalation.claim(ports, esc_id, userid)
    except escalation.EscalationError as exc:
        return str(exc)
    return f"已认领 #{esc.id}（{esc.customer_name or esc.external_userid or esc.chat_id}）"


async def resolve_command(ports: LocalPorts, userid: str, arg: str) -> str:
    if not userid:
        return NOT_STAFF
    esc_id = _number(arg)
    if esc_id is None:
        return "用法：解决 <编号>，例如：解决 12"
    try:
        esc = await escalation.resolve(ports, esc_id, userid)
    except escalation.EscalationError as exc:
        return str(exc)
    return f"#{esc.id} 已标记为解决"


async def todo_command(ports: LocalPorts, userid: str) -> str:
    if not userid:
        return NOT_STAFF
    items = await escalation.todo(userid)
    if not items:
        return "你当前没有待处理的转人工。"
    lines = [f"你有 {len(items)} 条待处理："]
    lines += [f"#{e.id} {STATUS_NAMES[e.status]} · {e.customer_name or e.external_userid or '-'}"
              f" · {e.order_no or '无订单'}" for e in items]
    return "\n".join(lines)


async def progress_command(ports: LocalPorts, userid: str, arg: str) -> str:
    """The order's progress with the dates its customer is told; a member also gets the
    customer's progress page link (to pass on)."""
    order_no = arg.strip()
    if not order_no:
        return "用法：进度 <订单号>"
    text = await ports.orders.staff_progress(order_no, with_link=bool(userid))
    if text is None:
        return f"没有找到订单 {order_no}"
    return text


async def faq(ports: LocalPorts, channel: str, text: str, userid: str | None,
              chat_id: str | None = None, *, passive_limit: int | None = None) -> str | None:
    """Anything else staff write: the matcher with channel app / aibot; silence when no
    staff rule answers (staff chat is not a place to nag). ``passive_limit``: the bytes a
    passive answer may hold; a longer one raises AnswerActively before anything is counted
    (the job answers actively, in parts)."""
    at = ports.clock.now()
    m = ports.rules.matcher.match(text, channel=channel, at=at,
                                         scope={"userid": userid, "chat_id": chat_id})
    if m is None or m.rule.action != "reply":
        return None
    reply = compose.plain_text(compose.pick(m.rule), {})
    if passive_limit is not None and L.size(reply) > passive_limit:
        raise AnswerActively(f"{L.size(reply)} bytes")
    # Statistics after the answer: this runs inside the callback request (a passive reply),
    # whose ack should not wait for a counter's write.
    ports.background.spawn(count_rule(m.rule.id, channel, at, hits=1, replies=1 if reply else 0))
    ports.metrics.rule_hit(m.rule.id, channel)
    return reply or None
