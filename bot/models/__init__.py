"""Tortoise models, one module per domain; everything is re-exported here for discovery.

Schema changes go through aerich (``scripts/makemigrations.py``), never by hand.
"""

from bot.models.admin import ApiToken, Role
from bot.models.inbox import InboxEvent, InboxStatus
from bot.models.outbox import OutboxMessage, OutboxStatus

__all__ = ["ApiToken", "InboxEvent", "InboxStatus", "OutboxMessage", "OutboxStatus", "Role"]
