"""The transactional outbox: every message we send to WeCom, tracked until it is delivered."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for its (next) attempt
    SENT = "sent"  # WeCom accepted it
    DELIVERED = "delivered"  # confirmed reached the person (e.g. a group task the owner sent)
    FAILED = "failed"  # gave up: a permanent error, or retries exhausted
    MISSED = "missed"  # a time-boxed message (a 20 s welcome code) whose window passed


class OutboxMessage(Model):
    id = fields.BigIntField(primary_key=True)
    key = fields.CharField(max_length=128, unique=True)  # the idempotency key
    app = fields.CharField(max_length=32)
    api = fields.CharField(max_length=48)  # an AppClient method, see bot.delivery.outbox.SENDABLE
    args: fields.JSONField[dict[str, Any]] = fields.JSONField()
    recipient = fields.CharField(max_length=128, db_index=True)
    ref = fields.CharField(max_length=96, null=True, db_index=True)  # e.g. "milestone:12"
    status = fields.CharEnumField(OutboxStatus, max_length=16, default=OutboxStatus.PENDING)
    priority = fields.BooleanField(default=False)
    deadline = fields.DatetimeField(null=True)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(db_index=True)
    last_error = fields.CharField(max_length=500, null=True)
    result: fields.JSONField[Any] = fields.JSONField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    sent_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)
    # The inbox row whose journey made this message: its sends log under that id however
    # late they run (a retry, a row the sweep picks up after a crash).
    inbox_id = fields.BigIntField(null=True)

    class Meta:
        table = "outbox_message"
        indexes = (("status", "next_attempt_at"),)
