"""Storage outages and what they cost: WeCom gives up on a callback after ~3 s of failed
attempts, so what it sent while callbacks could not be stored (or while no ``serve`` was
answering) never comes again. The outage is recorded once storage is back; what can be read
back from WeCom is then reconciled, and every item found is kept with why it was missed."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.exceptions import IntegrityError
from tortoise.models import Model


class StorageOutage(Model):
    """A stretch of time in which callbacks were refused or could not reach us, as one process
    saw it. Several processes see one outage: reconciliation takes their windows together."""

    id = fields.BigIntField(primary_key=True)
    # serve: refused callbacks (503); worker: its own storage was out; startup: a serve
    # started, and the time since the newest stored callback had no serve to answer.
    source = fields.CharField(max_length=16)
    process = fields.CharField(max_length=96)  # host:pid of the witness
    started_at = fields.DatetimeField()
    ended_at = fields.DatetimeField()
    refused = fields.IntField(default=0)  # distinct callbacks answered 503
    # Of those, never stored by a later retry: WeCom gave up on them (None: not counted, e.g.
    # a window no serve saw refusals in).
    lost = fields.IntField(null=True)
    kinds: fields.JSONField[dict[str, int]] = fields.JSONField(default=dict)  # lost, by type
    recorded_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    reconciled_at = fields.DatetimeField(null=True, db_index=True)
    found = fields.IntField(default=0)  # missed items reconciliation found for it
    note = fields.CharField(max_length=300, null=True)  # the outcome, for people

    class Meta:
        table = "storage_outage"


class MissedEvent(Model):
    """One thing WeCom told us during an outage that never arrived, found by reading WeCom
    back afterwards: what it was, when, why it was missed and what was done about it."""

    id = fields.BigIntField(primary_key=True)
    # contact_add | group_join | group_leave | group_dismissed
    kind = fields.CharField(max_length=24)
    ref = fields.CharField(max_length=200)  # what it is, unique per kind (see its writer)
    # The outage it is counted under (a plain id: outages and what they cost are kept apart,
    # neither deletes the other).
    outage_id = fields.BigIntField(null=True, db_index=True)
    window_start = fields.DatetimeField()
    window_end = fields.DatetimeField()
    happened_at = fields.DatetimeField(null=True)  # when it happened in WeCom, if it says
    userid = fields.CharField(max_length=64, null=True)
    external_userid = fields.CharField(max_length=64, null=True, db_index=True)
    chat_id = fields.CharField(max_length=64, null=True)
    order_no = fields.CharField(max_length=64, null=True, db_index=True)
    reason = fields.CharField(max_length=200)  # why it was missed (Chinese, for people)
    action = fields.CharField(max_length=300, default="")  # what was done (Chinese)
    found_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    done_at = fields.DatetimeField(null=True)  # its actions completed
    # The original callback arrived after all; it was not acted on a second time.
    late_callback_at = fields.DatetimeField(null=True)

    class Meta:
        table = "missed_event"
        unique_together = (("kind", "ref"),)

    @classmethod
    async def claim(cls, **values: Any) -> tuple[MissedEvent, bool]:
        """The row for (kind, ref): made now (True), or the one made before (False)."""
        found = await cls.get_or_none(kind=values["kind"], ref=values["ref"])
        if found is not None:
            return found, False
        try:
            return await cls.create(**values), True
        except IntegrityError:  # made at the same moment by another run
            return await cls.get(kind=values["kind"], ref=values["ref"]), False
