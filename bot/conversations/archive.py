"""Archived group messages (会话内容存档, pulled by ``bot.pipeline.pullers.archive_sync``): a hit of
an escalate rule raises an escalation. There is never an auto-reply: WeCom has no API to post
into a customer group.
"""

from __future__ import annotations

from bot.conversations import escalation
from bot.conversations.rule_counters import count_rule
from bot.infra.logs import get_logger
from bot.ports import Ports
from bot.protocol.events.archived import ArchivedMessage

log = get_logger("bot.archive")


async def on_message(ports: Ports, ev: ArchivedMessage) -> None:
    if ev.action != "send" or ev.msgtype != "text" or not ev.content:
        return
    at = ports.clock.now()
    m = ports.rules.matcher.match(ev.content, channel="archive", at=at,
                                         scope={"chat_id": ev.roomid, "userid": ev.sender})
    if m is None or m.rule.action != "escalate":
        return  # no auto-reply into a customer group: WeCom does not allow one
    await count_rule(m.rule.id, "archive", at, hits=1)
    ports.metrics.rule_hit(m.rule.id, "archive")
    where = ev.roomid or ev.sender
    customer = ev.sender if ev.sender.startswith(("wm", "wo")) else None
    await escalation.escalate_other(ports, channel="archive",
                                    conversation=f"archive:{where}", reason="archive",
                                    rule_id=m.rule.id, chat_id=ev.roomid or None,
                                    external_userid=customer)
    log.info("archive.escalated", rule=m.rule.id)
