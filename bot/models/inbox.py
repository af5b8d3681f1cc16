"""The durable inbox of accepted callbacks."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class InboxStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class InboxEvent(Model):
    """One accepted callback, stored before WeCom gets its 200 (nothing acknowledged is lost)."""

    id = fields.BigIntField(primary_key=True)
    app = fields.CharField(max_length=32)
    dedupe_key = fields.CharField(max_length=80, unique=True)
    # How to parse ``plaintext``: xml | app-json | aibot | kf | archive (processing.decode)
    fmt = fields.CharField(max_length=8)
    event_type = fields.CharField(max_length=96, db_index=True)
    time_boxed = fields.BooleanField(default=False)
    plaintext = fields.TextField()
    status = fields.CharEnumField(InboxStatus, max_length=16, default=InboxStatus.PENDING)
    attempts = fields.IntField(default=0)
    last_error = fields.CharField(max_length=500, null=True)
    received_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    enqueued_at = fields.DatetimeField(null=True)
    processed_at = fields.DatetimeField(null=True)
    # Rows of one thread (one kf customer) are handled in id order, whoever handles them:
    # a retried or swept row goes before any later row of its thread (pipeline.processing).
    thread = fields.CharField(max_length=128, null=True)
    # The passive reply the callback was answered with ({"content", "welcome"}): WeCom
    # retries a callback whose answer it never got, and the retry gets the same reply.
    passive_reply: fields.JSONField[dict[str, object]] = fields.JSONField(null=True)

    class Meta:
        table = "inbox_event"
        indexes = (("status", "received_at"), ("thread", "status"))


class ArchiveCursor(Model):
    """The chat archive's next seq (GetChatData), saved after each stored batch.

    In the database like the kf accounts' cursors, so that losing the store (Redis, or an
    embedded process's memory) does not start the archive again from 0."""

    source = fields.CharField(max_length=32, primary_key=True)
    seq = fields.BigIntField()
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "archive_cursor"
