"""The escalation notice staff receive: an app template card with a 我来处理 (claim) button."""

from __future__ import annotations

from typing import Any

from bot.models import ConversationMessage, Direction, Escalation, Survey, SurveyPerson
from bot.ports import Ports

CHANNEL_NAMES = {"kefu": "微信客服", "archive": "客户群（会话存档）", "app": "应用消息",
                 "survey": "满意度评价"}
REASONS = {"rule": "关键词", "unmatched": "连续未识别", "menu": "菜单转人工",
           "budget": "消息额度用尽", "archive": "群内关键词", "rating": "低分评价"}
ROLE_NAMES = {"servicer": "接待人员", "specialist": "专员", "designer": "设计师",
              "installer": "安装师傅"}
CLAIM_PREFIX = "claim:"
HISTORY = 10


async def history(conversation: str, limit: int = HISTORY) -> list[str]:
    rows = await ConversationMessage.filter(conversation=conversation).order_by("-id").limit(limit)
    lines = []
    for r in reversed(rows):
        who = "客户" if r.direction == Direction.IN else "机器人"
        lines.append(f"{who}：{(r.content or '[' + r.msgtype + ']')[:60]}")
    return lines


async def escalation_card(ports: Ports, esc: Escalation, attempt: int) -> dict[str, Any]:
    if esc.reason == "rating":
        return await rating_card(ports, esc, attempt)
    order = await ports.orders.by_number(esc.order_no) if esc.order_no else None
    customer = esc.customer_name or esc.external_userid or "-"
    fields = [
        {"keyname": "客户", "value": customer[:30]},
        {"keyname": "渠道", "value": CHANNEL_NAMES.get(esc.channel, esc.channel)},
        {"keyname": "原因", "value": REASONS.get(esc.reason, esc.reason)},
        {"keyname": "订单", "value": esc.order_no or "无"},
    ]
    if order is not None and order.stage:
        fields.append({"keyname": "阶段", "value": order.stage})
    title = {0: "客户请求人工服务", 1: "【提醒】客户仍在等待", 2: "【超时上报】无人认领"}[attempt]
    lines = await history(esc.conversation)
    return {
        "card_type": "button_interaction",
        "main_title": {"title": f"{title} #{esc.id}", "desc": f"发送“认领 {esc.id}”也可认领"},
        "quote_area": {"type": 0, "title": "最近消息", "quote_text": "\n".join(lines)[:500]},
        "horizontal_content_list": fields,
        "task_id": f"esc{esc.id}-{attempt}",
        "button_list": [{"text": "我来处理", "style": 1, "key": f"{CLAIM_PREFIX}{esc.id}"}],
    }


async def rating_card(ports: Ports, esc: Escalation, attempt: int) -> dict[str, Any]:
    """A low satisfaction rating raised to the supervisor: the score, whom it rates, the
    customer's sentence."""
    survey = await Survey.get_or_none(escalation_id=esc.id)
    rated = []
    for p in await SurveyPerson.filter(survey_id=survey.id).order_by("id") if survey else []:
        rated.append(f"{await ports.directory.staff_name(p.userid)}"
                     f"（{ROLE_NAMES.get(p.role, p.role)}）")
    fields = [
        {"keyname": "客户", "value": (esc.customer_name or esc.external_userid or "-")[:30]},
        {"keyname": "评分", "value": f"{survey.score} 分" if survey else "-"},
        {"keyname": "评价对象", "value": "、".join(rated)[:60] or "—"},
        {"keyname": "订单", "value": esc.order_no or "无"},
    ]
    if survey is not None and survey.stage:
        fields.append({"keyname": "阶段", "value": survey.stage})
    title = "【提醒】低分评价仍未处理" if attempt else "【低分评价】请跟进"
    comment = survey.comment if survey and survey.comment else "（客户没有留言）"
    return {
        "card_type": "button_interaction",
        "main_title": {"title": f"{title} #{esc.id}", "desc": f"发送“认领 {esc.id}”也可认领"},
        "quote_area": {"type": 0, "title": "客户的话", "quote_text": comment[:500]},
        "horizontal_content_list": fields,
        "task_id": f"esc{esc.id}-{attempt}",
        "button_list": [{"text": "我来处理", "style": 1, "key": f"{CLAIM_PREFIX}{esc.id}"}],
    }
