"""Conversations: rules and their audit trail, kefu state, escalations, welcomes, bookkeeping."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model


class RuleRow(Model):
    """The current version of one keyword rule, in the ``keywords`` file form (JSON)."""

    rule_id = fields.CharField(max_length=64, primary_key=True)
    body: Any = fields.JSONField()
    enabled = fields.BooleanField(default=True)
    revision = fields.BigIntField()  # the RuleChange.id that produced this version
    updated_by = fields.CharField(max_length=64)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "rule"


class RuleChange(Model):
    """Every change to a rule, kept forever: who, when, before and after (null = absent).

    The largest id is the rule set's revision: processes compare it to decide to recompile.
    """

    id = fields.BigIntField(primary_key=True)
    rule_id = fields.CharField(max_length=64, db_index=True)
    action = fields.CharField(max_length=16)  # create|update|delete|enable|disable|rollback|import
    actor = fields.CharField(max_length=64)
    before: Any = fields.JSONField(null=True)
    after: Any = fields.JSONField(null=True)
    batch = fields.CharField(max_length=32, null=True)  # one import = one batch
    at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "rule_change"


class RuleStat(Model):
    """Per rule, channel and day (China Standard Time): hits, replies sent, cooldown skips."""

    id = fields.BigIntField(primary_key=True)
    day = fields.DateField()
    rule_id = fields.CharField(max_length=64)
    channel = fields.CharField(max_length=16)
    hits = fields.IntField(default=0)
    replies = fields.IntField(default=0)
    suppressed = fields.IntField(default=0)

    class Meta:
        table = "rule_stat"
        unique_together = (("day", "rule_id", "channel"),)


class KfCursor(Model):
    """sync_msg's next_cursor per kf account, saved after each stored batch."""

    open_kfid = fields.CharField(max_length=64, primary_key=True)
    cursor = fields.CharField(max_length=128)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "kf_cursor"


class KfConversation(Model):
    """One WeChat customer with one kf account: what the bot needs to answer correctly."""

    id = fields.BigIntField(primary_key=True)
    open_kfid = fields.CharField(max_length=64)
    external_userid = fields.CharField(max_length=64)
    nickname = fields.CharField(max_length=64, null=True)
    # Our view of WeCom's session state (0 new, 1 bot, 2 queue, 3 human, 4 ended).
    session_state = fields.IntField(default=4)
    servicer_userid = fields.CharField(max_length=64, null=True)
    unmatched_streak = fields.IntField(default=0)
    sent_since_customer = fields.IntField(default=0)  # the 5-per-48 h budget in use
    last_customer_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "kf_conversation"
        unique_together = (("open_kfid", "external_userid"),)


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


class ConversationMessage(Model):
    """Messages in and out of a conversation: the escalation card's history, send results."""

    id = fields.BigIntField(primary_key=True)
    channel = fields.CharField(max_length=16)
    conversation = fields.CharField(max_length=160, db_index=True)  # e.g. kefu:<kfid>:<euid>
    direction = fields.CharEnumField(Direction, max_length=4)
    msgtype = fields.CharField(max_length=16)
    content = fields.TextField(default="")
    msgid = fields.CharField(max_length=64, null=True)
    rule_id = fields.CharField(max_length=64, null=True)
    # in: what the bot decided to do besides replying (escalate:<reason>, offer_group), so a
    # retried job redoes the side effect without deciding again.
    action = fields.CharField(max_length=32, null=True)
    # out: the message to send, planned in the same transaction as the decision.
    payload: Any = fields.JSONField(null=True)
    ref = fields.CharField(max_length=80, null=True, db_index=True)  # the inbound it answers
    outbox_id = fields.BigIntField(null=True)  # the outbox row that sends it
    # in: ok. out: planned, or failed once WeCom reports the send failed (msg_send_fail);
    # whether it went out is its outbox row's status, kept there only.
    status = fields.CharField(max_length=16, default="ok")
    fail_type = fields.IntField(null=True)  # kf msg_send_fail fail_type
    at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "conversation_message"
        # One decision per customer message, whatever races (an expired lock, a cancelled
        # caller): a second one fails whole and its retry finishes the first one's sends.
        unique_together = (("msgid", "direction"),)


class UnansweredQuestion(Model):
    id = fields.BigIntField(primary_key=True)
    channel = fields.CharField(max_length=16)
    conversation = fields.CharField(max_length=160)
    content = fields.TextField()
    normalized = fields.TextField()
    at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "unanswered_question"


