"""Orders, their pipelines, milestones and notifications; customer groups; ERP API keys."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model


class Pipeline(Model):
    """The stages of one order type, each with templates per audience and a duration."""

    id = fields.IntField(primary_key=True)
    order_type = fields.CharField(max_length=32, unique=True)
    # [{"name", "expected_days", "team_template", "customer_template"}]
    stages: fields.JSONField[list[dict[str, Any]]] = fields.JSONField()
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "order_pipeline"


class Order(Model):
    id = fields.IntField(primary_key=True)
    order_no = fields.CharField(max_length=64, unique=True)
    order_type = fields.CharField(max_length=32, default="default")
    customer_external_userid = fields.CharField(max_length=64, null=True, db_index=True)
    customer_name = fields.CharField(max_length=64, null=True)
    customer_phone = fields.CharField(max_length=32, null=True)
    open_kfid = fields.CharField(max_length=64, null=True)  # the kf account the customer uses
    # {"specialist": uid, "designer": uid, "installer": uid, "others": [uid, ...]}
    team: fields.JSONField[dict[str, Any]] = fields.JSONField()
    specialist = fields.CharField(max_length=64, db_index=True)  # team["specialist"], queryable
    expected_dates: fields.JSONField[dict[str, str]] = fields.JSONField(default=dict)
    stage = fields.CharField(max_length=32, null=True, db_index=True)  # None: not started
    stage_since = fields.DatetimeField(null=True)
    # One group per order, one order per group: the unique column is the guarantee.
    group_chat_id = fields.CharField(max_length=64, null=True, unique=True)
    group_bound_at = fields.DatetimeField(null=True)
    join_way_config_id = fields.CharField(max_length=64, null=True)
    join_qr_code = fields.CharField(max_length=512, null=True)
    overdue_notified_on = fields.CharField(max_length=10, null=True)  # CST day of last notice
    # CST day the specialist was last asked to reach the customer in person (bot.orders.reach)
    reach_asked_on = fields.CharField(max_length=10, null=True)
    # The customer's progress page (bot.orders.progress_links): a link names this version,
    # so revoking one (version + 1) voids every link given out before; the expiry of the
    # link now given out (a new one is made when less than half its time is left).
    progress_link_version = fields.IntField(default=1)
    progress_link_expires_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "customer_order"


class OrderMember(Model):
    """A member of an order's team, searchable (the team itself is JSON).

    Specialist, designer, installer or one of the others: "the orders I am on" reads this,
    as SQLite cannot search inside JSON."""

    id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="members", on_delete=fields.CASCADE)
    userid = fields.CharField(max_length=64, db_index=True)

    class Meta:
        table = "order_member"
        unique_together = (("order", "userid"),)


class Milestone(Model):
    id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="milestones")
    event_id = fields.CharField(max_length=128)
    body_hash = fields.CharField(max_length=64)  # what the event said, for the 409 check
    stage = fields.CharField(max_length=32)
    from_stage = fields.CharField(max_length=32, null=True)
    forced = fields.BooleanField(default=False)
    note = fields.CharField(max_length=500, null=True)
    occurred_at = fields.DatetimeField()
    source = fields.CharField(max_length=16)  # api | erp | chat
    actor = fields.CharField(max_length=64)
    # How its notice reached the customer (bot.orders.reach): {"channel", "kefu", "group",
    # "asked", "at"}; None until decided.
    reach: Any = fields.JSONField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "order_milestone"
        unique_together = (("order", "event_id"),)


class GroupNoticeStatus(StrEnum):
    COLLECTING = "collecting"  # gathering the day's milestones; no WeCom task yet
    CREATED = "created"  # the 群发 task exists (outbox row); waiting for the owner
    DELIVERED = "delivered"  # the owner sent it and the group received it
    FAILED = "failed"  # creation failed, or the owner never sent it, or quota (status 3)


class GroupNotice(Model):
    """One owner-confirmed 群发 task for a customer group, coalescing a day's milestones."""

    id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="group_notices")
    chat_id = fields.CharField(max_length=64)
    day = fields.CharField(max_length=10)  # the CST day the task may be created on
    status = fields.CharEnumField(GroupNoticeStatus, max_length=16,
                                  default=GroupNoticeStatus.COLLECTING)
    due_at = fields.DatetimeField(db_index=True)
    outbox_id = fields.BigIntField(null=True)
    msgid = fields.CharField(max_length=64, null=True)
    sender = fields.CharField(max_length=64, null=True)
    reminders = fields.IntField(default=0)
    # When each reminder was decided (ISO, UTC): WeCom allows 3 per task in 24 h.
    reminded_at: Any = fields.JSONField(null=True)
    next_check_at = fields.DatetimeField(null=True, db_index=True)
    sent_at = fields.DatetimeField(null=True)
    detail = fields.CharField(max_length=200, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "order_group_notice"
        unique_together = (("chat_id", "day"),)


class AppointmentStatus(StrEnum):
    PROPOSED = "proposed"  # offered to the customer (or being offered), no answer yet
    CHOSEN = "chosen"  # the customer picked one of the slots
    DECLINED = "declined"  # the customer asked for another time
    REPLACED = "replaced"  # a newer proposal for the same stage took its place


class Appointment(Model):
    """One to three times proposed for a stage that needs an appointment (量尺, 安装), and
    what the customer made of them."""

    id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="appointments")
    stage = fields.CharField(max_length=32)
    slots: Any = fields.JSONField()  # ISO 8601 instants (UTC), earliest first
    status = fields.CharEnumField(AppointmentStatus, max_length=16,
                                  default=AppointmentStatus.PROPOSED)
    chosen_at = fields.DatetimeField(null=True, db_index=True)  # the slot the customer picked
    decided_at = fields.DatetimeField(null=True)  # when they picked (or asked for another)
    # When the day-before reminder went out; set once, with its notices (the claim).
    reminded_at = fields.DatetimeField(null=True)
    source = fields.CharField(max_length=16)  # api | erp | chat
    proposed_by = fields.CharField(max_length=64)
    # The request's own id (the API's event_id, a chat message's id): a repeat replays.
    event_id = fields.CharField(max_length=128, null=True, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "order_appointment"


class NotificationStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    SKIPPED = "skipped"  # the channel did not allow it (kf session state or budget)


class Notification(Model):
    """One recipient on one channel for one event of an order; the outbox row (or the group
    notice) carries the delivery state, this row says who and why."""

    id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="notifications")
    milestone: fields.ForeignKeyNullableRelation[Milestone] = fields.ForeignKeyField(
        "models.Milestone", related_name="notifications", null=True)
    # The appointment it tells of (a plain column: SQLite cannot add a foreign key later).
    appointment_id = fields.IntField(null=True, db_index=True)
    # milestone | bound | joined | join_qr | overdue | confirm_ask | welcome | reach_ask
    # | survey | appointment | appt_in_person | appt_chosen | appt_declined | appt_reminder
    kind = fields.CharField(max_length=16)
    channel = fields.CharField(max_length=8)  # app | group | kefu
    recipient = fields.CharField(max_length=64)
    status = fields.CharEnumField(NotificationStatus, max_length=16,
                                  default=NotificationStatus.PENDING)
    outbox_id = fields.BigIntField(null=True, db_index=True)
    group_notice: fields.ForeignKeyNullableRelation[GroupNotice] = fields.ForeignKeyField(
        "models.GroupNotice", related_name="notifications", null=True)
    detail = fields.CharField(max_length=200, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "order_notification"


class CustomerGroup(Model):
    """Our copy of a customer group (客户群), kept from change_external_chat events."""

    chat_id = fields.CharField(max_length=64, primary_key=True)
    name = fields.CharField(max_length=128, default="")
    owner = fields.CharField(max_length=64, default="")
    member_version = fields.CharField(max_length=64, default="")
    dismissed = fields.BooleanField(default=False)
    create_time = fields.DatetimeField(null=True)
    synced_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "customer_group"


class CustomerGroupMember(Model):
    id = fields.IntField(primary_key=True)
    group: fields.ForeignKeyRelation[CustomerGroup] = fields.ForeignKeyField(
        "models.CustomerGroup", related_name="members")
    userid = fields.CharField(max_length=64, db_index=True)
    type = fields.IntField()  # 1 staff member, 2 external contact
    join_time = fields.DatetimeField(null=True)
    join_scene = fields.IntField(null=True)  # groupchat/get: 1 invite, 2 link, 3 QR
    state = fields.CharField(max_length=32, default="")  # the join way's state, if any
    invitor = fields.CharField(max_length=64, default="")
    left_at = fields.DatetimeField(null=True)  # None while a member
    quit_scene = fields.IntField(null=True)

    class Meta:
        table = "customer_group_member"
        unique_together = (("group", "userid"),)


class ApiKey(Model):
    """An ERP integration's key: the database holds only a hash (see bot.orders.erp)."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64, unique=True)
    key_id = fields.CharField(max_length=40, unique=True)
    secret_hash = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_key"
