"""Admin API tokens: created once (the plaintext is shown once), stored hashed, revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError

from bot.models import ApiToken, Role

TOKEN_PREFIX = "wbt_"  # noqa: S105 - a prefix, not a secret


class TokenNameTaken(Exception):
    pass


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


async def verify_token(token: str) -> ApiToken | None:
    """The live token row for a presented token, or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 128:
        return None
    row = await ApiToken.get_or_none(token_hash=_hash(token), revoked_at=None)
    if row is not None:
        await ApiToken.filter(id=row.id).update(last_used_at=datetime.now(UTC))
    return row


async def list_tokens() -> list[ApiToken]:
    return await ApiToken.all().order_by("id")


async def revoke_token(name: str) -> bool:
    updated = await ApiToken.filter(name=name, revoked_at=None).update(
        revoked_at=datetime.now(UTC))
    return bool(updated)