class EscalationStatus(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    RESOLVED = "resolved"


class Escalation(Model):
    id = fields.BigIntField(primary_key=True)
    channel = fields.CharField(max_length=16)  # kefu | archive
    conversation = fields.CharField(max_length=160, db_index=True)
    open_kfid = fields.CharField(max_length=64, null=True)
    external_userid = fields.CharField(max_length=64, null=True)
    chat_id = fields.CharField(max_length=64, null=True)
    customer_name = fields.CharField(max_length=64, null=True)
    reason = fields.CharField(max_length=16)  # rule | unmatched | menu | budget | archive
    rule_id = fields.CharField(max_length=64, null=True)
    order_no = fields.CharField(max_length=64, null=True)
    status = fields.CharEnumField(EscalationStatus, max_length=16, default=EscalationStatus.OPEN)
    servicer_userid = fields.CharField(max_length=64, null=True)  # routed to
    queued = fields.BooleanField(default=False)
    notified_at = fields.DatetimeField(null=True)
    renotified_at = fields.DatetimeField(null=True)
    raised_to = fields.CharField(max_length=64, null=True)
    raised_at = fields.DatetimeField(null=True)
    claimed_by = fields.CharField(max_length=64, null=True)
    claimed_at = fields.DatetimeField(null=True)
    resolved_by = fields.CharField(max_length=64, null=True)
    resolved_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "escalation"


class ChannelCode(Model):
    """A 「联系我」 ``state`` value and the acquisition channel it stands for."""

    code = fields.CharField(max_length=30, primary_key=True)
    name = fields.CharField(max_length=64)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "channel_code"


class KfWelcome(Model):
    """The kefu welcome (text and menu) of one kf account, or of every account (``*``)."""

    open_kfid = fields.CharField(max_length=64, primary_key=True)
    text = fields.CharField(max_length=500)
    menu: Any = fields.JSONField(default=list)  # [[menu id, label], ...]
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "kf_welcome"


class WelcomeText(Model):
    """A new-contact welcome; the most specific (channel code, staff) pair wins."""

    id = fields.IntField(primary_key=True)
    channel_code = fields.CharField(max_length=30, null=True)  # null: any channel
    userid = fields.CharField(max_length=64, null=True)  # null: any staff member
    text = fields.TextField()
    attachments: Any = fields.JSONField(default=list)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "welcome_text"
        unique_together = (("channel_code", "userid"),)


class WelcomeOutcome(Model):
    """What became of each welcome: sent, missed (past 20 s), already_sent (41051),
    concurrent (41096), no_code, failed, callback_lost (its callback lost in an outage)."""

    id = fields.BigIntField(primary_key=True)
    kind = fields.CharField(max_length=16)  # contact | kefu
    userid = fields.CharField(max_length=64, null=True)
    external_userid = fields.CharField(max_length=64)
    channel_code = fields.CharField(max_length=30, null=True)
    outcome = fields.CharField(max_length=16)
    errcode = fields.IntField(null=True)
    at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "welcome_outcome"


class ContactEvent(Model):
    """Contact changes kept for statistics; ``del_follow_user`` is a lost customer."""

    id = fields.BigIntField(primary_key=True)
    change = fields.CharField(max_length=32)
    userid = fields.CharField(max_length=64, null=True)
    external_userid = fields.CharField(max_length=64, null=True)
    channel_code = fields.CharField(max_length=30, null=True)
    at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "contact_event"
        indexes = (("userid", "external_userid"),)  # a removal finds the add it undoes


class GroupWelcomeTemplate(Model):
    """A group welcome managed here and synced to WeCom's group_welcome_template."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64, unique=True)
    text = fields.TextField()
    attachment: Any = fields.JSONField(null=True)  # {"image": {...}} or link / miniprogram / ...
    is_default = fields.BooleanField(default=False)
    template_id = fields.CharField(max_length=64, null=True)  # WeCom's id once synced
    synced_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "group_welcome_template"


class JoinWayRecord(Model):
    """A group join way created once per ``state`` (its QR is reused, never recreated)."""

    state = fields.CharField(max_length=30, primary_key=True)
    config_id = fields.CharField(max_length=64)
    qr_code = fields.CharField(max_length=512)
    chat_ids: Any = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "join_way"
