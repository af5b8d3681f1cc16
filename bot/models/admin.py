"""Admin API access: bearer tokens with a role, stored only as a hash."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class Role(StrEnum):
    ADMIN = "admin"  # everything
    SPECIALIST = "specialist"  # works escalations, reads the rest
    VIEWER = "viewer"  # reads


class ApiToken(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64, unique=True)
    role = fields.CharEnumField(Role, max_length=16)
    # sha256 of the token: tokens are 256-bit random, so a fast hash is enough to store them.
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_token"
