"""Staff command 帮助 / help: lists the commands the bot knows (a passive reply)."""

from __future__ import annotations

from bot.ports import PassiveContext
from bot.protocol.events import AibotText, TextMessage
from bot.protocol.replies import TextReply
from bot.routing import Router, text_is

router = Router("help")

# (command, what it does): other command handlers register theirs here so help stays true.
COMMANDS: list[tuple[str, str]] = [("帮助 / help", "列出机器人支持的命令")]


def help_text() -> str:
    lines = ["可用命令："]
    lines += [f"· {cmd}：{desc}" for cmd, desc in COMMANDS]
    return "\n".join(lines)


@router.passive(TextMessage, AibotText, filters=[text_is("帮助", "help", "?", "？")])
async def show_help(event: TextMessage | AibotText, ctx: PassiveContext) -> TextReply:
    return TextReply(help_text())
