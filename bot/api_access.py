"""Admin API tokens: created once (the plaintext is shown once), stored hashed, revocable."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError

from bot.models import ApiToken, Role

TOKEN_PREFIX = "wbt_"  # noqa: S105 - a prefix, not a secret


class TokenNameTaken(Exception):
    pass


@dataclass(frozen=True)
class TokenRecord:
    """A token as callers see it: never its value or hash."""

    name: str
    role: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


def _record(row: ApiToken) -> TokenRecord:
    return TokenRecord(name=row.name, role=Role(row.role).value, created_at=row.created_at,
                       last_used_at=row.last_used_at, revoked_at=row.revoked_at)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_token(name: str, role: Role | str) -> str:
    """A new token for ``name``; returns the plaintext, which is never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    try:
        await ApiToken.create(name=name, role=Role(role), token_hash=_hash(token))
    except IntegrityError:
        raise TokenNameTaken(name) from None
    return token


async def verify_token(token: str) -> TokenRecord | None:
    """The live token for a presented token, or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 128:
        return None
    row = await ApiToken.get_or_none(token_hash=_hash(token), revoked_at=None)
    if row is None:
        return None
    await ApiToken.filter(id=row.id).update(last_used_at=datetime.now(UTC))
    return _record(row)


async def any_token() -> bool:
    return await ApiToken.exists()


async def list_tokens() -> list[TokenRecord]:
    return [_record(r) for r in await ApiToken.all().order_by("id")]


async def revoke_token(name: str) -> bool:
    updated = await ApiToken.filter(name=name, revoked_at=None).update(
        revoked_at=datetime.now(UTC))
    return bool(updated)
