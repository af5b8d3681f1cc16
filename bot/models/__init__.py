"""Tortoise models, one module per domain; everything is re-exported here for discovery.

Schema changes go through aerich (``scripts/makemigrations.py``), never by hand.
"""

from bot.models.admin import ApiToken, Role
from bot.models.conversations import (
    ChannelCode,
    ContactEvent,
    ConversationMessage,
    Direction,
    Escalation,
    EscalationStatus,
    GroupWelcomeTemplate,
    JoinWayRecord,
    KfConversation,
    KfCursor,
    RuleChange,
    RuleRow,
    RuleStat,
    UnansweredQuestion,
    WelcomeOutcome,
    WelcomeText,
)
from bot.models.inbox import InboxEvent, InboxStatus
from bot.models.outbox import OutboxMessage, OutboxStatus

__all__ = [
    "ApiToken",
    "ChannelCode",
    "ContactEvent",
    "ConversationMessage",
    "Direction",
    "Escalation",
    "EscalationStatus",
    "GroupWelcomeTemplate",
    "InboxEvent",
    "InboxStatus",
    "JoinWayRecord",
    "KfConversation",
    "KfCursor",
    "OutboxMessage",
    "OutboxStatus",
    "Role",
    "RuleChange",
    "RuleRow",
    "RuleStat",
    "UnansweredQuestion",
    "WelcomeOutcome",
    "WelcomeText",
]
