"""Staff in app chat and the AI bot: commands (认领/解决/我的待办/进度), the escalation card's
claim button, the AI bot's welcome, and the staff FAQ for anything else."""

from __future__ import annotations

from bot.conversations import staff
from bot.conversations.cards import CLAIM_PREFIX
from bot.conversations.routes_help import COMMANDS
from bot.ports import HandlerContext, PassiveContext
from bot.protocol import text_limits as L
from bot.protocol.events import AibotEnterChat, AibotText, TemplateCardEvent, TextMessage
from bot.protocol.replies import TextReply, WelcomeReply
from bot.routing import Router, command_text, text_is, text_startswith

router = Router("staff")
# The catch-all FAQ goes last in the dispatcher, after every other command router.
faq_router = Router("staff-faq")

COMMANDS.extend([
    ("进度 <订单号>", "查询订单当前进度"),
    ("认领 <编号>", "认领一条客户转人工"),
    ("解决 <编号>", "把一条转人工标记为已解决"),
    ("我的待办", "列出我认领或分配给我的转人工"),
])


def _who(event: TextMessage | AibotText) -> str:
    """The member acting; "" for someone outside the corp (the AI bot names their corp)."""
    if isinstance(event, AibotText):
        return "" if event.from_corpid else event.from_userid or ""
    return event.from_user_name or ""


def _arg(event: TextMessage | AibotText) -> str:
    parts = (command_text(event) or "").split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


@router.passive(TextMessage, AibotText, filters=[text_startswith("认领")])
async def claim(event: TextMessage | AibotText, ctx: PassiveContext) -> TextReply:
    return TextReply(await staff.claim_command(ctx.ports, _who(event), _arg(event)))


@router.passive(TextMessage, AibotText, filters=[text_startswith("解决")])
async def resolve(event: TextMessage | AibotText, ctx: PassiveContext) -> TextReply:
    return TextReply(await staff.resolve_command(ctx.ports, _who(event), _arg(event)))


@router.passive(TextMessage, AibotText, filters=[text_is("我的待办", "待办")])
async def todo(event: TextMessage | AibotText, ctx: PassiveContext) -> TextReply:
    return TextReply(await staff.todo_command(ctx.ports, _who(event)))


@router.passive(TextMessage, AibotText, filters=[text_startswith("进度")])
async def progress(event: TextMessage | AibotText, ctx: PassiveContext) -> TextReply:
    return TextReply(await staff.progress_command(ctx.ports, _who(event), _arg(event)))


def _is_claim(event: TemplateCardEvent) -> bool:
    return (event.event_key or "").startswith(CLAIM_PREFIX)


@router.on(TemplateCardEvent, filters=[_is_claim])
async def claim_button(event: TemplateCardEvent, ctx: HandlerContext) -> TextReply:
    arg = (event.event_key or "")[len(CLAIM_PREFIX):]
    return TextReply(await staff.claim_command(ctx.ports, event.from_user_name or "", arg))


@router.passive(AibotEnterChat)
async def aibot_welcome(event: AibotEnterChat, ctx: PassiveContext) -> TextReply:
    return WelcomeReply(ctx.ports.settings.conversations.aibot_welcome)


def _has_text(event: TextMessage | AibotText) -> bool:
    return bool(command_text(event))


@faq_router.passive(TextMessage, AibotText, filters=[_has_text])
async def staff_faq(event: TextMessage | AibotText, ctx: PassiveContext) -> TextReply | None:
    channel = "aibot" if isinstance(event, AibotText) else "app"
    chat_id = event.chatid if isinstance(event, AibotText) else None
    # Passive app replies are cut by WeCom past APP_TEXT bytes (the AI bot's are not).
    limit = L.APP_TEXT if channel == "app" and ctx.in_request else None
    text = await staff.faq(ctx.ports, channel, command_text(event) or "", _who(event),
                           chat_id, passive_limit=limit)
    return TextReply(text) if text else None
