"""Tortoise models, one module per domain; everything is re-exported here for discovery.

Schema changes go through aerich (``scripts/makemigrations.py``), never by hand.
"""

from bot.models.admin import ApiToken, ConsoleSession, Role, StaffRole
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
    KfWelcome,
    RuleChange,
    RuleRow,
    RuleStat,
    UnansweredQuestion,
    WelcomeOutcome,
    WelcomeText,
)
from bot.models.inbox import InboxEvent, InboxStatus
from bot.models.orders import (
    ApiKey,
    CustomerGroup,
    CustomerGroupMember,
    GroupNotice,
    GroupNoticeStatus,
    Milestone,
    Notification,
    NotificationStatus,
    Order,
    Pipeline,
)
from bot.models.outbox import OutboxMessage, OutboxStatus

__all__ = [
    "ApiKey",
    "ApiToken",
    "ChannelCode",
    "ConsoleSession",
    "ContactEvent",
    "ConversationMessage",
    "CustomerGroup",
    "CustomerGroupMember",
    "Direction",
    "Escalation",
    "EscalationStatus",
    "GroupNotice",
    "GroupNoticeStatus",
    "GroupWelcomeTemplate",
    "InboxEvent",
    "InboxStatus",
    "JoinWayRecord",
    "KfConversation",
    "KfCursor",
    "KfWelcome",
    "Milestone",
    "Notification",
    "NotificationStatus",
    "Order",
    "OutboxMessage",
    "OutboxStatus",
    "Pipeline",
    "Role",
    "RuleChange",
    "RuleRow",
    "RuleStat",
    "StaffRole",
    "UnansweredQuestion",
    "WelcomeOutcome",
    "WelcomeText",
]
