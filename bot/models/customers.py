"""Customers: 「联系我」 channel codes, corp tags and their applications, the media library,
one record per customer with each staff member who follows them, and the contact sync."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class ContactWay(Model):
    """A 「联系我」 made through the API; its ``state`` is also a ChannelCode (statistics,
    welcome selection) and ``config_id`` is kept: without it WeCom cannot edit or delete it."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64)
    state = fields.CharField(max_length=30, unique=True)
    config_id = fields.CharField(max_length=64, unique=True)
    type = fields.IntField()  # 1 single, 2 multi
    scene = fields.IntField(default=2)  # 1 mini-program, 2 QR
    style = fields.IntField(null=True)
    users: Any = fields.JSONField(default=list)  # userids
    skip_verify = fields.BooleanField(default=True)
    remark = fields.CharField(max_length=30, default="")  # WeCom's own note on the way
    qr_code = fields.CharField(max_length=512, default="")
    tags: Any = fields.JSONField(default=list)  # corp tag ids given to who comes through it
    remark_template = fields.CharField(max_length=64, null=True)  # the staff's remark for them
    created_by = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "contact_way"


class CorpTag(Model):
    """WeCom's corp tags (企业标签) as last read, with their group."""

    tag_id = fields.CharField(max_length=64, primary_key=True)
    name = fields.CharField(max_length=30)
    group_id = fields.CharField(max_length=64, db_index=True)
    group_name = fields.CharField(max_length=30)
    order = fields.BigIntField(default=0)  # larger first (WeCom's order)
    group_order = fields.BigIntField(default=0)
    created_at = fields.DatetimeField(null=True)
    synced_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "corp_tag"


class Customer(Model):
    """One person: their WeChat identity (external_userid, shared by 客户联系 and 微信客服)
    and what we know; follows, tags, orders, groups and talks hang off it."""

    id = fields.IntField(primary_key=True)
    external_userid = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=64, default="")
    type = fields.IntField(default=1)  # 1 WeChat user, 2 WeCom user
    corp_name = fields.CharField(max_length=64, default="")
    gender = fields.IntField(default=0)
    avatar = fields.CharField(max_length=512, default="")
    unionid = fields.CharField(max_length=64, null=True)
    phone = fields.CharField(max_length=32, null=True)  # from remark_mobiles or an order
    is_contact = fields.BooleanField(default=False)  # some member follows them now
    via_kefu = fields.BooleanField(default=False)  # talked to a kf account
    first_seen_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True, db_index=True)

    class Meta:
        table = "customer"


class CustomerFollow(Model):
    """A staff member who has the customer as an external contact (follow_user)."""

    id = fields.IntField(primary_key=True)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="follows")
    userid = fields.CharField(max_length=64, db_index=True)
    remark = fields.CharField(max_length=64, default="")
    description = fields.CharField(max_length=160, default="")
    add_time = fields.DatetimeField(null=True)
    state = fields.CharField(max_length=30, default="", db_index=True)
    add_way = fields.IntField(null=True)
    # active; deleted_by_staff (del_external_contact); deleted_by_customer (del_follow_user:
    # a one-way relation remains, WeCom's APIs still work); gone (not in a full sync).
    status = fields.CharField(max_length=20, default="active")
    removed_at = fields.DatetimeField(null=True)
    synced_at = fields.DatetimeField(null=True)

    class Meta:
        table = "customer_follow"
        unique_together = (("customer", "userid"),)


class CustomerTag(Model):
    """A corp tag the customer has now, and the first application that gave it."""

    id = fields.IntField(primary_key=True)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="tags")
    tag_id = fields.CharField(max_length=64, db_index=True)
    cause = fields.CharField(max_length=96)  # e.g. channel:<state>, rule:<id>, api:<name>
    # Marked in WeCom on every active follow (mark_tag), or kept here only (a kefu-only
    # customer, or WeCom refused).
    marked = fields.BooleanField(default=False)
    at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "customer_tag"
        unique_together = (("customer", "tag_id"),)


class TagEvent(Model):
    """Every application or removal of a tag, with its cause and WeCom's answer."""

    id = fields.BigIntField(primary_key=True)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="tag_events")
    tag_id = fields.CharField(max_length=64)
    tag_name = fields.CharField(max_length=64)  # as it was named then
    action = fields.CharField(max_length=8)  # add | remove
    cause = fields.CharField(max_length=96)
    # marked (mark_tag succeeded on every follow), local (no follow: kept here), a WeCom
    # errcode per member that refused ("84061 zhangwei"), or seen (read from WeCom).
    outcome = fields.CharField(max_length=200, default="")
    at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "tag_event"


class MediaAsset(Model):
    """A file of the media library (素材库): its bytes in the MediaStore, the temporary
    media_id WeCom gave it (3 days) and, for pictures, a permanent uploadimg URL."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=8)  # image | video | voice | file
    filename = fields.CharField(max_length=128)
    content_type = fields.CharField(max_length=64)
    size = fields.IntField()
    sha256 = fields.CharField(max_length=64)
    storage_key = fields.CharField(max_length=128, unique=True)
    media_id = fields.CharField(max_length=128, null=True)
    media_expires_at = fields.DatetimeField(null=True)
    uploads = fields.IntField(default=0)  # media/upload calls made for it
    image_url = fields.CharField(max_length=512, null=True)
    created_by = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "media_asset"


class ContactSync(Model):
    """One run of the contact sync (batch get_by_user over every follow user), resumable:
    where it is is saved after each page."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=8)  # full | daily
    status = fields.CharField(max_length=8, default="running")  # running | done | failed
    staff: Any = fields.JSONField(default=list)  # the follow users, in order
    chunk = fields.IntField(default=0)  # index of the batch of ≤100 members under way
    cursor = fields.CharField(max_length=256, default="")  # next_cursor within that batch
    contacts = fields.IntField(default=0)  # follow relations read
    calls = fields.IntField(default=0)  # WeCom calls made
    error = fields.CharField(max_length=200, null=True)
    started_at = fields.DatetimeField(auto_now_add=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "contact_sync"
