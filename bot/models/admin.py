"""Admin API access: bearer tokens with a role, stored only as a hash; the service's own
generated secrets."""

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


class ConsoleSession(Model):
    """A signed-in console: the browser holds a random value (an HttpOnly cookie), we keep
    its hash. Signed in with a token (``kind="token"``, ``name`` the token's name: the
    token's role applies while it lives) or through WeCom (``kind="wecom"``, ``name`` the
    userid: the role an admin assigned to that userid applies)."""

    id = fields.IntField(primary_key=True)
    session_hash = fields.CharField(max_length=64, unique=True)
    kind = fields.CharField(max_length=8)
    name = fields.CharField(max_length=64, db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_seen_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "console_session"


class StaffRole(Model):
    """The console role an admin gave a WeCom member (who signs in through WeCom)."""

    userid = fields.CharField(max_length=64, primary_key=True)
    role = fields.CharEnumField(Role, max_length=16)
    assigned_by = fields.CharField(max_length=64)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "staff_role"


class ServerSecret(Model):
    """A secret the service made for itself on its first start because the settings named
    none (the progress links' signing key): kept here so that every process, and every
    restart, signs and checks with the same one."""

    name = fields.CharField(max_length=32, primary_key=True)
    value = fields.CharField(max_length=128)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "server_secret"
