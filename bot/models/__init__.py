"""Tortoise models, one module per domain; everything is re-exported here for discovery.

Schema changes go through aerich (``scripts/makemigrations.py``), never by hand.
"""

from bot.models.admin import ApiToken, Role
from bot.models.inbox import InboxEvent, InboxStatus

__all__ = ["ApiToken", "InboxEvent", "InboxStatus", "Role"]
